"""CSV exports of a program: UTF-8 with a byte-order mark (so a spreadsheet reads accented names),
every cell through `programs.spreadsheet.csv_cell` (no formula runs), streamed row by row from a
database cursor by `programs.spreadsheet.csv_download` (never the whole file in memory). Each column is documented in docs/reports.md.

Never in an export: shared, private or confidential notes, feedback answers (text or ratings),
goal descriptions, evidence, report text. Only statuses, dates, names and counts.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from feedback.models import FeedbackRequest
from goals.models import Goal
from meetings.models import Meeting
from meetings.selectors import overdue_dyads
from mentoring.models import shown_name
from programs.models import OPEN_STATUSES, Dyad, Membership, Program
from reports import selectors

CHUNK = 2000  # rows fetched from the cursor at a time


def _when(value: datetime | None, zone) -> str:
    return timezone.localtime(value, zone).strftime("%Y-%m-%d %H:%M") if value else ""


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _yes(value: bool) -> str:
    return "yes" if value else "no"


@dataclass(frozen=True)
class Export:
    key: str
    title: str
    description: str
    header: list[str]
    rows: Callable[..., Iterable[list]]


# --- dyads, with their history -------------------------------------------------------------------

DYAD_HEADER = [
    "dyad_id",
    "mentee",
    "mentee_email",
    "mentor",
    "mentor_email",
    "kind",
    "focus_area",
    "formed",
    "status",
    "mentor_is_supervisor",
    "cadence_days",
    "started_on",
    "ended_at",
    "end_reason",
    "replaces_dyad_id",
    "meetings_held",
    "last_met",
    "overdue_for_meeting",
]


def dyad_rows(program: Program, *, zone, now: datetime) -> Iterator[list]:
    """Two queries: the overdue dyads (the one rule), then every dyad with its meetings held."""
    overdue = {d.pk for d in overdue_dyads(now=now, program_ids=[program.pk], people=False)}
    held = Meeting.objects.filter(dyad=OuterRef("pk"), status=Meeting.Status.HELD)
    dyads = (
        program.dyads.select_related("mentor", "mentee", "program")
        .annotate(
            meetings_held=Coalesce(
                Subquery(held.order_by().values("dyad").annotate(n=Count("pk")).values("n")[:1]),
                0,
            ),
            last_met=Subquery(held.order_by("-starts_at").values("starts_at")[:1]),
        )
        .order_by("created_at", "pk")
    )
    for d in dyads.iterator(chunk_size=CHUNK):
        yield [
            d.pk,
            d.mentee.shown_name,
            d.mentee.email,
            d.mentor.shown_name,
            d.mentor.email,
            d.kind,
            d.focus_area,
            d.formed,
            d.status,
            _yes(d.mentor_is_supervisor),
            d.effective_cadence_days,
            _day(d.started_on),
            _when(d.ended_at, zone),
            d.end_reason,
            d.replaces_id or "",
            d.meetings_held,
            _when(d.last_met, zone),
            _yes(d.pk in overdue),
        ]


# --- meetings ------------------------------------------------------------------------------------

MEETING_HEADER = [
    "meeting_id",
    "dyad_id",
    "mentee",
    "mentor",
    "status",
    "starts_at",
    "ends_at",
    "duration_minutes",
    "agenda_items",
    "agenda_ready",
    "materials",
    "action_items",
    "cancelled_at",
]


def _count_per_meeting(relation: str) -> Coalesce:
    """How many rows of `relation` (a related name of Meeting) the meeting has, 0 for none."""
    model = Meeting._meta.get_field(relation).related_model
    return Coalesce(
        Subquery(
            model.objects.filter(meeting=OuterRef("pk"))
            .order_by()
            .values("meeting")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        0,
    )


def _meetings_with_counts(program: Program):
    """The program's meetings as tuples of what the CSV shows, oldest first."""
    return (
        Meeting.objects.filter(dyad__program=program)
        .annotate(
            n_agenda=_count_per_meeting("agenda_items"),
            n_materials=_count_per_meeting("materials"),
            n_actions=_count_per_meeting("action_items"),
        )
        .order_by("starts_at", "pk")
        .values_list(
            "pk",
            "dyad_id",
            "dyad__mentee__name",
            "dyad__mentor__name",
            "status",
            "starts_at",
            "ends_at",
            "n_agenda",
            "agenda_ready_at",
            "n_materials",
            "n_actions",
            "cancelled_at",
        )
    )


def meeting_rows(program: Program, *, zone, now: datetime) -> Iterator[list]:
    """One query, read through a cursor in chunks."""
    meetings = _meetings_with_counts(program)
    # Plain tuples, no model instances: 10,000 meetings stream in well under a second of CPU.
    for (
        pk,
        dyad,
        mentee,
        mentor,
        status,
        starts,
        ends,
        agenda,
        ready,
        materials,
        actions,
        cancelled,
    ) in meetings.iterator(chunk_size=CHUNK):
        minutes = int((ends - starts).total_seconds() // 60) if starts and ends else ""
        yield [
            pk,
            dyad,
            shown_name(mentee),
            shown_name(mentor),
            status,
            _when(starts, zone),
            _when(ends, zone),
            minutes,
            agenda,
            _yes(ready is not None),
            materials,
            actions,
            _when(cancelled, zone),
        ]


# --- goals and milestones ------------------------------------------------------------------------

GOAL_HEADER = [
    "goal_id",
    "mentee",
    "mentee_email",
    "goal",
    "category",
    "horizon",
    "goal_status",
    "target_date",
    "milestone_id",
    "milestone",
    "milestone_status",
    "due_date",
    "completed_on",
    "milestone_overdue",
]


def goal_rows(program: Program, *, zone, now: datetime) -> Iterator[list]:
    """Two queries: the overdue milestones (the tile's queryset), then one row per milestone (a
    goal without milestones gets one row with the milestone columns empty)."""
    overdue = set(selectors.overdue_milestones([program.pk], now=now).values_list("pk", flat=True))
    # A LEFT JOIN: one row per milestone, or one row with empty milestone columns.
    rows = (
        Goal.objects.filter(program=program)
        .values_list(
            "pk",
            "mentee__name",
            "mentee__email",
            "title",
            "category",
            "horizon",
            "status",
            "target_date",
            "milestones__pk",
            "milestones__title",
            "milestones__status",
            "milestones__due_date",
            "milestones__completed_on",
        )
        .order_by("mentee__name", "pk", "milestones__due_date", "milestones__pk")
    )
    for row in rows.iterator(chunk_size=CHUNK):
        (
            gid,
            name,
            email,
            title,
            category,
            horizon,
            status,
            target,
            mid,
            mtitle,
            mstatus,
            due,
            done,
        ) = row
        yield [
            gid,
            shown_name(name),
            email,
            title,
            category,
            horizon,
            status,
            _day(target),
            mid or "",
            mtitle or "",
            mstatus or "",
            _day(due),
            _day(done),
            _yes(mid in overdue) if mid else "",
        ]


# --- feedback completion per cycle ---------------------------------------------------------------

FEEDBACK_HEADER = [
    "cycle_id",
    "cycle",
    "opens",
    "due",
    "closes",
    "requests",
    "answered",
    "answered_percent",
    "mentees_answered",
    "mentors_answered",
    "withdrawn",
]


def feedback_rows(program: Program, *, zone, now: datetime) -> Iterator[list]:
    """One query: counts only, never an answer, a rating or a note."""
    asked = Q(requests__withdrawn_at=None)
    answered = Q(requests__submitted_at__isnull=False)
    cycles = program.feedback_cycles.annotate(
        asked=Count("requests", filter=asked),
        answered=Count("requests", filter=answered),
        mentees=Count(
            "requests",
            filter=answered & Q(requests__author_role=FeedbackRequest.Role.MENTEE),
        ),
        mentors=Count(
            "requests",
            filter=answered & Q(requests__author_role=FeedbackRequest.Role.MENTOR),
        ),
        withdrawn=Count("requests", filter=Q(requests__withdrawn_at__isnull=False)),
    ).order_by("opens", "pk")
    for c in cycles:
        yield [
            c.pk,
            c.name,
            _day(c.opens),
            _day(c.due),
            _day(c.closes),
            c.asked,
            c.answered,
            round(100 * c.answered / c.asked) if c.asked else 0,
            c.mentees,
            c.mentors,
            c.withdrawn,
        ]


# --- mentor load ---------------------------------------------------------------------------------

LOAD_HEADER = [
    "mentor",
    "mentor_email",
    "capacity",
    "primary_mentees",
    "supplemental_mentees",
    "at_capacity",
    "ended_dyads",
]


def mentor_load(program: Program):
    """The program's mentors with their open primary and supplemental dyads and ended ones: one
    query. Counts only: no mentor's ratings (summaries of 3 mentees or more are on their page)."""
    mine = Q(user__dyads_as_mentor__program=program)
    return (
        program.memberships.filter(role=Membership.Role.MENTOR)
        .select_related("user")
        .annotate(
            primary=Count(
                "user__dyads_as_mentor",
                filter=mine
                & Q(
                    user__dyads_as_mentor__kind=Dyad.Kind.PRIMARY,
                    user__dyads_as_mentor__status__in=OPEN_STATUSES,
                ),
            ),
            supplemental=Count(
                "user__dyads_as_mentor",
                filter=mine
                & Q(
                    user__dyads_as_mentor__kind=Dyad.Kind.SUPPLEMENTAL,
                    user__dyads_as_mentor__status__in=OPEN_STATUSES,
                ),
            ),
            ended=Count(
                "user__dyads_as_mentor",
                filter=mine & Q(user__dyads_as_mentor__status=Dyad.Status.ENDED),
            ),
        )
        .order_by("user__name", "user__email")
    )


def load_rows(program: Program, *, zone, now: datetime) -> Iterator[list]:
    for m in mentor_load(program).iterator(chunk_size=CHUNK):
        full = m.capacity is not None and m.primary >= m.capacity
        yield [
            m.user.shown_name,
            m.user.email,
            "" if m.capacity is None else m.capacity,
            m.primary,
            m.supplemental,
            _yes(full),
            m.ended,
        ]


EXPORTS = {
    e.key: e
    for e in [
        Export(
            "dyads",
            gettext_lazy("Dyads, with their history"),
            gettext_lazy(
                "Every dyad the program has had, ended ones too: who, status, how it ended, which "
                "dyad it re-paired, meetings held, last met, overdue for a meeting."
            ),
            DYAD_HEADER,
            dyad_rows,
        ),
        Export(
            "meetings",
            gettext_lazy("Meetings"),
            gettext_lazy(
                "Every meeting: status, times (your zone), how many agenda items, materials and "
                "action items. No notes."
            ),
            MEETING_HEADER,
            meeting_rows,
        ),
        Export(
            "goals",
            gettext_lazy("Goals and milestones"),
            gettext_lazy(
                "One row per milestone (a goal without milestones: one row): status, dates, overdue."
            ),
            GOAL_HEADER,
            goal_rows,
        ),
        Export(
            "feedback",
            gettext_lazy("Feedback completion per cycle"),
            gettext_lazy(
                "Per cycle: requests asked, answered, by side, withdrawn. Never an answer or a note."
            ),
            FEEDBACK_HEADER,
            feedback_rows,
        ),
        Export(
            "mentor-load",
            gettext_lazy("Mentor load"),
            gettext_lazy(
                "Per mentor: capacity, open primary and supplemental mentees, ended dyads."
            ),
            LOAD_HEADER,
            load_rows,
        ),
    ]
}


# --- the lists behind the tiles, as CSV ----------------------------------------------------------


def list_csv(kind: str, rows, *, zone) -> tuple[list[str], Iterator[list]]:
    """The header and rows of the list behind a tile (the rows are the tile's own queryset)."""
    if kind == "needs-mentor":
        return ["mentee", "mentee_email", "joined", "request_pending"], (
            [m.user.shown_name, m.user.email, _when(m.joined_at, zone), _yes(m.pending_request)]
            for m in rows.iterator(chunk_size=CHUNK)
        )
    if kind == "upcoming":
        return ["meeting_id", "mentee", "mentor", "starts_at", "agenda_items", "agenda_ready"], (
            [
                m.pk,
                m.dyad.mentee.shown_name,
                m.dyad.mentor.shown_name,
                _when(m.starts_at, zone),
                m.agenda_count,
                _yes(m.agenda_ready_at is not None),
            ]
            for m in rows.iterator(chunk_size=CHUNK)
        )
    if kind == "materials":
        return ["material_id", "title", "mentee", "mentor", "shared_at", "review_by"], (
            [
                m.pk,
                m.title,
                m.meeting.dyad.mentee.shown_name,
                m.meeting.dyad.mentor.shown_name,
                _when(m.created_at, zone),
                _day(m.review_by),
            ]
            for m in rows.iterator(chunk_size=CHUNK)
        )
    if kind == "milestones":
        return ["milestone_id", "milestone", "mentee", "due_date"], (
            [m.pk, m.title, m.goal.mentee.shown_name, _day(m.due_date)]
            for m in rows.iterator(chunk_size=CHUNK)
        )
    raise LookupError(kind)
