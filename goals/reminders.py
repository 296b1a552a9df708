"""The goals app's notices: milestones due and overdue, progress reports due.

Registered with the core at start-up (mentoring/registry.py); each sweep is a function of `now`.
"""

import zoneinfo
from collections.abc import Iterable, Iterator
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import OuterRef, Subquery

from goals.models import Milestone, ProgressReport
from mentoring import registry
from mentoring.models import User
from mentoring.notifications import Occasion, Ref
from mentoring.reminders import (
    DAY_LEVEL,
    DAY_STARTS,
    HOUR,
    LOOKBACK_DAYS,
    ZONE_SLACK,
    day,
    in_their_day,
    local_now,
    person_fields,
    person_of,
    url_of,
)
from programs.models import Dyad

MILESTONE_SOON_DAYS = getattr(settings, "REMINDER_MILESTONE_SOON_DAYS", 7)


def _primary_mentors(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], User]:
    """(program id, mentee id) → the mentee's current primary mentor, in one query."""
    pairs = set(pairs)
    if not pairs:
        return {}
    dyads = (
        Dyad.objects.open()
        .filter(kind=Dyad.Kind.PRIMARY, mentee_id__in={m for _p, m in pairs})
        .select_related("mentor")
    )
    return {(d.program_id, d.mentee_id): d.mentor for d in dyads}


@registry.notice_kind(
    "milestone_due_soon",
    "Milestone due soon",
    every=HOUR,
    why=DAY_LEVEL,
)
def milestones_due_soon(now: datetime) -> Iterator[Occasion]:
    """The mentee, when an accepted milestone is due within MILESTONE_SOON_DAYS."""
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


@registry.notice_kind(
    "milestone_overdue",
    "Milestone overdue",
    every=HOUR,
    why=DAY_LEVEL,
)
def milestones_overdue(now: datetime) -> Iterator[Occasion]:
    """The mentee by e-mail, and the primary mentor in their weekly digest, once per overdue milestone."""
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


@registry.notice_kind(
    "progress_report_due",
    "Progress report due",
    every=HOUR,
    why=DAY_LEVEL,
)
def progress_reports_due(now: datetime) -> Iterator[Occasion]:
    """The mentee of an active primary dyad whose last progress report is older than its cadence."""
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
        .values(
            "pk",
            "program_id",
            "started_on",
            "created_at",
            "cadence_days",
            "program__default_cadence_days",
            "last_report",
            *person_fields("mentee"),
            *person_fields("mentor"),
        )
    )
    home = url_of(None)
    for dyad in dyads:
        since = dyad["last_report"] or (
            datetime.combine(dyad["started_on"], time(), tzinfo=zoneinfo.ZoneInfo("UTC"))
            if dyad["started_on"]
            else dyad["created_at"]
        )
        # Dyad.effective_cadence_days, read from the row.
        cadence = dyad["cadence_days"] or dyad["program__default_cadence_days"]
        due_on = (since + timedelta(days=cadence)).date()
        mentee = person_of(dyad, "mentee")
        here = local_now(mentee, now)
        if due_on > here.date() or here.time() < DAY_STARTS:
            continue
        yield Occasion(
            recipient=mentee,
            target=Ref(Dyad, dyad["pk"]),
            occasion=due_on.isoformat(),
            title=f"Time for a progress report to {person_of(dyad, 'mentor')}",
            body=(
                "Tell your mentor what you accomplished, and what got in the way: difficulties, "
                "failures and barriers are what a mentor can help with."
            ),
            url=home,
            program_id=dyad["program_id"],
        )
