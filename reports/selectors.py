"""The program overview: each tile's count is one queryset here (or in the app that owns the rule),
used by the tile, the list it links to, that list's CSV, the printable report and the admins'
digest, so that they cannot disagree.

The overview of any number of programs costs two queries: one for every count (scalar subqueries
of the querysets below) and one for the dyads overdue for a meeting, by the one rule of that
(`meetings.selectors.overdue_dyads`).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from feedback.selectors import open_cycle_requests, unresolved_attention
from goals.models import Milestone
from meetings.models import Material, Meeting
from meetings.selectors import overdue_dyads
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


def _count(queryset: QuerySet, program_path: str):
    """The number of rows of `queryset` in the outer program, as a scalar subquery."""
    per_program = (
        queryset.filter(**{program_path: OuterRef("pk")})
        .order_by()
        .values(program_path)
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(per_program, output_field=IntegerField()), 0)


# --- the tiles -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tile:
    key: str
    label: str
    count: int
    url: str
    detail: str = ""  # a second number, in words
    what: str = ""  # what it counts, for the tile's description
    unit: str = ""


@dataclass
class Overview:
    program: Program
    tiles: list[Tile]
    overdue: list[Dyad]  # the overdue dyads themselves, most overdue first
    counts: dict[str, int]

    def tile(self, key: str) -> Tile:
        return next(t for t in self.tiles if t.key == key)


def _counts(program_ids: list[int], *, now: datetime) -> dict[int, dict[str, int]]:
    """Every count of every program: one query."""
    today = today_of(now)
    cycle_requests = open_cycle_requests(program_ids, today=today)
    rows = (
        Program.objects.filter(pk__in=program_ids)
        .annotate(
            waiting_mentees=_count(waiting_mentees(program_ids), "program"),
            waiting_requests=_count(waiting_requests(program_ids), "program"),
            proposed=_count(
                Dyad.objects.filter(program_id__in=program_ids, status=Dyad.Status.PROPOSED),
                "program",
            ),
            upcoming=_count(upcoming_meetings(program_ids, now=now), "dyad__program"),
            agendas_ready=_count(
                upcoming_meetings(program_ids, now=now).exclude(agenda_ready_at=None),
                "dyad__program",
            ),
            overdue_materials=_count(
                overdue_materials(program_ids, now=now), "meeting__dyad__program"
            ),
            overdue_milestones=_count(overdue_milestones(program_ids, now=now), "goal__program"),
            attention=_count(unresolved_attention(program_ids), "dyad__program"),
            feedback_asked=_count(cycle_requests, "cycle__program"),
            feedback_given=_count(cycle_requests.exclude(submitted_at=None), "cycle__program"),
        )
        .values(
            "pk",
            "waiting_mentees",
            "waiting_requests",
            "proposed",
            "upcoming",
            "agendas_ready",
            "overdue_materials",
            "overdue_milestones",
            "attention",
            "feedback_asked",
            "feedback_given",
        )
    )
    return {row.pop("pk"): row for row in rows}


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _tiles(program: Program, counts: dict[str, int]) -> list[Tile]:
    slug = program.slug

    def listing(kind: str) -> str:
        return reverse("reports:list", args=[slug, kind])

    asked, given = counts["feedback_asked"], counts["feedback_given"]
    return [
        Tile(
            "waiting_mentees",
            "Mentees waiting for a mentor",
            counts["waiting_mentees"],
            listing("needs-mentor"),
            what="mentees with no open primary pairing",
        ),
        Tile(
            "waiting_requests",
            "Mentor requests waiting",
            counts["waiting_requests"],
            reverse("programs:requests", args=[slug]),
            detail=f"{counts['proposed']} pairing{'s' if counts['proposed'] != 1 else ''} "
            "to approve"
            if counts["proposed"]
            else "",
            what="requests the mentor has not answered",
        ),
        Tile(
            "overdue_dyads",
            "Dyads overdue for a meeting",
            counts["overdue_dyads"],
            reverse("feedback:attention", args=[slug]) + "#overdue-heading",
            what="active dyads past their cadence with nothing scheduled or proposed",
        ),
        Tile(
            "upcoming",
            "Meetings in the next 7 days",
            counts["upcoming"],
            listing("upcoming"),
            detail=f"{counts['agendas_ready']} agenda{'s' if counts['agendas_ready'] != 1 else ''}"
            " ready",
            what="scheduled meetings starting within 7 days",
        ),
        Tile(
            "overdue_materials",
            "Materials past their review-by date",
            counts["overdue_materials"],
            listing("materials"),
            what="materials not reviewed by the date the mentee asked",
        ),
        Tile(
            "overdue_milestones",
            "Milestones overdue",
            counts["overdue_milestones"],
            listing("milestones"),
            what="accepted milestones past their due date",
        ),
        Tile(
            "attention",
            "Open attention items",
            counts["attention"],
            reverse("feedback:attention", args=[slug]),
            what="feedback signals not yet resolved",
        ),
        Tile(
            "feedback",
            "Feedback completion (open cycle)",
            _percent(given, asked),
            reverse("feedback:program", args=[slug]),
            detail=f"{given} of {asked} given" if asked else "no cycle is open",
            what="answers submitted in the cycles open today, as a percentage",
            unit="%",
        ),
    ]


def overviews(programs: list[Program], *, now: datetime | None = None) -> list[Overview]:
    """The tiles of each program: two queries, however many programs and dyads."""
    now = now or timezone.now()
    ids = [p.pk for p in programs]
    counts = _counts(ids, now=now)
    late: dict[int, list[Dyad]] = {pk: [] for pk in ids}
    for dyad in overdue_dyads(now=now, program_ids=ids, people=False):
        late[dyad.program_id].append(dyad)
    result = []
    for program in programs:
        program_counts = dict(counts[program.pk], overdue_dyads=len(late[program.pk]))
        result.append(
            Overview(program, _tiles(program, program_counts), late[program.pk], program_counts)
        )
    return result


def overview(program: Program, *, now: datetime | None = None) -> Overview:
    return overviews([program], now=now)[0]


def digest_lines(counts: dict[str, int]) -> list[str]:
    """The overview's counts in the admins' weekly digest (the other apps' sections give the
    overdue dyads, the attention items and the feedback completion, from the same querysets)."""
    return [
        f"Mentees waiting for a mentor: {counts['waiting_mentees']}",
        f"Mentor requests waiting: {counts['waiting_requests']}",
        f"Meetings in the next 7 days: {counts['upcoming']} "
        f"({counts['agendas_ready']} with the agenda ready)",
        f"Materials past their review-by date: {counts['overdue_materials']}",
        f"Milestones overdue: {counts['overdue_milestones']}",
    ]


def digest_counts(program_ids: list[int], *, now: datetime) -> dict[int, dict[str, int]]:
    return _counts(program_ids, now=now)


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
    "needs-mentor": "Mentees waiting for a mentor",
    "upcoming": "Meetings in the next 7 days",
    "materials": "Materials past their review-by date",
    "milestones": "Milestones overdue",
}
