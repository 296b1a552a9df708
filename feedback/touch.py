"""Pairs in touch: the one rule, in one place. An active pair is *in touch* when, in the last
TOUCH_DAYS days, one of them wrote a message, they held a meeting, or one of them gave feedback;
it is *out of touch* when none of that happened and it was paired before that window began (a pair
paired last week is neither yet). The program overview's "Pairs in touch" tile, the attention
list's "Out of touch" section and the admins' digest all count with these two, so they agree.

It lives in feedback, the lowest app that sees all three kinds of touch (conversations, meetings
and its own feedback)."""

from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet

from conversations.models import Message
from feedback.models import FeedbackRequest
from meetings.models import Meeting
from programs.models import Dyad

TOUCH_DAYS = 30


def _since(now: datetime) -> datetime:
    return now - timedelta(days=TOUCH_DAYS)


def in_touch(*, now: datetime) -> Q:
    """On a Dyad queryset: a message, a meeting held or feedback given since TOUCH_DAYS ago."""
    since = _since(now)
    return (
        Q(Exists(Message.objects.filter(conversation__dyad=OuterRef("pk"), created_at__gte=since)))
        | Q(
            Exists(
                Meeting.objects.filter(
                    dyad=OuterRef("pk"),
                    status=Meeting.Status.HELD,
                    starts_at__gte=since,
                    starts_at__lte=now,
                )
            )
        )
        | Q(
            Exists(
                FeedbackRequest.objects.filter(
                    dyad=OuterRef("pk"), submitted_at__gte=since, submitted_at__lte=now
                )
            )
        )
    )


def active_pairs(program_ids) -> QuerySet[Dyad]:
    return Dyad.objects.filter(program_id__in=program_ids, status=Dyad.Status.ACTIVE)


def out_of_touch_dyads(program_ids, *, now: datetime) -> QuerySet[Dyad]:
    """Active pairs of these programs paired before the window, with no touch in it, the longest
    paired first."""
    since = _since(now)
    paired_before = Q(started_on__lt=since.date()) | Q(started_on=None, created_at__lt=since)
    return (
        active_pairs(program_ids)
        .filter(paired_before)
        .exclude(in_touch(now=now))
        .order_by("started_on", "created_at", "pk")
    )
