"""The sweeps: what is due now, for whom, in their own time zone. Each is one function of `now`.

A sweep reads with one indexed query (a second, bounded one where it must know a mentor) and yields
`Occasion`s; mentoring/notifications.py turns them into rows once and delivers each once. The window
of each query is bounded by dates, so its cost follows what is due, not the size of the tables.
Day-level notices (agenda, reviews, milestones, reports, feedback, overdue dyads) go out from
08:00 in the recipient's zone, never in their night. `SWEEPS` lists them all, by name.
"""

import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone

from mentoring.models import Notification, User
from mentoring.notifications import Occasion, SweepResult, enqueue, run_sweep

Kind = Notification.Kind

DAY_STARTS = time(8, 0)  # day-level notices wait for the recipient's morning
AGENDA_DAYS = getattr(settings, "REMINDER_AGENDA_DAYS", 2)  # agenda not ready this close: remind
REVIEW_SOON_DAYS = getattr(settings, "REMINDER_REVIEW_SOON_DAYS", 2)
MILESTONE_SOON_DAYS = getattr(settings, "REMINDER_MILESTONE_SOON_DAYS", 7)
FEEDBACK_SOON_DAYS = getattr(settings, "REMINDER_FEEDBACK_SOON_DAYS", 3)
CLOSING_SOON_DAYS = getattr(settings, "REMINDER_CLOSING_SOON_DAYS", 2)
LOOKBACK_DAYS = 14  # overdue things are reminded of once, within this window after they fell due
# Every zone's "today" lies within a day either side of UTC's: queries on dates widen by that.
ZONE_SLACK = timedelta(days=1)


def zone_of(user: User) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def local_now(user: User, now: datetime) -> datetime:
    return now.astimezone(zone_of(user))


def in_their_day(user: User, now: datetime) -> bool:
    return local_now(user, now).time() >= DAY_STARTS


def when(moment: datetime, user: User) -> str:
    """A moment as the recipient reads it: 'Monday 9 March 2026, 09:00 (America/New_York)'."""
    here = moment.astimezone(zone_of(user))
    return f"{formats.date_format(here, 'l j F Y, H:i')} ({user.time_zone or 'UTC'})"


def day(value: date) -> str:
    return formats.date_format(value, "l j F Y")


def url_of(obj, fallback: str = "home") -> str:
    try:
        return obj.get_absolute_url() if obj is not None else reverse(fallback)
    except (NoReverseMatch, AttributeError):
        return reverse(fallback)


# --- meetings --------------------------------------------------------------------------------


def _meetings():
    from meetings.models import Meeting

    return Meeting.objects.select_related("dyad__mentor", "dyad__mentee")


def meetings_tomorrow(now: datetime) -> Iterator[Occasion]:
    """Both sides of a meeting that starts tomorrow in *their* zone, from 08:00 their time today."""
    from meetings.models import Meeting

    # Tomorrow, in any zone on earth, ends within 50 hours of now (UTC+14 at 23:59).
    due = _meetings().filter(
        status=Meeting.Status.SCHEDULED,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(hours=50),
    )
    for meeting in due:
        dyad = meeting.dyad
        for person, partner in ((dyad.mentor, dyad.mentee), (dyad.mentee, dyad.mentor)):
            here = local_now(person, now)
            if here.time() < DAY_STARTS:
                continue
            if meeting.starts_at.astimezone(zone_of(person)).date() != here.date() + timedelta(1):
                continue
            yield Occasion(
                recipient=person,
                target=meeting,
                occasion=meeting.starts_at.isoformat(),
                title=f"Meeting tomorrow with {partner}: {when(meeting.starts_at, person)}",
                body=_meeting_details(meeting),
                url=url_of(meeting),
                program_id=dyad.program_id,
            )


def meetings_soon(now: datetime) -> Iterator[Occasion]:
    """Both sides of a meeting that starts within the hour."""
    from meetings.models import Meeting

    due = _meetings().filter(
        status=Meeting.Status.SCHEDULED,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(hours=1),
    )
    for meeting in due:
        dyad = meeting.dyad
        for person, partner in ((dyad.mentor, dyad.mentee), (dyad.mentee, dyad.mentor)):
            yield Occasion(
                recipient=person,
                target=meeting,
                occasion=meeting.starts_at.isoformat(),
                title=f"Meeting with {partner} within the hour: {when(meeting.starts_at, person)}",
                body=_meeting_details(meeting),
                url=url_of(meeting),
                program_id=dyad.program_id,
            )


def _meeting_details(meeting) -> str:
    lines = []
    if meeting.location:
        lines.append(f"Place: {meeting.location}")
    if meeting.video_url:
        lines.append(f"Video: {meeting.video_url}")
    return "\n".join(lines)


def agendas_not_ready(now: datetime) -> Iterator[Occasion]:
    """The mentee, when a meeting is AGENDA_DAYS away or closer and the agenda isn't marked ready."""
    from meetings.models import Meeting

    due = _meetings().filter(
        status=Meeting.Status.SCHEDULED,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(days=AGENDA_DAYS),
        agenda_ready_at=None,
    )
    for meeting in due:
        mentee = meeting.dyad.mentee
        if not in_their_day(mentee, now):
            continue
        yield Occasion(
            recipient=mentee,
            target=meeting,
            occasion=meeting.starts_at.isoformat(),
            title=f"Set the agenda for your meeting with {meeting.dyad.mentor}",
            body=(
                f"Your meeting is on {when(meeting.starts_at, mentee)}. Add what you want to "
                "discuss and the help you need, then mark the agenda ready."
            ),
            url=url_of(meeting),
            program_id=meeting.dyad.program_id,
        )


def materials_to_review(now: datetime) -> Iterator[Occasion]:
    """The mentor, when a material's review-by date is REVIEW_SOON_DAYS away or closer, not reviewed."""
    from meetings.models import Material

    today = now.date()
    due = Material.objects.filter(
        reviewed_at=None,
        review_by__gte=today - ZONE_SLACK,
        review_by__lte=today + timedelta(days=REVIEW_SOON_DAYS) + ZONE_SLACK,
        meeting__dyad__status__in=["active", "paused"],
    ).select_related("meeting__dyad__mentor", "meeting__dyad__mentee")
    for material in due:
        mentor = material.meeting.dyad.mentor
        here = local_now(mentor, now)
        if here.time() < DAY_STARTS:
            continue
        if not here.date() <= material.review_by <= here.date() + timedelta(REVIEW_SOON_DAYS):
            continue
        yield Occasion(
            recipient=mentor,
            target=material,
            occasion=material.review_by.isoformat(),
            title=f"{material.meeting.dyad.mentee} asks for a review of “{material.title}”",
            body=f"Please review by {day(material.review_by)}.",
            url=url_of(material.meeting),
            program_id=material.meeting.dyad.program_id,
        )


def meetings_unmarked(now: datetime) -> Iterator[Occasion]:
    """Whoever scheduled a meeting that has ended and is not yet marked held or missed."""
    from meetings.models import Meeting

    due = (
        Meeting.objects.filter(
            status=Meeting.Status.SCHEDULED,
            starts_at__gte=now - timedelta(days=LOOKBACK_DAYS),
            starts_at__lt=now,
        )
        .filter(Q(ends_at__lte=now) | Q(ends_at=None))
        .select_related("requested_by", "dyad__mentor", "dyad__mentee")
    )
    for meeting in due:
        person = meeting.requested_by
        partner = meeting.dyad.partner_of(person)
        yield Occasion(
            recipient=person,
            target=meeting,
            occasion=meeting.starts_at.isoformat(),
            title=f"Was your meeting with {partner} held? Mark it held or missed",
            body=f"The meeting was on {when(meeting.starts_at, person)}.",
            url=url_of(meeting),
            program_id=meeting.dyad.program_id,
        )


# --- dyads -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueDyad:
    dyad: object
    due_on: date  # the day the next meeting was due by
    last_met: datetime | None


def overdue_dyads(now: datetime, *, program_id: int | None = None) -> list[OverdueDyad]:
    """Active dyads with no meeting ahead whose last held meeting (or start) is older than their
    cadence: for both sides' reminders and the admins' digest. One query over active dyads."""
    from meetings.models import Meeting
    from programs.models import Dyad

    # The latest held meeting per dyad is one backward step on the (dyad, status, starts_at) index:
    # the cost follows the number of active dyads, never the number of meetings.
    dyads = (
        Dyad.objects.active()
        .annotate(
            last_met=Subquery(
                Meeting.objects.filter(dyad=OuterRef("pk"), status=Meeting.Status.HELD)
                .order_by("-starts_at")
                .values("starts_at")[:1]
            ),
            planned=Exists(
                Meeting.objects.filter(
                    dyad=OuterRef("pk"),
                    status__in=[Meeting.Status.REQUESTED, Meeting.Status.SCHEDULED],
                ).filter(Q(starts_at__gte=now) | Q(starts_at=None))
            ),
        )
        .filter(planned=False)
        .select_related("mentor", "mentee", "program")
    )
    if program_id is not None:
        dyads = dyads.filter(program_id=program_id)
    overdue = []
    for dyad in dyads:
        since = dyad.last_met or (
            datetime.combine(dyad.started_on, time(), tzinfo=zoneinfo.ZoneInfo("UTC"))
            if dyad.started_on
            else dyad.created_at
        )
        due_on = (since + timedelta(days=dyad.effective_cadence_days)).date()
        if due_on < now.date():
            overdue.append(OverdueDyad(dyad=dyad, due_on=due_on, last_met=dyad.last_met))
    return overdue


def dyads_overdue(now: datetime) -> Iterator[Occasion]:
    """Both sides of an active dyad overdue against its cadence; once per overdue spell."""
    for item in overdue_dyads(now):
        dyad = item.dyad
        for person, partner in ((dyad.mentor, dyad.mentee), (dyad.mentee, dyad.mentor)):
            if not in_their_day(person, now):
                continue
            last = f"You last met on {day(item.last_met.date())}." if item.last_met else ""
            yield Occasion(
                recipient=person,
                target=dyad,
                occasion=item.due_on.isoformat(),
                title=f"Time to meet {partner}: your next meeting was due by {day(item.due_on)}",
                body=f"{last} Propose a time for your next meeting.".strip(),
                url=url_of(dyad),
                program_id=dyad.program_id,
            )


# --- goals -----------------------------------------------------------------------------------


def _primary_mentors(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], User]:
    """(program id, mentee id) → the mentee's current primary mentor, in one query."""
    from programs.models import Dyad

    pairs = set(pairs)
    if not pairs:
        return {}
    dyads = (
        Dyad.objects.open()
        .filter(kind=Dyad.Kind.PRIMARY, mentee_id__in={m for _p, m in pairs})
        .select_related("mentor")
    )
    return {(d.program_id, d.mentee_id): d.mentor for d in dyads}


def milestones_due_soon(now: datetime) -> Iterator[Occasion]:
    """The mentee, when an accepted milestone is due within MILESTONE_SOON_DAYS."""
    from goals.models import Milestone

    today = now.date()
    due = Milestone.objects.filter(
        status=Milestone.Status.ACCEPTED,
        due_date__gte=today - ZONE_SLACK,
        due_date__lte=today + timedelta(days=MILESTONE_SOON_DAYS) + ZONE_SLACK,
    ).select_related("goal__mentee")
    for milestone in due:
        mentee = milestone.goal.mentee
        here = local_now(mentee, now)
        soon = here.date() + timedelta(MILESTONE_SOON_DAYS)
        if here.time() < DAY_STARTS or not here.date() <= milestone.due_date <= soon:
            continue
        yield Occasion(
            recipient=mentee,
            target=milestone,
            occasion=milestone.due_date.isoformat(),
            title=f"Milestone due {day(milestone.due_date)}: {milestone.title}",
            body=f"Part of your goal “{milestone.goal.title}”.",
            url=url_of(milestone.goal),
            program_id=milestone.goal.program_id,
        )


def milestones_overdue(now: datetime) -> Iterator[Occasion]:
    """The mentee by e-mail, and the primary mentor in their weekly digest, once per overdue milestone."""
    from goals.models import Milestone

    today = now.date()
    due = Milestone.objects.filter(
        status=Milestone.Status.ACCEPTED,
        due_date__gte=today - timedelta(days=LOOKBACK_DAYS),
        due_date__lt=today + ZONE_SLACK,
    ).select_related("goal__mentee")
    due = [m for m in due if m.due_date < local_now(m.goal.mentee, now).date()]
    mentors = _primary_mentors((m.goal.program_id, m.goal.mentee_id) for m in due)
    for milestone in due:
        goal = milestone.goal
        if in_their_day(goal.mentee, now):
            yield Occasion(
                recipient=goal.mentee,
                target=milestone,
                occasion=milestone.due_date.isoformat(),
                title=f"Milestone overdue since {day(milestone.due_date)}: {milestone.title}",
                body=(
                    f"Part of your goal “{goal.title}”. Mark it done, or tell your mentor what "
                    "is in the way in your next progress report."
                ),
                url=url_of(goal),
                program_id=goal.program_id,
            )
        mentor = mentors.get((goal.program_id, goal.mentee_id))
        if mentor is not None:
            yield Occasion(
                recipient=mentor,
                target=milestone,
                occasion=milestone.due_date.isoformat(),
                title=f"{goal.mentee}'s milestone is overdue: {milestone.title}",
                body=f"Due {day(milestone.due_date)}, part of the goal “{goal.title}”.",
                url=url_of(goal),
                program_id=goal.program_id,
                digest_only=True,  # the mentor hears of it in the weekly digest, not by single mail
            )


def progress_reports_due(now: datetime) -> Iterator[Occasion]:
    """The mentee of an active primary dyad whose last progress report is older than its cadence."""
    from goals.models import ProgressReport
    from programs.models import Dyad

    dyads = (
        Dyad.objects.active()
        .filter(kind=Dyad.Kind.PRIMARY)
        .annotate(
            last_report=Subquery(
                ProgressReport.objects.filter(
                    program=OuterRef("program"), mentee=OuterRef("mentee")
                )
                .order_by("-submitted_at")
                .values("submitted_at")[:1]
            )
        )
        .select_related("mentee", "mentor", "program")
    )
    for dyad in dyads:
        since = dyad.last_report or (
            datetime.combine(dyad.started_on, time(), tzinfo=zoneinfo.ZoneInfo("UTC"))
            if dyad.started_on
            else dyad.created_at
        )
        due_on = (since + timedelta(days=dyad.effective_cadence_days)).date()
        mentee = dyad.mentee
        here = local_now(mentee, now)
        if due_on > here.date() or here.time() < DAY_STARTS:
            continue
        yield Occasion(
            recipient=mentee,
            target=dyad,
            occasion=due_on.isoformat(),
            title=f"Time for a progress report to {dyad.mentor}",
            body=(
                "Tell your mentor what you accomplished, and what got in the way: difficulties, "
                "failures and barriers are what a mentor can help with."
            ),
            url=url_of(None),
            program_id=dyad.program_id,
        )


# --- feedback --------------------------------------------------------------------------------


def _pending_requests():
    from feedback.models import FeedbackRequest

    return FeedbackRequest.objects.filter(submitted_at=None).select_related(
        "author", "subject", "cycle", "dyad"
    )


def feedback_requested(now: datetime) -> Iterator[Occasion]:
    """Open the cycles that are due, then tell each author of a new pending request."""
    from feedback.services import open_due_cycles

    open_due_cycles(now.date())
    fresh = _pending_requests().filter(created_at__gte=now - timedelta(days=LOOKBACK_DAYS))
    for request in fresh:
        if request.cycle is not None and request.cycle.closes < now.date():
            continue
        by = f" by {day(request.cycle.due)}" if request.cycle is not None else ""
        yield Occasion(
            recipient=request.author,
            target=request,
            occasion="opened",
            title=f"Your feedback on working with {request.subject} is requested{by}",
            body=(
                "Neither of you sees the other's answers before giving your own. You can add a "
                "note only the program admin reads."
            ),
            url=url_of(request),
            program_id=request.dyad.program_id,
        )


def feedback_due_soon(now: datetime) -> Iterator[Occasion]:
    """Authors of unanswered cycle requests whose due date is FEEDBACK_SOON_DAYS away or closer."""
    today = now.date()
    due = _pending_requests().filter(
        cycle__due__gte=today - ZONE_SLACK,
        cycle__due__lte=today + timedelta(days=FEEDBACK_SOON_DAYS) + ZONE_SLACK,
    )
    for request in due:
        here = local_now(request.author, now)
        soon = here.date() + timedelta(FEEDBACK_SOON_DAYS)
        if here.time() < DAY_STARTS or not here.date() <= request.cycle.due <= soon:
            continue
        yield Occasion(
            recipient=request.author,
            target=request,
            occasion=request.cycle.due.isoformat(),
            title=f"Feedback on {request.subject} is due {day(request.cycle.due)}",
            url=url_of(request),
            program_id=request.dyad.program_id,
        )


def feedback_cycles_closing(now: datetime) -> Iterator[Occasion]:
    """Authors still not answered when their cycle closes within CLOSING_SOON_DAYS (past its due)."""
    today = now.date()
    due = _pending_requests().filter(
        cycle__closes__gte=today - ZONE_SLACK,
        cycle__closes__lte=today + timedelta(days=CLOSING_SOON_DAYS) + ZONE_SLACK,
    )
    for request in due:
        cycle = request.cycle
        here = local_now(request.author, now)
        soon = here.date() + timedelta(CLOSING_SOON_DAYS)
        if here.time() < DAY_STARTS or not here.date() <= cycle.closes <= soon:
            continue
        if here.date() <= cycle.due:
            continue  # "due soon" covers it until the due date
        yield Occasion(
            recipient=request.author,
            target=request,
            occasion=cycle.closes.isoformat(),
            title=f"Last chance: “{cycle.name}” closes {day(cycle.closes)}",
            body=f"Your feedback on {request.subject} is still open.",
            url=url_of(request),
            program_id=request.dyad.program_id,
        )


# --- weekly digests --------------------------------------------------------------------------


def last_week(user: User, now: datetime) -> tuple[datetime, datetime] | None:
    """The Monday-to-Monday week before this one in the person's zone: its digest is due from their
    Monday 08:00 until the week ends (none between Monday 00:00 and 08:00)."""
    here = local_now(user, now)
    monday = datetime.combine(here.date() - timedelta(days=here.weekday()), time(), here.tzinfo)
    if here < monday + timedelta(hours=DAY_STARTS.hour):
        return None
    start = datetime.combine(monday.date() - timedelta(days=7), time(), here.tzinfo)
    return start, monday


def personal_digests(now: datetime) -> Iterator[Occasion]:
    """Each person's notices they chose to get weekly, collected into one e-mail per week."""
    collected = defaultdict(list)
    notices = (
        Notification.objects.filter(
            channel=Notification.Channel.DIGEST, sent_at__gte=now - timedelta(days=16)
        )
        .select_related("recipient")
        .order_by("sent_at")
    )
    for notice in notices:
        collected[notice.recipient].append(notice)
    for person, items in collected.items():
        week = last_week(person, now)
        if week is None:
            continue
        start, end = week
        items = [n for n in items if start <= n.sent_at < end]
        if not items:
            continue
        lines = [f"- {n.title}" + (f" ({_absolute(n.url)})" if n.url else "") for n in items]
        yield Occasion(
            recipient=person,
            occasion=start.date().isoformat(),
            title=f"Your week in mentoring: {len(items)} notice{'s' if len(items) != 1 else ''}",
            body="\n".join(lines),
            url=reverse("notifications:list"),
        )


def _absolute(url: str) -> str:
    return f"{settings.SITE_URL}{url}" if url.startswith("/") else url


def admin_digests(now: datetime) -> Iterator[Occasion]:
    """Every program admin, weekly: dyads overdue, the attention list, feedback completion."""
    from feedback.models import AttentionItem, FeedbackRequest
    from programs.models import Membership

    admins = Membership.objects.filter(role=Membership.Role.ADMIN).select_related("user", "program")
    overdue = defaultdict(list)
    for item in overdue_dyads(now):
        overdue[item.dyad.program_id].append(item)
    attention = defaultdict(list)
    for item in AttentionItem.objects.unresolved().select_related("dyad__mentor", "dyad__mentee"):
        attention[item.dyad.program_id].append(item)
    completion = {
        row["cycle__program"]: row
        for row in FeedbackRequest.objects.filter(
            cycle__opens__lte=now.date(), cycle__closes__gte=now.date()
        )
        .values("cycle__program")
        .annotate(total=Count("id"), done=Count("id", filter=~Q(submitted_at=None)))
    }
    for membership in admins:
        admin, program = membership.user, membership.program
        week = last_week(admin, now)
        if week is None:
            continue
        start, _end = week
        lines = []
        late = overdue.get(program.pk, [])
        lines.append(f"Dyads overdue for a meeting: {len(late)}")
        lines += [f"- {o.dyad}: due by {day(o.due_on)}" for o in late]
        flagged = attention.get(program.pk, [])
        lines.append(f"On the attention list: {len(flagged)}")
        lines += [f"- {a.dyad}: {a.get_reason_display()}" for a in flagged]
        feedback = completion.get(program.pk)
        if feedback:
            lines.append(
                f"Feedback in open cycles: {feedback['done']} of {feedback['total']} given"
            )
        else:
            lines.append("No feedback cycle is open.")
        yield Occasion(
            recipient=admin,
            target=program,
            occasion=start.date().isoformat(),
            title=f"{program.name}: the week in review",
            body="\n".join(lines),
            url=url_of(program),
            program_id=program.pk,
        )


# --- notices caused by an action --------------------------------------------------------------


def nothing_to_plan(now: datetime) -> Iterator[Occasion]:
    """Meeting updates and admins' feedback reminders are planned by the action that causes them
    (mentoring.notifications.notify); their sweep only hands out what is still undelivered, e.g.
    after the broker was down when the action committed."""
    return iter(())


# --- the registry ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sweep:
    kind: str
    find: Callable[[datetime], Iterable[Occasion]]


SWEEPS: dict[str, Sweep] = {
    "meeting_soon": Sweep(Kind.MEETING_SOON, meetings_soon),
    "meeting_tomorrow": Sweep(Kind.MEETING_TOMORROW, meetings_tomorrow),
    "meeting_unmarked": Sweep(Kind.MEETING_UNMARKED, meetings_unmarked),
    "agenda_not_ready": Sweep(Kind.AGENDA_NOT_READY, agendas_not_ready),
    "material_review_due": Sweep(Kind.MATERIAL_REVIEW_DUE, materials_to_review),
    "dyad_overdue": Sweep(Kind.DYAD_OVERDUE, dyads_overdue),
    "milestone_due_soon": Sweep(Kind.MILESTONE_DUE_SOON, milestones_due_soon),
    "milestone_overdue": Sweep(Kind.MILESTONE_OVERDUE, milestones_overdue),
    "progress_report_due": Sweep(Kind.PROGRESS_REPORT_DUE, progress_reports_due),
    "feedback_requested": Sweep(Kind.FEEDBACK_REQUESTED, feedback_requested),
    "feedback_due_soon": Sweep(Kind.FEEDBACK_DUE_SOON, feedback_due_soon),
    "feedback_cycle_closing": Sweep(Kind.FEEDBACK_CYCLE_CLOSING, feedback_cycles_closing),
    "admin_digest": Sweep(Kind.ADMIN_DIGEST, admin_digests),
    "meeting_update": Sweep(Kind.MEETING_UPDATE, nothing_to_plan),
    "feedback_reminder": Sweep(Kind.FEEDBACK_REMINDER, nothing_to_plan),
    # Last: it collects what the sweeps above just put into digests.
    "digest": Sweep(Kind.DIGEST, personal_digests),
}


def sweep(
    name: str, *, now: datetime | None = None, send: Callable[[Iterable[int]], int] = enqueue
) -> SweepResult:
    """Run one sweep by name: plan what is due, then hand every deliverable notice to `send`."""
    spec = SWEEPS[name]
    return run_sweep(
        name=name, kind=spec.kind, find=spec.find, now=now or timezone.now(), send=send
    )


def sweep_all(
    *, now: datetime | None = None, send: Callable[[Iterable[int]], int] = enqueue
) -> list[SweepResult]:
    """Every sweep once, in the registry's order (the management command and the benchmark)."""
    now = now or timezone.now()
    return [sweep(name, now=now, send=send) for name in SWEEPS]
