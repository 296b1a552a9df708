"""The program overview: each tile's count is one queryset here (or in the app that owns the rule),
used by the tile, the list it links to, that list's CSV, the printable report and the admins'
digest, so that they cannot disagree.

The overview of any number of programs costs two queries: one for every count (a UNION ALL of a
GROUP BY per queryset below) and one for the dyads overdue for a meeting, by the one rule of that
(`meetings.selectors.overdue_dyads`).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import CharField, Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from feedback.selectors import open_cycle_requests, unresolved_attention
from feedback.touch import TOUCH_DAYS, active_pairs, in_touch, out_of_touch_dyads
from goals.models import Milestone
from meetings.models import Material, Meeting
from meetings.selectors import overdue_dyads
from mentoring.addresses import address
from mentoring.languages import later
from programs.models import Dyad, Membership, MentorRequest, Program
from programs.selectors import mentee_memberships

UPCOMING_DAYS = 7


def today_of(now: datetime) -> date:
    """The day the overview counts in: the server's zone, as the overdue rule does."""
    return timezone.localdate(now, timezone.get_default_timezone())


# --- one queryset per tile -----------------------------------------------------------------------


def waiting_mentees(program_ids) -> QuerySet[Membership]:
    """Mentees of these programs with no open (proposed, active or paused) primary dyad."""
    return mentee_memberships(program_ids).filter(has_primary=False)


def waiting_requests(program_ids) -> QuerySet[MentorRequest]:
    """Mentor requests of these programs that wait for the mentor's answer."""
    return MentorRequest.objects.filter(
        program_id__in=program_ids, status=MentorRequest.Status.PENDING
    )


def upcoming_meetings(program_ids, *, now: datetime) -> QuerySet[Meeting]:
    """Scheduled meetings of these programs that start in the next UPCOMING_DAYS days."""
    return Meeting.objects.filter(
        dyad__program_id__in=program_ids,
        status=Meeting.Status.SCHEDULED,
        starts_at__gte=now,
        starts_at__lt=now + timedelta(days=UPCOMING_DAYS),
    )


def overdue_materials(program_ids, *, now: datetime) -> QuerySet[Material]:
    """Materials of open dyads not reviewed, whose "please review by" date has passed."""
    return Material.objects.filter(
        meeting__dyad__program_id__in=program_ids,
        meeting__dyad__status__in=[Dyad.Status.ACTIVE, Dyad.Status.PAUSED],
        reviewed_at=None,
        review_by__lt=today_of(now),
    )


def overdue_milestones(program_ids, *, now: datetime) -> QuerySet[Milestone]:
    """Accepted milestones of these programs' goals past their due date (goals' own rule)."""
    return Milestone.objects.overdue(today_of(now)).filter(goal__program_id__in=program_ids)


def _per_program(key: str, queryset: QuerySet, program_path: str, second: Q | None = None):
    """(program id, key, rows, rows matching `second`) of `queryset`, one row per program: one
    part of the overview's UNION ALL."""
    return (
        queryset.order_by()
        .values_list(program_path)
        .annotate(
            key=Value(key, output_field=CharField()),
            n=Count("pk"),
            m=Count("pk", filter=second) if second is not None else Value(0),
        )
    )


# --- the tiles -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tile:
    key: str
    label: str
    count: int | None  # None: there is nothing to count (no feedback cycle is open)
    url: str  # "" for the department's totals, which have no list of their own
    detail: str = ""  # a second number, in words
    what: str = ""  # what it counts, for the tile's description
    unit: str = ""
    lines: tuple[str, ...] = ()  # one line per open feedback cycle

    @property
    def figure(self) -> str:
        return "" if self.count is None else f"{self.count}{self.unit}"


@dataclass(frozen=True)
class OpenCycle:
    """A feedback cycle open today, with its requests (withdrawn ones left out) and answers."""

    pk: int
    name: str
    asked: int
    given: int


@dataclass
class Overview:
    program: Program
    tiles: list[Tile]
    overdue: list[Dyad]  # the overdue dyads themselves, most overdue first
    counts: dict[str, int]
    cycles: list[OpenCycle] = field(default_factory=list)

    def tile(self, key: str) -> Tile:
        return next(t for t in self.tiles if t.key == key)


# Each count's key, and the key of the second count its part carries (a subset of its rows).
COUNT_KEYS = {
    "waiting_mentees": None,
    "waiting_requests": None,
    "proposed": None,
    "upcoming": "agendas_ready",
    "overdue_materials": None,
    "overdue_milestones": None,
    "attention": None,
    "active_pairs": "in_touch",  # active pairs, of which in touch (feedback/touch.py)
    "out_of_touch": None,
    "feedback_asked": "feedback_given",  # summed over the program's open cycles
}
CYCLE_KEY = "cycle:"


def _per_cycle(program_ids: list[int], today: date):
    """(program id, "cycle:<id>:<name>", requests, answered) of each cycle open today: the
    overview's part that keeps two open cycles apart."""
    return (
        open_cycle_requests(program_ids, today=today)
        .order_by()
        .values_list("cycle__program_id")
        .annotate(
            key=Concat(
                Value(CYCLE_KEY),
                Cast("cycle_id", CharField()),
                Value(":"),
                F("cycle__name"),
                output_field=CharField(),
            ),
            n=Count("pk"),
            m=Count("pk", filter=Q(submitted_at__isnull=False)),
        )
    )


def _counts(
    program_ids: list[int], *, now: datetime
) -> tuple[dict[int, dict[str, int]], dict[int, list[OpenCycle]]]:
    """Every count of every program, and each program's open cycles: one query, a UNION ALL of
    one GROUP BY per queryset (a count and its subset in one part), instead of a correlated
    subquery per count and program."""
    today = today_of(now)
    ids = program_ids
    parts = [
        _per_program("waiting_mentees", waiting_mentees(ids), "program_id"),
        _per_program("waiting_requests", waiting_requests(ids), "program_id"),
        _per_program(
            "proposed",
            Dyad.objects.filter(program_id__in=ids, status=Dyad.Status.PROPOSED),
            "program_id",
        ),
        _per_program(
            "upcoming",
            upcoming_meetings(ids, now=now),
            "dyad__program_id",
            Q(agenda_ready_at__isnull=False),
        ),
        _per_program(
            "overdue_materials", overdue_materials(ids, now=now), "meeting__dyad__program_id"
        ),
        _per_program("overdue_milestones", overdue_milestones(ids, now=now), "goal__program_id"),
        _per_program("attention", unresolved_attention(ids), "dyad__program_id"),
        _per_program("active_pairs", active_pairs(ids), "program_id", in_touch(now=now)),
        _per_program("out_of_touch", out_of_touch_dyads(ids, now=now), "program_id"),
        _per_cycle(ids, today),
    ]
    counts = {
        pk: {name: 0 for key, second in COUNT_KEYS.items() for name in (key, second) if name}
        for pk in program_ids
    }
    cycles: dict[int, list[OpenCycle]] = {pk: [] for pk in program_ids}
    for program_id, key, n, m in parts[0].union(*parts[1:], all=True):
        if key.startswith(CYCLE_KEY):
            pk, name = key.removeprefix(CYCLE_KEY).split(":", 1)
            cycles[program_id].append(OpenCycle(int(pk), name, n, m))
            counts[program_id]["feedback_asked"] += n
            counts[program_id]["feedback_given"] += m
            continue
        counts[program_id][key] = n
        if COUNT_KEYS[key]:
            counts[program_id][COUNT_KEYS[key]] = m
    for found in cycles.values():
        found.sort(key=lambda cycle: cycle.pk)
    return counts, cycles


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _url(slug: str | None, url_name: str, *args) -> str:
    """The address of a tile's list; none for the department's totals (slug None)."""
    return "" if slug is None else address(url_name, slug, *args)


def _tiles(slug: str | None, counts: dict[str, int], cycles: list[OpenCycle]) -> list[Tile]:
    return [
        *_pairing_tiles(slug, counts),
        *_progress_tiles(slug, counts),
        _feedback_tile(slug, cycles),
    ]


def _pairing_tiles(slug: str | None, counts: dict[str, int]) -> list[Tile]:
    """Who waits for a pairing, which pairings are overdue for a meeting and which meet soon."""
    proposed = counts["proposed"]
    return [
        Tile(
            "waiting_mentees",
            _("Mentees waiting for a mentor"),
            counts["waiting_mentees"],
            _url(slug, "reports:list", "needs-mentor"),
            what=_("mentees with no open primary pairing"),
        ),
        Tile(
            "waiting_requests",
            _("Mentor requests waiting"),
            counts["waiting_requests"],
            _url(slug, "programs:requests"),
            detail=ngettext("%(n)d pairing to approve", "%(n)d pairings to approve", proposed)
            % {"n": proposed}
            if proposed
            else "",
            what=_("requests the mentor has not answered"),
        ),
        Tile(
            "overdue_dyads",
            _("Dyads overdue for a meeting"),
            counts["overdue_dyads"],
            _url(slug, "feedback:attention") + ("#overdue-heading" if slug else ""),
            what=_("active dyads past their cadence with nothing scheduled or proposed"),
        ),
        Tile(
            "in_touch",
            _("Pairs in touch"),
            counts["in_touch"],
            _url(slug, "feedback:attention") + ("#out-of-touch-heading" if slug else ""),
            detail=_("of %(active)d active; %(out)d out of touch for their cadence")
            % {"active": counts["active_pairs"], "out": counts["out_of_touch"]},
            what=_(
                "active pairs with a message, a meeting held or feedback given in the last "
                "%(days)d days"
            )
            % {"days": TOUCH_DAYS},
        ),
        Tile(
            "upcoming",
            _("Meetings in the next 7 days"),
            counts["upcoming"],
            _url(slug, "reports:list", "upcoming"),
            detail=ngettext("%(n)d agenda ready", "%(n)d agendas ready", counts["agendas_ready"])
            % {"n": counts["agendas_ready"]},
            what=_("scheduled meetings starting within 7 days"),
        ),
    ]


def _progress_tiles(slug: str | None, counts: dict[str, int]) -> list[Tile]:
    """What is overdue in the dyads' work and what needs attention."""
    return [
        Tile(
            "overdue_materials",
            _("Materials past their review-by date"),
            counts["overdue_materials"],
            _url(slug, "reports:list", "materials"),
            what=_("materials not reviewed by the date the mentee asked"),
        ),
        Tile(
            "overdue_milestones",
            _("Milestones overdue"),
            counts["overdue_milestones"],
            _url(slug, "reports:list", "milestones"),
            what=_("accepted milestones past their due date"),
        ),
        Tile(
            "attention",
            _("Open attention items"),
            counts["attention"],
            _url(slug, "feedback:attention"),
            what=_("feedback signals not yet resolved"),
        ),
    ]


def _given(given: int, asked: int) -> str:
    return _("%(given)s of %(asked)s given") % {"given": given, "asked": asked}


def _feedback_tile(slug: str | None, cycles: list[OpenCycle]) -> Tile:
    """How much of the feedback asked in the cycles open today is given: one figure for one
    cycle, a line per cycle for several (two cycles are never merged into one figure), and no
    figure at all when none is open. The department's totals (slug None) combine all programs'
    cycles into one rate, from the summed counts."""
    url = _url(slug, "feedback:program")
    what = _("answers submitted in the cycles open today, as a percentage")
    label = _("Feedback completion")
    if not cycles:
        return Tile("feedback", label, None, url, detail=_("No feedback cycle is open"), what=what)
    asked, given = sum(c.asked for c in cycles), sum(c.given for c in cycles)
    if slug is None or len(cycles) == 1:
        detail = _given(given, asked)
        if slug is None:
            detail = ngettext(
                "%(answered)s, in %(n)s open cycle",
                "%(answered)s, in %(n)s open cycles",
                len(cycles),
            ) % {"answered": detail, "n": len(cycles)}
        else:
            detail = _("%(cycle)s: %(answered)s") % {"cycle": cycles[0].name, "answered": detail}
        return Tile("feedback", label, _percent(given, asked), url, detail, what, "%")
    lines = tuple(
        _("%(cycle)s: %(percent)d%%, %(answered)s")
        % {
            "cycle": c.name,
            "percent": _percent(c.given, c.asked),
            "answered": _given(c.given, c.asked),
        }
        for c in cycles
    )
    return Tile("feedback", label, None, url, what=what, lines=lines)


def overviews(programs: list[Program], *, now: datetime | None = None) -> list[Overview]:
    """The tiles of each program: two queries, however many programs and dyads."""
    now = now or timezone.now()
    ids = [p.pk for p in programs]
    counts, cycles = _counts(ids, now=now)
    late: dict[int, list[Dyad]] = {pk: [] for pk in ids}
    for dyad in overdue_dyads(now=now, program_ids=ids, people=False):
        late[dyad.program_id].append(dyad)
    result = []
    for program in programs:
        program_counts = dict(counts[program.pk], overdue_dyads=len(late[program.pk]))
        tiles = _tiles(program.slug, program_counts, cycles[program.pk])
        result.append(
            Overview(program, tiles, late[program.pk], program_counts, cycles[program.pk])
        )
    return result


def department_totals(overviews: list[Overview]) -> list[Tile]:
    """The department's tiles: each count summed over the programs, and the feedback completion
    recomputed from the summed requests and answers (an average of the programs' rates would
    weigh a program of two dyads like one of two hundred). No query."""
    summed: dict[str, int] = {}
    for o in overviews:
        for key, n in o.counts.items():
            summed[key] = summed.get(key, 0) + n
    return _tiles(None, summed, [c for o in overviews for c in o.cycles])


def overview(program: Program, *, now: datetime | None = None) -> Overview:
    return overviews([program], now=now)[0]


def digest_lines(counts: dict[str, int]) -> list[str]:
    """The overview's counts in the admins' weekly digest (the other apps' sections give the
    overdue dyads, the attention items and the feedback completion, from the same querysets)."""
    return [
        later(
            gettext_lazy("Mentees waiting for a mentor: %(n)d"), {"n": counts["waiting_mentees"]}
        ),
        later(gettext_lazy("Mentor requests waiting: %(n)d"), {"n": counts["waiting_requests"]}),
        later(
            gettext_lazy("Meetings in the next 7 days: %(n)d (%(ready)d with the agenda ready)"),
            {"n": counts["upcoming"], "ready": counts["agendas_ready"]},
        ),
        later(
            gettext_lazy("Materials past their review-by date: %(n)d"),
            {"n": counts["overdue_materials"]},
        ),
        later(gettext_lazy("Milestones overdue: %(n)d"), {"n": counts["overdue_milestones"]}),
        later(
            gettext_lazy(
                "Pairs in touch (last %(days)d days): %(in_touch)d of %(active)d active; "
                "out of touch for their cadence: %(out)d"
            ),
            {
                "days": TOUCH_DAYS,
                "in_touch": counts["in_touch"],
                "active": counts["active_pairs"],
                "out": counts["out_of_touch"],
            },
        ),
    ]


def digest_counts(program_ids: list[int], *, now: datetime) -> dict[int, dict[str, int]]:
    return _counts(program_ids, now=now)[0]


# --- the lists behind the tiles ------------------------------------------------------------------


def list_rows(kind: str, program: Program, *, now: datetime) -> QuerySet:
    """The rows behind a tile (the same queryset it counts), with what the list shows."""
    ids = [program.pk]
    if kind == "needs-mentor":
        return (
            waiting_mentees(ids)
            .select_related("user")
            .annotate(
                pending_request=Exists(
                    MentorRequest.objects.filter(
                        program=OuterRef("program"),
                        mentee=OuterRef("user"),
                        status=MentorRequest.Status.PENDING,
                    )
                )
            )
            .order_by("joined_at", "pk")
        )
    if kind == "upcoming":
        return (
            upcoming_meetings(ids, now=now)
            .select_related("dyad__mentor", "dyad__mentee")
            .annotate(agenda_count=Count("agenda_items"))
            .order_by("starts_at", "pk")
        )
    if kind == "materials":
        return (
            overdue_materials(ids, now=now)
            .select_related("meeting__dyad__mentor", "meeting__dyad__mentee")
            .order_by("review_by", "pk")
        )
    if kind == "milestones":
        return (
            overdue_milestones(ids, now=now)
            .select_related("goal__mentee")
            .order_by("due_date", "pk")
        )
    raise LookupError(kind)


LISTS = {
    "needs-mentor": gettext_lazy("Mentees waiting for a mentor"),
    "upcoming": gettext_lazy("Meetings in the next 7 days"),
    "materials": gettext_lazy("Materials past their review-by date"),
    "milestones": gettext_lazy("Milestones overdue"),
}
