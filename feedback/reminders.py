"""The feedback app's notices, the job that opens due cycles, and its part of the admins' digest.

Registered with the core at start-up (mentoring/registry.py).
"""

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from feedback.emails import feedback_reminder_message
from feedback.models import FeedbackRequest
from feedback.selectors import open_cycle_requests, unresolved_attention
from mentoring import registry
from mentoring.languages import joined, later
from mentoring.notices.planning import Occasion, Ref
from mentoring.reminders import (
    DAY_LEVEL,
    DAY_STARTS,
    HOUR,
    LOOKBACK_DAYS,
    ZONE_SLACK,
    day,
    local_now,
    person_fields,
    person_of,
    url_for,
)

FEEDBACK_SOON_DAYS = getattr(settings, "REMINDER_FEEDBACK_SOON_DAYS", 3)
CLOSING_SOON_DAYS = getattr(settings, "REMINDER_CLOSING_SOON_DAYS", 2)

FEEDBACK_REMINDER = registry.action_notice_kind(
    "feedback_reminder",
    gettext_lazy("Feedback reminder from a program admin"),
    roles=("mentor", "mentee"),
    every=5 * 60,
    why=(
        "Sent after the admin's commit; the sweep only catches what a broker outage held back: "
        "once it is back, the reminder is at most 5 minutes late."
    ),
    render=feedback_reminder_message,
)

# A write, so not a sweep: its own job. Hourly, so a new cycle's requests wait at most an hour, and
# the "feedback requested" sweep that follows tells their authors.
registry.scheduled_job(
    "open-due-feedback-cycles",
    task="feedback.tasks.open_due_feedback_cycles",
    every=HOUR,
    why="Opening a cycle is a date-level event; hourly means its requests wait at most an hour.",
)


# What the feedback sweeps read, as plain rows (values()): a cycle opening for a large program makes
# thousands due at once, and they build no models.
REQUEST_ROW = (
    "pk",
    "cycle_id",
    "cycle__name",
    "cycle__due",
    "cycle__closes",
    "dyad__program_id",
    *person_fields("author"),
    *person_fields("subject"),
)


def _pending_requests(**filters):
    return FeedbackRequest.objects.pending().filter(**filters).values(*REQUEST_ROW)


def _request_occasion(row: dict, **what) -> Occasion:
    return Occasion(
        recipient=person_of(row, "author"),
        target=Ref(FeedbackRequest, row["pk"]),
        url=url_for("feedback:request", row["pk"]),
        program_id=row["dyad__program_id"],
        **what,
    )


@registry.notice_kind(
    "feedback_requested",
    gettext_lazy("Feedback requested"),
    roles=("mentor", "mentee"),
    every=HOUR,
    why=DAY_LEVEL,
)
def feedback_requested(now: datetime) -> Iterator[Occasion]:
    """Each author of a new pending request (the cycles are opened by their own scheduled job)."""
    for row in _pending_requests(created_at__gte=now - timedelta(days=LOOKBACK_DAYS)):
        in_cycle = row["cycle_id"] is not None
        if in_cycle and row["cycle__closes"] < now.date():
            continue
        subject = person_of(row, "subject")
        title = (
            later(
                gettext_lazy("Your feedback on working with %(person)s is requested by %(day)s"),
                {"person": subject, "day": day(row["cycle__due"])},
            )
            if in_cycle
            else later(
                gettext_lazy("Your feedback on working with %(person)s is requested"),
                {"person": subject},
            )
        )
        yield _request_occasion(
            row,
            occasion="opened",
            title=title,
            body=gettext_lazy(
                "Neither of you sees the other's answers before giving your own. You can add a "
                "note only the program admin reads."
            ),
        )


@registry.notice_kind(
    "feedback_due_soon",
    gettext_lazy("Feedback due soon"),
    roles=("mentor", "mentee"),
    every=HOUR,
    why=DAY_LEVEL,
)
def feedback_due_soon(now: datetime) -> Iterator[Occasion]:
    """Authors of unanswered cycle requests whose due date is FEEDBACK_SOON_DAYS away or closer."""
    today = now.date()
    due = _pending_requests(
        cycle__due__gte=today - ZONE_SLACK,
        cycle__due__lte=today + timedelta(days=FEEDBACK_SOON_DAYS) + ZONE_SLACK,
    )
    for row in due:
        here = local_now(person_of(row, "author"), now)
        soon = here.date() + timedelta(FEEDBACK_SOON_DAYS)
        if here.time() < DAY_STARTS or not here.date() <= row["cycle__due"] <= soon:
            continue
        yield _request_occasion(
            row,
            occasion=row["cycle__due"].isoformat(),
            title=later(
                gettext_lazy("Feedback on %(person)s is due %(day)s"),
                {"person": person_of(row, "subject"), "day": day(row["cycle__due"])},
            ),
        )


@registry.notice_kind(
    "feedback_cycle_closing",
    gettext_lazy("Feedback cycle closing"),
    roles=("mentor", "mentee"),
    every=HOUR,
    why=DAY_LEVEL,
)
def feedback_cycles_closing(now: datetime) -> Iterator[Occasion]:
    """Authors still not answered when their cycle closes within CLOSING_SOON_DAYS (past its due)."""
    today = now.date()
    due = _pending_requests(
        cycle__closes__gte=today - ZONE_SLACK,
        cycle__closes__lte=today + timedelta(days=CLOSING_SOON_DAYS) + ZONE_SLACK,
    )
    for row in due:
        closes = row["cycle__closes"]
        here = local_now(person_of(row, "author"), now)
        soon = here.date() + timedelta(CLOSING_SOON_DAYS)
        if here.time() < DAY_STARTS or not here.date() <= closes <= soon:
            continue
        if here.date() <= row["cycle__due"]:
            continue  # "due soon" covers it until the due date
        yield _request_occasion(
            row,
            occasion=closes.isoformat(),
            title=later(
                gettext_lazy("Last chance: “%(cycle)s” closes %(day)s"),
                {"cycle": row["cycle__name"], "day": day(closes)},
            ),
            body=later(
                gettext_lazy("Your feedback on %(person)s is still open."),
                {"person": person_of(row, "subject")},
            ),
        )


@registry.admin_digest_section(order=20)
def attention_section(program_ids: list[int], now: datetime) -> dict[int, list[str]]:
    """The admins' digest: the unresolved attention items and the open cycles' completion."""
    flagged: dict[int, list] = {pk: [] for pk in program_ids}
    items = unresolved_attention(program_ids)
    for item in items.select_related("dyad__mentor", "dyad__mentee"):
        flagged[item.dyad.program_id].append(item)
    # Each open cycle on its own line: two cycles open at once are two figures, not one merged.
    completion: dict[int, list[dict]] = {pk: [] for pk in program_ids}
    for row in (
        open_cycle_requests(program_ids, today=timezone.localdate(now))
        .values("cycle__program", "cycle_id", "cycle__name")
        .annotate(total=Count("id"), done=Count("id", filter=~Q(submitted_at=None)))
        .order_by("cycle__program", "cycle__name", "cycle_id")
    ):
        completion[row["cycle__program"]].append(row)
    lines: dict[int, list[str]] = {}
    for pk in program_ids:
        lines[pk] = [
            later(gettext_lazy("On the attention list: %(count)d"), {"count": len(flagged[pk])})
        ]
        lines[pk] += [
            joined("", ["- ", a.dyad, ": ", type(a).Reason(a.reason).label]) for a in flagged[pk]
        ]
        lines[pk] += [
            later(
                gettext_lazy("Feedback in “%(cycle)s”: %(done)d of %(total)d given"),
                {"cycle": row["cycle__name"], "done": row["done"], "total": row["total"]},
            )
            for row in completion[pk]
        ] or [gettext_lazy("No feedback cycle is open.")]
    return lines
