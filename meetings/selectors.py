"""Reads of meetings that feed pages: each a fixed number of queries, however many meetings exist."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from meetings import rules
from meetings.models import ActionItem, AgendaItem, Material, Meeting, PrivateNote, ProposedTime
from programs.models import Dyad, Program

HOME_LIMIT = 5
FEED_PAST_DAYS = 365

MEETING_RELATIONS = (
    "dyad__mentor",
    "dyad__mentee",
    "dyad__program",
    "requested_by",
    "notes_updated_by",
    "cancelled_by",
    "marked_by",
)


def meeting_for_page() -> QuerySet[Meeting]:
    """The meeting with the people and program its page names."""
    return Meeting.objects.select_related(*MEETING_RELATIONS)


def meeting_page(meeting: Meeting, user) -> dict:
    """Everything the meeting page shows besides the meeting itself (six queries)."""
    # 1: proposed times
    proposals = list(meeting.proposals.all()) if meeting.status == Meeting.Status.REQUESTED else []
    # 2: agenda, with the goals and reports it links to
    agenda = list(
        meeting.agenda_items.select_related("added_by", "goal", "progress_report").order_by(
            "created_at", "id"
        )
    )
    # 3: materials
    materials = list(meeting.materials.select_related("uploaded_by", "reviewed_by"))
    # 4: action items of this meeting, and the open ones of earlier meetings (the next agenda
    # shows them automatically until they are done)
    items = list(
        ActionItem.objects.filter(meeting__dyad_id=meeting.dyad_id)
        .filter(Q(meeting=meeting) | Q(done_at=None, meeting__in=_earlier(meeting)))
        .select_related("owner", "meeting")
        .order_by("done_at", "due_on", "id")
    )
    # 5: the person's own private note (nobody else's, by the model's rule)
    private_note = PrivateNote.objects.visible_to(user).filter(meeting=meeting).first()
    role = meeting.dyad.role_of(user)
    for item in agenda:
        item.removable = rules.can_remove_agenda_item(user, item)
    partner = meeting.dyad.partner_of(user) if role else None
    actions = rules.meeting_actions(user, meeting)
    return {
        "proposals": proposals,
        "agenda_items": agenda,
        "materials": materials,
        "action_items": [i for i in items if i.meeting_id == meeting.pk],
        "carried_items": [i for i in items if i.meeting_id != meeting.pk],
        "private_note": private_note,
        "role": role,
        # What the viewer may do here: the page shows a control only for an action in this set.
        "actions": actions,
        "can_tick_action_items": "tick_action_item" in actions,
        "partner": partner,
        # Who is to pick one of the proposed times, when the viewer proposed them.
        "waiting_for": partner
        if meeting.is_requested and user.pk == meeting.requested_by_id
        else None,
    }


def _earlier(meeting: Meeting) -> QuerySet[Meeting]:
    earlier = Meeting.objects.filter(dyad_id=meeting.dyad_id).exclude(pk=meeting.pk)
    if meeting.starts_at is not None:
        return earlier.filter(starts_at__lt=meeting.starts_at)
    return earlier.filter(created_at__lt=meeting.created_at)


@dataclass(frozen=True)
class Cadence:
    """When a dyad should next meet: its last held meeting (or its start) plus its cadence."""

    last_held_at: datetime | None
    next_scheduled_at: datetime | None
    proposal_ahead: bool  # times are proposed that have not passed: someone is arranging it
    due_by: datetime
    overdue: bool


def _cadence(dyad: Dyad, *, now: datetime) -> Cadence:
    """THE rule of "overdue", for every page, reminder and digest: an active dyad whose last held
    meeting (or, never met, its start) is older than its cadence, with no meeting scheduled ahead
    and no proposed time ahead. Datetimes throughout; a start date counts from its midnight in the
    server's zone, whoever is looking; it is overdue from the day after the day it was due by.
    Needs the annotations of `with_cadence`."""
    last = dyad.last_held_at
    if last is not None:
        base = last
    elif dyad.started_on is not None:
        base = datetime.combine(dyad.started_on, time.min, tzinfo=timezone.get_default_timezone())
    else:
        base = dyad.created_at
    due_by = base + timedelta(days=dyad.effective_cadence_days)
    planned = dyad.next_scheduled_at is not None or dyad.proposal_ahead
    # "Due by 31 January" lasts all of that day: overdue from the next one.
    zone = timezone.get_default_timezone()
    late = timezone.localdate(now, zone) > timezone.localdate(due_by, zone)
    overdue = dyad.status == Dyad.Status.ACTIVE and late and not planned
    return Cadence(last, dyad.next_scheduled_at, dyad.proposal_ahead, due_by, overdue)


def with_cadence(dyads: QuerySet[Dyad], *, now: datetime) -> QuerySet[Dyad]:
    """Annotate the last held meeting, the next scheduled one and whether a time is proposed ahead.
    Each is one backward or forward step on the (dyad, status, starts_at) index per dyad: the cost
    follows the number of dyads, never the number of meetings."""
    held = Meeting.objects.filter(dyad=OuterRef("pk"), status=Meeting.Status.HELD)
    scheduled = Meeting.objects.filter(
        dyad=OuterRef("pk"), status=Meeting.Status.SCHEDULED, starts_at__gte=now
    )
    proposed = ProposedTime.objects.filter(
        meeting__dyad=OuterRef("pk"), meeting__status=Meeting.Status.REQUESTED, starts_at__gte=now
    )
    return dyads.annotate(
        last_held_at=Subquery(held.order_by("-starts_at").values("starts_at")[:1]),
        next_scheduled_at=Subquery(scheduled.order_by("starts_at").values("starts_at")[:1]),
        proposal_ahead=Exists(proposed),
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


def overdue_dyads(
    *, now: datetime | None = None, program_ids: Iterable[int] | QuerySet | None = None
) -> list[Dyad]:
    """Active dyads overdue for a meeting (of these programs, or all), most overdue first, each with
    `.cadence`: one query. The program page, the attention list, the admins' digest and the overdue
    reminder all count with this."""
    dyads = Dyad.objects.filter(status=Dyad.Status.ACTIVE)
    if program_ids is not None:
        dyads = dyads.filter(program_id__in=program_ids)
    overdue = [d for d in dyads_with_cadence(dyads, now=now) if d.cadence.overdue]
    return sorted(overdue, key=lambda d: (d.cadence.due_by, d.pk))


def dyad_meetings(dyad: Dyad) -> list[Meeting]:
    """A dyad's meetings, newest first, with their proposals (two queries)."""
    return list(
        dyad.meetings.select_related("requested_by")
        .prefetch_related(
            Prefetch("proposals", queryset=ProposedTime.objects.order_by("starts_at"))
        )
        .order_by("-starts_at", "-created_at")
    )


def home_panel(user) -> dict:
    """The home page's meetings panel: a fixed number of queries, however many meetings exist."""
    now = timezone.now()
    mine = Meeting.objects.of_participant(user).filter(dyad__status__in=["active", "paused"])
    related = ("dyad__mentor", "dyad__mentee", "dyad__program")
    # 1: scheduled meetings ahead, with how many agenda items each has
    upcoming = list(
        mine.filter(status=Meeting.Status.SCHEDULED, starts_at__gte=now)
        .select_related(*related)
        .order_by("starts_at")[:HOME_LIMIT]
    )
    # 2: proposals waiting for this person's answer
    to_answer = list(
        mine.filter(status=Meeting.Status.REQUESTED)
        .exclude(requested_by=user)
        .select_related(*related)
        .order_by("created_at")[:HOME_LIMIT]
    )
    # 3: meetings that started and wait to be marked held or missed
    to_mark = list(
        mine.filter(status=Meeting.Status.SCHEDULED, starts_at__lt=now)
        .select_related(*related)
        .order_by("starts_at")[:HOME_LIMIT]
    )
    # 4: the person's open action items, until done
    actions = list(
        ActionItem.objects.open()
        .filter(owner=user)
        .select_related("owner", "meeting__dyad__mentor", "meeting__dyad__mentee")
        .order_by("due_on", "id")[:20]
    )
    # 5: materials waiting for this person's review, as mentor
    to_review = list(
        Material.objects.filter(
            meeting__dyad__mentor=user, reviewed_at=None, meeting__dyad__status="active"
        )
        .select_related("meeting__dyad__mentee")
        .order_by("review_by", "id")[:HOME_LIMIT]
    )
    # 6: cadence of each of the person's open dyads
    own_dyads = dyads_with_cadence(
        Dyad.objects.filter(Q(mentor=user) | Q(mentee=user)).filter(status=Dyad.Status.ACTIVE),
        now=now,
    )
    # 7: overdue dyads of the programs the person administers
    admin_overdue = overdue_dyads(now=now, program_ids=Program.objects.administered_by(user))
    return {
        "meetings_upcoming": upcoming,
        "meetings_to_answer": to_answer,
        "meetings_to_mark": to_mark,
        "meetings_action_items": actions,
        "meetings_to_review": to_review,
        "meetings_dyads": own_dyads,
        "meetings_admin_overdue": admin_overdue[:10],
        "meetings_admin_overdue_count": len(admin_overdue),
    }


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


def agenda_item_for_page() -> QuerySet[AgendaItem]:
    return AgendaItem.objects.select_related("meeting__dyad")


def material_for_page() -> QuerySet[Material]:
    return Material.objects.select_related(
        "meeting__dyad__mentor", "meeting__dyad__mentee", "meeting__dyad__program", "uploaded_by"
    )


def action_item_for_page() -> QuerySet[ActionItem]:
    return ActionItem.objects.select_related("meeting__dyad", "owner")
