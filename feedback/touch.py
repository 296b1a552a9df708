"""Pairs in touch: the two rules, in one place. An active pair is *in touch* when, in the last
TOUCH_DAYS days, one of them wrote a message, they held a meeting, or one of them gave feedback
(the program overview's "Pairs in touch" tile). It is *out of touch* when, within its cadence window
(the dyad's cadence, else the program's default), it neither wrote a message nor held a meeting,
and it was paired before that window began (a pair paired last week is not flagged yet): the
attention list's "Out of touch" section, the tile's "… out of touch" and the admins' digest count
with this one, so they agree.

It lives in feedback, the lowest app that sees all three kinds of touch (conversations, meetings
and its own feedback)."""

from datetime import datetime, timedelta

from django.db import connection
from django.db.models import (
    DateField,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast, Coalesce

from conversations.models import Message
from feedback.models import FeedbackRequest
from meetings.models import Meeting
from programs.models import Dyad

TOUCH_DAYS = 30
_DAY_US = 86_400_000_000


def _since(now: datetime) -> datetime:
    return now - timedelta(days=TOUCH_DAYS)


def _wrote(since) -> Exists:
    return Exists(Message.objects.filter(conversation__dyad=OuterRef("pk"), created_at__gte=since))


def _met(since, now: datetime) -> Exists:
    return Exists(
        Meeting.objects.filter(
            dyad=OuterRef("pk"),
            status=Meeting.Status.HELD,
            starts_at__gte=since,
            starts_at__lte=now,
        )
    )


def in_touch(*, now: datetime) -> Q:
    """On a Dyad queryset: a message, a meeting held or feedback given since TOUCH_DAYS ago."""
    since = _since(now)
    gave_feedback = Exists(
        FeedbackRequest.objects.filter(
            dyad=OuterRef("pk"), submitted_at__gte=since, submitted_at__lte=now
        )
    )
    return Q(_wrote(since)) | Q(_met(since, now)) | Q(gave_feedback)


def active_pairs(program_ids) -> QuerySet[Dyad]:
    return Dyad.objects.filter(program_id__in=program_ids, status=Dyad.Status.ACTIVE)


def _cadence_window_start(now: datetime):
    """On a Dyad queryset annotated with `window_days`: `now` less that many days. PostgreSQL
    multiplies an interval; SQLite keeps durations as microseconds."""
    days = F("window_days")
    day = Value(timedelta(days=1)) if connection.vendor == "postgresql" else Value(_DAY_US)
    return ExpressionWrapper(
        Value(now) - ExpressionWrapper(days * day, output_field=DurationField()),
        output_field=DateTimeField(),
    )


def out_of_touch_dyads(program_ids, *, now: datetime) -> QuerySet[Dyad]:
    """Active pairs of these programs with neither a message nor a meeting held within their
    cadence window, paired before that window began (a pair that met its cadence by writing is in
    touch even with no meeting; one paired inside the window is not flagged yet), the longest
    paired first. Each carries `window_days`, its cadence."""
    since = OuterRef("touch_since")
    paired_before = Q(started_on__lt=Cast("touch_since", DateField())) | Q(
        started_on=None, created_at__lt=F("touch_since")
    )
    return (
        active_pairs(program_ids)
        .annotate(window_days=Coalesce("cadence_days", "program__default_cadence_days"))
        .annotate(touch_since=_cadence_window_start(now))
        .filter(paired_before)
        .exclude(_wrote(since))
        .exclude(_met(since, now))
        .order_by("started_on", "created_at", "pk")
    )
