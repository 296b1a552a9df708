"""The goals app's notices: milestones due and overdue, progress reports due.

Registered with the core at start-up (mentoring/registry.py); each sweep is a function of `now`.
"""

import zoneinfo
from collections.abc import Iterable, Iterator
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy

from goals.models import Milestone, ProgressReport
from mentoring import registry
from mentoring.languages import later
from mentoring.notices.planning import Occasion, Ref
from mentoring.reminders import (
    DAY_LEVEL,
    DAY_STARTS,
    HOUR,
    LOOKBACK_DAYS,
    ZONE_SLACK,
    Person,
    day,
    in_their_day,
    local_now,
    person_fields,
    person_of,
    url_for,
    url_of,
)
from programs.models import Dyad

MILESTONE_SOON_DAYS = getattr(settings, "REMINDER_MILESTONE_SOON_DAYS", 7)


def _primary_mentors(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], Person]:
    """(program id, mentee id) → the mentee's current primary mentor, in one query."""
    pairs = set(pairs)
    if not pairs:
        return {}
    dyads = (
        Dyad.objects.open()
        .filter(kind=Dyad.Kind.PRIMARY, mentee_id__in={m for _p, m in pairs})
        .values("program_id", "mentee_id", *person_fields("mentor"))
    )
    return {(d["program_id"], d["mentee_id"]): person_of(d, "mentor") for d in dyads}


# What the milestone sweeps read, as plain rows (values()): no models built per milestone.
MILESTONE_ROW = (
    "pk",
    "title",
    "due_date",
    "goal_id",
    "goal__title",
    "goal__program_id",
    *person_fields("goal__mentee"),
)


def _accepted_milestones(**filters):
    return Milestone.objects.filter(status=Milestone.Status.ACCEPTED, **filters).values(
        *MILESTONE_ROW
    )


@registry.notice_kind(
    "milestone_due_soon",
    gettext_lazy("Milestone due soon"),
    roles=("mentee",),
    every=HOUR,
    why=DAY_LEVEL,
)
def milestones_due_soon(now: datetime) -> Iterator[Occasion]:
    """The mentee, when an accepted milestone is due within MILESTONE_SOON_DAYS."""
    today = now.date()
    due = _accepted_milestones(
        due_date__gte=today - ZONE_SLACK,
        due_date__lte=today + timedelta(days=MILESTONE_SOON_DAYS) + ZONE_SLACK,
    )
    for milestone in due:
        mentee = person_of(milestone, "goal__mentee")
        here = local_now(mentee, now)
        soon = here.date() + timedelta(MILESTONE_SOON_DAYS)
        if here.time() < DAY_STARTS or not here.date() <= milestone["due_date"] <= soon:
            continue
        yield Occasion(
            recipient=mentee,
            target=Ref(Milestone, milestone["pk"]),
            occasion=milestone["due_date"].isoformat(),
            title=later(
                gettext_lazy("Milestone due %(day)s: %(title)s"),
                {"day": day(milestone["due_date"]), "title": milestone["title"]},
            ),
            body=later(
                gettext_lazy("Part of your goal “%(goal)s”."), {"goal": milestone["goal__title"]}
            ),
            url=url_for("goals:detail", milestone["goal_id"]),
            program_id=milestone["goal__program_id"],
        )


@registry.notice_kind(
    "milestone_overdue",
    gettext_lazy("Milestone overdue"),
    roles=("mentor", "mentee"),
    every=HOUR,
    why=DAY_LEVEL,
)
def milestones_overdue(now: datetime) -> Iterator[Occasion]:
    """The mentee by e-mail, and the primary mentor in their weekly digest, once per overdue milestone."""
    today = now.date()
    due = _accepted_milestones(
        due_date__gte=today - timedelta(days=LOOKBACK_DAYS),
        due_date__lt=today + ZONE_SLACK,
    )
    due = [
        (m, person_of(m, "goal__mentee"))
        for m in due
        if m["due_date"] < local_now(person_of(m, "goal__mentee"), now).date()
    ]
    mentors = _primary_mentors((m["goal__program_id"], mentee.pk) for m, mentee in due)
    for milestone, mentee in due:
        program_id, goal_title = milestone["goal__program_id"], milestone["goal__title"]
        due_date, url = milestone["due_date"], url_for("goals:detail", milestone["goal_id"])
        if in_their_day(mentee, now):
            yield Occasion(
                recipient=mentee,
                target=Ref(Milestone, milestone["pk"]),
                occasion=due_date.isoformat(),
                title=later(
                    gettext_lazy("Milestone overdue since %(day)s: %(title)s"),
                    {"day": day(due_date), "title": milestone["title"]},
                ),
                body=later(
                    gettext_lazy(
                        "Part of your goal “%(goal)s”. Mark it done, or tell your mentor what "
                        "is in the way in your next progress report."
                    ),
                    {"goal": goal_title},
                ),
                url=url,
                program_id=program_id,
            )
        mentor = mentors.get((program_id, mentee.pk))
        if mentor is not None:
            yield Occasion(
                recipient=mentor,
                target=Ref(Milestone, milestone["pk"]),
                occasion=due_date.isoformat(),
                title=later(
                    gettext_lazy("%(mentee)s's milestone is overdue: %(title)s"),
                    {"mentee": mentee, "title": milestone["title"]},
                ),
                body=later(
                    gettext_lazy("Due %(day)s, part of the goal “%(goal)s”."),
                    {"day": day(due_date), "goal": goal_title},
                ),
                url=url,
                program_id=program_id,
                digest_only=True,  # the mentor hears of it in the weekly digest, not by single mail
            )


@registry.notice_kind(
    "progress_report_due",
    gettext_lazy("Progress report due"),
    roles=("mentee",),
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
            title=later(
                gettext_lazy("Time for a progress report to %(mentor)s"),
                {"mentor": person_of(dyad, "mentor")},
            ),
            body=gettext_lazy(
                "Tell your mentor what you accomplished, and what got in the way: difficulties, "
                "failures and barriers are what a mentor can help with."
            ),
            url=home,
            program_id=dyad["program_id"],
        )


# Events told to the other side of the dyad (issue 23: nothing happens silently): notices *about*
# what someone did, so each follows the recipient's choice (each, digest, in-app). goals/events.py
# plans them in the action's transaction.
PROGRESS_REPORT_SUBMITTED = registry.event_notice_kind(
    "progress_report_submitted",
    gettext_lazy("Progress report from your mentee"),
    roles=("mentor",),
)
PROGRESS_REPORT_REVIEWED = registry.event_notice_kind(
    "progress_report_reviewed",
    gettext_lazy("Your progress report reviewed"),
    roles=("mentee",),
)
