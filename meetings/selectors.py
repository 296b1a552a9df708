"""Reads of meetings that feed pages: each a fixed number of queries, however many meetings exist."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import ClassVar

from django.db import connection
from django.db.models import (
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from meetings import rules
from meetings.models import ActionItem, Material, Meeting, ProposedTime
from mentoring import rawsql, viewer
from programs.models import Dyad, Program
from programs.selectors import person_dyads, viewer_dyads

HOME_LIMIT = 5
# Bounds of the home panel's reads: the meetings of one person's open pairings that wait for
# something (proposals, meetings scheduled or not yet marked, a last held one per pairing) and the
# materials waiting for one mentor; far above any real backlog, so that no page reads without limit.
HOME_MEETING_ROWS = 100
HOME_MATERIAL_ROWS = 200
FEED_PAST_DAYS = 365


@dataclass(frozen=True)
class Cadence:
    """When a dyad should next meet: its last held meeting (or its start) plus its cadence."""

    last_held_at: datetime | None
    next_scheduled_at: datetime | None
    proposal_ahead: bool  # times are proposed that have not passed: someone is arranging it
    due_by: date  # a day of the program's zone: the same date for everyone who sees it
    overdue: bool


def due_date(dyad: Dyad) -> date:
    """THE rule of "due by": a calendar day of the program's zone (Program.time_zone), the same
    date for the mentor, the mentee and the admins wherever each of them is. It is the day of
    the dyad's last held meeting in that zone (never met: the day it started; not started: the
    day it was made, in that zone) plus its cadence in days. Needs `last_held_at` (`with_cadence`)."""
    zone = dyad.program.zone
    if dyad.last_held_at is not None:
        start = timezone.localdate(dyad.last_held_at, zone)
    elif dyad.started_on is not None:
        start = dyad.started_on
    else:
        start = timezone.localdate(dyad.created_at, zone)
    return start + timedelta(days=dyad.effective_cadence_days)


def _cadence(dyad: Dyad, *, now: datetime) -> Cadence:
    """THE rule of "overdue", for every page, reminder and digest: an active dyad past its due
    date (`due_date`) with no meeting scheduled ahead and no proposed time ahead. "Due by 31
    January" lasts all of that day in the program's zone: overdue from the next one there.
    Needs the annotations of `with_cadence`."""
    due_by = due_date(dyad)
    planned = dyad.next_scheduled_at is not None or dyad.proposal_ahead
    late = timezone.localdate(now, dyad.program.zone) > due_by
    overdue = dyad.status == Dyad.Status.ACTIVE and late and not planned
    return Cadence(dyad.last_held_at, dyad.next_scheduled_at, dyad.proposal_ahead, due_by, overdue)


def _last_held() -> Subquery:
    """The start of the dyad's last held meeting: one backward step on the (dyad, status,
    starts_at) index."""
    held = Meeting.objects.filter(dyad=OuterRef("pk"), status=Meeting.Status.HELD)
    return Subquery(held.order_by("-starts_at").values("starts_at")[:1])


def _scheduled_ahead(now: datetime) -> QuerySet[Meeting]:
    return Meeting.objects.filter(
        dyad=OuterRef("pk"), status=Meeting.Status.SCHEDULED, starts_at__gte=now
    )


def _proposed_ahead(now: datetime) -> QuerySet[ProposedTime]:
    return ProposedTime.objects.filter(
        meeting__dyad=OuterRef("pk"), meeting__status=Meeting.Status.REQUESTED, starts_at__gte=now
    )


def with_cadence(dyads: QuerySet[Dyad], *, now: datetime) -> QuerySet[Dyad]:
    """Annotate the last held meeting, the next scheduled one and whether a time is proposed ahead.
    Each is one backward or forward step on the (dyad, status, starts_at) index per dyad: the cost
    follows the number of dyads, never the number of meetings."""
    return dyads.annotate(
        last_held_at=_last_held(),
        next_scheduled_at=Subquery(
            _scheduled_ahead(now).order_by("starts_at").values("starts_at")[:1]
        ),
        proposal_ahead=Exists(_proposed_ahead(now)),
    ).select_related("program", "mentor", "mentee")


def dyads_with_cadence(dyads: QuerySet[Dyad], *, now: datetime | None = None) -> list[Dyad]:
    """The dyads, each with `.cadence` (a Cadence): one query."""
    now = now or timezone.now()
    result = list(with_cadence(dyads, now=now))
    for dyad in result:
        dyad.cadence = _cadence(dyad, now=now)
    return result


def dyad_cadence(dyad: Dyad, *, now: datetime | None = None) -> Cadence:
    return dyads_with_cadence(Dyad.objects.filter(pk=dyad.pk), now=now)[0].cadence


# What `_cadence` reads of a dyad (and `str(dyad)` without its people): the lean rows of
# `overdue_dyads(people=False)`, for the pages and counts that show no more of them.
CADENCE_FIELDS = (
    "program_id",
    "mentor_id",
    "mentee_id",
    "kind",
    "focus_area",
    "status",
    "cadence_days",
    "started_on",
    "created_at",
)


def overdue_dyads(
    *,
    now: datetime | None = None,
    program_ids: Iterable[int] | QuerySet | None = None,
    people: bool = True,
) -> list[Dyad]:
    """Active dyads overdue for a meeting (of these programs, or all), most overdue first, each with
    `.cadence`: one query. The program page, the attention list, the admins' digest and the overdue
    reminder all count with this. `_cadence` decides; SQL only leaves out the dyads it cannot call
    overdue (`_maybe_overdue`), so Python never builds the hundreds that are on time. `people`:
    with the program, the mentor and the mentee (else only CADENCE_FIELDS, and a program that
    knows only its default cadence, one per program: for a count, or a page that reads the names
    of the few it shows)."""
    now = now or timezone.now()
    dyads = Dyad.objects.filter(status=Dyad.Status.ACTIVE)
    if program_ids is not None:
        dyads = dyads.filter(program_id__in=program_ids)
    candidates = _maybe_overdue(dyads.annotate(last_held_at=_last_held()), now=now)
    if people:
        candidates = candidates.select_related("program", "mentor", "mentee")
    else:
        candidates = candidates.only(*CADENCE_FIELDS).annotate(
            program_cadence_days=F("program__default_cadence_days"),
            program_time_zone=F("program__time_zone"),
        )
    programs: dict[int, Program] = {}
    overdue = []
    for dyad in candidates.order_by():
        if not people:
            program = programs.get(dyad.program_id)
            if program is None:
                program = programs[dyad.program_id] = Program.from_db(
                    candidates.db,
                    ["id", "default_cadence_days", "time_zone"],
                    [dyad.program_id, dyad.program_cadence_days, dyad.program_time_zone],
                )
            dyad.program = program
        # `_maybe_overdue` kept only the dyads with no meeting scheduled and no time proposed
        # ahead: those two inputs of the rule are known without reading them.
        dyad.next_scheduled_at, dyad.proposal_ahead = None, False
        dyad.cadence = _cadence(dyad, now=now)
        if dyad.cadence.overdue:
            overdue.append(dyad)
    return sorted(overdue, key=lambda d: (d.cadence.due_by, d.pk))


def _maybe_overdue(dyads: QuerySet[Dyad], *, now: datetime) -> QuerySet[Dyad]:
    """A superset of the overdue ones among dyads annotated with `last_held_at`, in SQL: nothing
    scheduled and no time proposed ahead (NOT EXISTS: an anti-join, not a subquery per dyad), and
    due by a moment before `now` counted from a base no later than `due_date`'s, whatever the
    program's zone: a moment two days early (a zone's date may be the UTC date less one, and its
    day starts up to 14 hours before UTC's), a start date from the day before it. On databases
    without interval arithmetic (SQLite) only the "nothing planned" part applies."""
    dyads = dyads.filter(~Exists(_scheduled_ahead(now)), ~Exists(_proposed_ahead(now)))
    if connection.vendor != "postgresql":
        return dyads
    day = Value(timedelta(days=1))
    cadence = ExpressionWrapper(
        Coalesce("cadence_days", "program__default_cadence_days") * day,
        output_field=DurationField(),
    )
    start = ExpressionWrapper(
        Cast("started_on", DateTimeField()) - day, output_field=DateTimeField()
    )
    two_days = Value(timedelta(days=2))
    held = ExpressionWrapper(F("last_held_at") - two_days, output_field=DateTimeField())
    made = ExpressionWrapper(F("created_at") - two_days, output_field=DateTimeField())
    base = Coalesce(held, start, made, output_field=DateTimeField())
    return dyads.alias(
        earliest_due=ExpressionWrapper(base + cadence, output_field=DateTimeField())
    ).filter(earliest_due__lt=now)


def my_dyads(user) -> list[Dyad]:
    """Every pairing of the person's, both ways, ended ones too, with its two people, by status,
    program and age: the request's one fetch of them (programs.selectors.person_dyads)."""
    return sorted(person_dyads(user), key=lambda d: (d.status, d.program.name, d.pk))


def dyad_meetings(dyad: Dyad) -> list[Meeting]:
    """A dyad's meetings, newest first, with their proposals (two queries)."""
    return list(
        dyad.meetings.select_related("requested_by")
        .prefetch_related(
            Prefetch("proposals", queryset=ProposedTime.objects.order_by("starts_at"))
        )
        .order_by("-starts_at", "-created_at")
    )


# The home panel's reads, written once as SQL (mentoring/rawsql.py): the panel is on the page
# everybody opens most, and compiling them through the ORM cost several times running them.
_WAITING_MATERIALS_SQL = """
SELECT mat.id, mat.meeting_id, mat.title, mat.review_by, m.dyad_id AS dyad_id
  FROM meetings_material mat
  JOIN meetings_meeting m ON m.id = mat.meeting_id
 WHERE m.dyad_id IN ({dyads}) AND mat.reviewed_at IS NULL
 ORDER BY mat.review_by IS NULL, mat.review_by, mat.id
 LIMIT {limit}
"""
# Every meeting of these dyads with proposed times (with whether one of them is still ahead),
# every scheduled one, and each dyad's last held one (no held one after it); proposals first,
# then by start.
_HOME_MEETINGS_SQL = """
SELECT m.id, m.dyad_id, m.status, m.starts_at, m.ends_at, m.created_at, m.requested_by_id,
       m.agenda_ready_at, m.sequence,
       EXISTS (SELECT 1 FROM meetings_proposedtime p
                WHERE p.meeting_id = m.id AND p.starts_at >= %s) AS proposal_ahead
  FROM meetings_meeting m
 WHERE m.dyad_id IN ({dyads})
   AND (m.status IN ('requested', 'scheduled')
        OR (m.status = 'held'
            AND NOT EXISTS (SELECT 1 FROM meetings_meeting later
                             WHERE later.dyad_id = m.dyad_id AND later.status = 'held'
                               AND later.starts_at > m.starts_at)))
 ORDER BY m.starts_at IS NOT NULL, m.starts_at, m.created_at, m.id
 LIMIT {limit}
"""
_OPEN_ACTION_ITEMS_SQL = """
SELECT * FROM meetings_actionitem
 WHERE owner_id = %s AND done_at IS NULL
 ORDER BY due_on, id
 LIMIT {limit}
"""
HOME_ACTION_ITEMS = 20


def _with_materials_to_review(dyads: list[Dyad]) -> list[Dyad]:
    """The dyads with materials of their meetings not yet reviewed, each with how many and the
    first to review (by its review-by date): one query over these dyads' waiting materials."""
    if not dyads:
        return []
    ids = [d.pk for d in dyads]
    sql = _WAITING_MATERIALS_SQL.format(dyads=rawsql.placeholders(ids), limit=HOME_MATERIAL_ROWS)
    firsts: dict[int, Material] = {}
    counts: dict[int, int] = {}
    for material in rawsql.rows(Material, sql, ids):
        firsts.setdefault(material.dyad_id, material)
        counts[material.dyad_id] = counts.get(material.dyad_id, 0) + 1
    to_review = []
    for dyad in dyads:
        if dyad.pk in firsts:
            first = firsts[dyad.pk]
            dyad.meetings_materials_awaiting = counts[dyad.pk]
            dyad.meetings_material_id = first.pk
            dyad.meetings_material_title = first.title
            dyad.meetings_material_review_by = first.review_by
            to_review.append(dyad)
    return to_review


def _home_meetings(dyads: list[Dyad], *, now: datetime) -> list[Meeting]:
    """One query over these dyads' meetings: every one with proposed times (each with
    `proposal_ahead`: a proposed time not yet passed), every scheduled one, and each dyad's last
    held one; proposals first, then soonest first, at most HOME_MEETING_ROWS."""
    if not dyads:
        return []
    ids = [d.pk for d in dyads]
    sql = _HOME_MEETINGS_SQL.format(dyads=rawsql.placeholders(ids), limit=HOME_MEETING_ROWS)
    return rawsql.rows(Meeting, sql, [rawsql.moment(now), *ids])


def _set_cadence(dyad: Dyad, meetings: list[Meeting], *, now: datetime) -> None:
    """The dyad's `.cadence` by the one rule (`_cadence`), its three inputs (as `with_cadence`
    annotates them) read from the dyad's meetings of `_home_meetings`."""
    held = [m.starts_at for m in meetings if m.status == Meeting.Status.HELD]
    ahead = [
        m.starts_at for m in meetings if m.status == Meeting.Status.SCHEDULED and m.starts_at >= now
    ]
    dyad.last_held_at = max(held, default=None)
    dyad.next_scheduled_at = min(ahead, default=None)
    dyad.proposal_ahead = any(
        m.status == Meeting.Status.REQUESTED and m.proposal_ahead for m in meetings
    )
    dyad.cadence = _cadence(dyad, now=now)


@dataclass(frozen=True, slots=True)
class MeetingsPanel:
    """The home page's meetings panel of a mentor or mentee. Every meeting listed carries
    `.partner` and `.writes_agenda` (meetings.rules), every dyad `.partner`."""

    template: ClassVar[str] = "meetings/_home_panel.html"

    upcoming: list[Meeting]  # scheduled and ahead, soonest first
    to_answer: list[Meeting]  # times the partner proposed, oldest proposal first
    to_mark: list[Meeting]  # started: to be marked held or missed
    action_items: list[ActionItem]  # the person's own, until done
    to_review: list[Dyad]  # a mentor's, with materials waiting (`.meetings_material_*`)
    dyads: list[Dyad]  # the active ones, each with `.cadence`: when to meet next


@dataclass(frozen=True, slots=True)
class MeetingsAdminPanel:
    """The home page's way, for an admin, to the pairings overdue for a meeting in each program."""

    template: ClassVar[str] = "meetings/_home_admin_panel.html"

    programs: list[Program]


def home_panel(user) -> MeetingsPanel:
    """The home page's meetings panel for a mentor or mentee: two lean queries (a third for a
    mentor), however many meetings exist. The person's dyads come from the request's one fetch of
    them; each query below reads by their ids, with no join."""
    now = timezone.now()
    dyads = [d for d in viewer_dyads(user) if d.status in (Dyad.Status.ACTIVE, Dyad.Status.PAUSED)]
    by_id = {d.pk: d for d in dyads}
    # 1: what waits for someone (proposals to answer, meetings ahead, meetings that started and
    # wait to be marked held or missed) and what the cadence reads, in one query.
    meetings = _home_meetings(dyads, now=now)
    buckets: dict[str, list[Meeting]] = {"answer": [], "upcoming": [], "mark": []}
    for meeting in meetings:
        dyad = meeting.dyad = by_id[meeting.dyad_id]
        # The proposer is one of the two (anyone else would be read when shown).
        if meeting.requested_by_id in (dyad.mentor_id, dyad.mentee_id):
            meeting.requested_by = (
                dyad.mentor if meeting.requested_by_id == dyad.mentor_id else dyad.mentee
            )
        if meeting.status == Meeting.Status.REQUESTED:
            bucket = "answer" if meeting.requested_by_id != user.pk else None
        elif meeting.status == Meeting.Status.SCHEDULED:
            bucket = "upcoming" if meeting.starts_at >= now else "mark"
        else:
            bucket = None
        if bucket and len(buckets[bucket]) < HOME_LIMIT:
            meeting.partner = dyad.partner_of(user)
            # Who writes the agenda (meetings.rules), for the badge beside an upcoming meeting.
            meeting.writes_agenda = rules.can_mark_agenda_ready(user, meeting)
            buckets[bucket].append(meeting)
    # No query: when each active pairing should next meet, from the meetings above.
    active = [d for d in dyads if d.status == Dyad.Status.ACTIVE]
    for dyad in active:
        dyad.partner = dyad.partner_of(user)
        _set_cadence(dyad, [m for m in meetings if m.dyad_id == dyad.pk], now=now)
    # 2: the person's open action items, until done
    actions = list(
        rawsql.rows(ActionItem, _OPEN_ACTION_ITEMS_SQL.format(limit=HOME_ACTION_ITEMS), [user.pk])
    )
    for item in actions:
        item.owner = user
    # 3, a mentor only: materials waiting for their review
    to_review = _with_materials_to_review([d for d in active if d.mentor_id == user.pk])
    return MeetingsPanel(
        upcoming=buckets["upcoming"],
        to_answer=sorted(buckets["answer"], key=lambda m: (m.created_at, m.pk)),
        to_mark=buckets["mark"],
        action_items=actions,
        to_review=to_review,
        dyads=active,
    )


def home_admin_panel(user) -> MeetingsAdminPanel:
    """The home page's way to the pairings overdue for a meeting in each program the person
    administers: no query. They are counted and listed, by the one rule (overdue_dyads), on the
    program's overview and its attention list, which read the whole program; home, opened all day,
    does not (issue 21: on a 1,000-dyad program that read was most of the admin's home)."""
    return MeetingsAdminPanel(
        programs=[m.program for m in viewer.memberships(user) if m.role == "admin"]
    )


def feed_meetings(user, *, now: datetime | None = None) -> QuerySet[Meeting]:
    """The person's own meetings for their calendar feed: a year back and everything ahead."""
    now = now or timezone.now()
    return (
        Meeting.objects.of_participant(user)
        .exclude(starts_at=None)
        .filter(starts_at__gte=now - timedelta(days=FEED_PAST_DAYS))
        .select_related("dyad__mentor", "dyad__mentee", "requested_by")
        .order_by("starts_at")
    )
