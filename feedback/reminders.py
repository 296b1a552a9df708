"""The feedback app's notices, the job that opens due cycles, and its part of the admins' digest.

Registered with the core at start-up (mentoring/registry.py).
"""

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from feedback.emails import feedback_reminder_message
from feedback.models import FeedbackRequest
from feedback.selectors import open_cycle_requests, unresolved_attention
from mentoring import registry
from mentoring.notifications import Occasion
from mentoring.reminders import (
    DAY_LEVEL,
    DAY_STARTS,
    HOUR,
    LOOKBACK_DAYS,
    ZONE_SLACK,
    day,
    local_now,
    url_of,
)

FEEDBACK_SOON_DAYS = getattr(settings, "REMINDER_FEEDBACK_SOON_DAYS", 3)
CLOSING_SOON_DAYS = getattr(settings, "REMINDER_CLOSING_SOON_DAYS", 2)

FEEDBACK_REMINDER = registry.action_notice_kind(
    "feedback_reminder",
    "Feedback reminder from a program admin",
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


def _pending_requests():
    return FeedbackRequest.objects.pending().select_related("author", "subject", "cycle", "dyad")


@registry.notice_kind(
    "feedback_requested",
    "Feedback requested",
    every=HOUR,
    why=DAY_LEVEL,
)
def feedback_requested(now: datetime) -> Iterator[Occasion]:
    """Each author of a new pending request (the cycles are opened by their own scheduled job)."""
    fresh = _pending_requests().filter(created_at__gte=now - timedelta(days=LOOKBACK_DAYS))
    for feedback_request in fresh:
        if feedback_request.cycle is not None and feedback_request.cycle.closes < now.date():
            continue
        by = f" by {day(feedback_request.cycle.due)}" if feedback_request.cycle is not None else ""
        yield Occasion(
            recipient=feedback_request.author,
            target=feedback_request,
            occasion="opened",
            title=f"Your feedback on working with {feedback_request.subject} is requested{by}",
            body=(
                "Neither of you sees the other's answers before giving your own. You can add a "
                "note only the program admin reads."
            ),
            url=url_of(feedback_request),
            program_id=feedback_request.dyad.program_id,
        )


@registry.notice_kind(
    "feedback_due_soon",
    "Feedback due soon",
    every=HOUR,
    why=DAY_LEVEL,
)
def feedback_due_soon(now: datetime) -> Iterator[Occasion]:
    """Authors of unanswered cycle requests whose due date is FEEDBACK_SOON_DAYS away or closer."""
    today = now.date()
    due = _pending_requests().filter(
        cycle__due__gte=today - ZONE_SLACK,
        cycle__due__lte=today + timedelta(days=FEEDBACK_SOON_DAYS) + ZONE_SLACK,
    )
    for feedback_request in due:
        here = local_now(feedback_request.author, now)
        soon = here.date() + timedelta(FEEDBACK_SOON_DAYS)
        if here.time() < DAY_STARTS or not here.date() <= feedback_request.cycle.due <= soon:
            continue
        yield Occasion(
            recipient=feedback_request.author,
            target=feedback_request,
            occasion=feedback_request.cycle.due.isoformat(),
            title=f"Feedback on {feedback_request.subject} is due {day(feedback_request.cycle.due)}",
            url=url_of(feedback_request),
            program_id=feedback_request.dyad.program_id,
        )


@registry.notice_kind(
    "feedback_cycle_closing",
    "Feedback cycle closing",
    every=HOUR,
    why=DAY_LEVEL,
)
def feedback_cycles_closing(now: datetime) -> Iterator[Occasion]:
    """Authors still not answered when their cycle closes within CLOSING_SOON_DAYS (past its due)."""
    today = now.date()
    due = _pending_requests().filter(
        cycle__closes__gte=today - ZONE_SLACK,
        cycle__closes__lte=today + timedelta(days=CLOSING_SOON_DAYS) + ZONE_SLACK,
    )
    for feedback_request in due:
        cycle = feedback_request.cycle
        here = local_now(feedback_request.author, now)
        soon = here.date() + timedelta(CLOSING_SOON_DAYS)
        if here.time() < DAY_STARTS or not here.date() <= cycle.closes <= soon:
            continue
        if here.date() <= cycle.due:
            continue  # "due soon" covers it until the due date
        yield Occasion(
            recipient=feedback_request.author,
            target=feedback_request,
            occasion=cycle.closes.isoformat(),
            title=f"Last chance: “{cycle.name}” closes {day(cycle.closes)}",
            body=f"Your feedback on {feedback_request.subject} is still open.",
            url=url_of(feedback_request),
            program_id=feedback_request.dyad.program_id,
        )


@registry.admin_digest_section(order=20)
def attention_section(program_ids: list[int], now: datetime) -> dict[int, list[str]]:
    """The admins' digest: the unresolved attention items and the open cycles' completion."""
    flagged: dict[int, list] = {pk: [] for pk in program_ids}
    items = unresolved_attention(program_ids)
    for item in items.select_related("dyad__mentor", "dyad__mentee"):
        flagged[item.dyad.program_id].append(item)
    completion = {
        row["cycle__program"]: row
        for row in open_cycle_requests(program_ids, today=timezone.localdate(now))
        .values("cycle__program")
        .annotate(total=Count("id"), done=Count("id", filter=~Q(submitted_at=None)))
    }
    lines: dict[int, list[str]] = {}
    for pk in program_ids:
        lines[pk] = [f"On the attention list: {len(flagged[pk])}"]
        lines[pk] += [f"- {a.dyad}: {a.get_reason_display()}" for a in flagged[pk]]
        feedback = completion.get(pk)
        if feedback:
            lines[pk].append(
                f"Feedback in open cycles: {feedback['done']} of {feedback['total']} given"
            )
        else:
            lines[pk].append("No feedback cycle is open.")
    return lines
