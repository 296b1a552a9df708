"""Events of the other apps, told to the program's webhook endpoints (api/webhooks.py).

Each receiver runs inside the action's transaction: the delivery rows exist exactly when the
change does, and Celery gets them after the commit. Rows saved by the owning apps' services are
read from Django's own model signals (as programs/receivers.py does for security events); the
apps' named signals carry what a save does not say (a pairing ended, a re-pairing asked for).
"""

from datetime import timedelta

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from api.models import Event
from api.webhooks import emit
from feedback.models import FeedbackCycle
from meetings.models import Meeting
from mentoring.privacy import account_deleted
from programs.models import Dyad, Membership
from programs.signals import dyad_ended, re_pair_requested

MEETING_EVENTS = {
    Meeting.Status.SCHEDULED: Event.MEETING_SCHEDULED,
    Meeting.Status.HELD: Event.MEETING_HELD,
    Meeting.Status.MISSED: Event.MEETING_MISSED,
    Meeting.Status.CANCELLED: Event.MEETING_CANCELLED,
}
# How far back the daily look at cycle dates reaches (a beat that was down for days catches up).
CYCLE_LOOKBACK = timedelta(days=7)


def _saved(update_fields, name: str) -> bool:
    return update_fields is None or name in update_fields


@receiver(post_save, sender=Membership, dispatch_uid="api.webhook_membership")
def membership_saved(sender, instance: Membership, created, update_fields=None, raw=False, **kw):
    if raw:
        return
    if created:
        event = Event.MEMBER_JOINED
    elif update_fields is not None and "deactivated_at" in update_fields:
        event = Event.MEMBER_LEFT if instance.deactivated_at else Event.MEMBER_JOINED
    else:
        return
    # A rejoin is a happening of its own: keyed by the moment, not only the membership.
    moment = instance.deactivated_at or instance.joined_at
    emit(
        program_id=instance.program_id,
        event_type=event,
        resource="member",
        pk=instance.pk,
        key=f"{event}:{instance.pk}:{moment.timestamp() if not created else 0}",
    )


@receiver(account_deleted, dispatch_uid="api.webhook_account_deleted")
def account_deleted_left(sender, user, **kwargs) -> None:
    for membership in Membership.objects.filter(user=user):
        emit(
            program_id=membership.program_id,
            event_type=Event.MEMBER_LEFT,
            resource="member",
            pk=membership.pk,
            key=f"{Event.MEMBER_LEFT}:{membership.pk}:deleted",
        )


@receiver(post_save, sender=Dyad, dispatch_uid="api.webhook_dyad_created")
def dyad_created(sender, instance: Dyad, created, raw=False, **kwargs) -> None:
    if raw or not created:
        return
    emit(
        program_id=instance.program_id,
        event_type=Event.DYAD_CREATED,
        resource="dyad",
        pk=instance.pk,
    )
    if instance.replaces_id:
        emit(
            program_id=instance.program_id,
            event_type=Event.DYAD_RE_PAIRED,
            resource="dyad",
            pk=instance.pk,
        )


@receiver(dyad_ended, dispatch_uid="api.webhook_dyad_ended")
def dyad_was_ended(sender, dyad, **kwargs) -> None:
    emit(program_id=dyad.program_id, event_type=Event.DYAD_ENDED, resource="dyad", pk=dyad.pk)


@receiver(re_pair_requested, dispatch_uid="api.webhook_re_pair_requested")
def re_pair_was_requested(sender, re_pair_request, **kwargs) -> None:
    dyad = re_pair_request.dyad
    emit(
        program_id=dyad.program_id,
        event_type=Event.RE_PAIR_REQUESTED,
        resource="dyad",
        pk=dyad.pk,
        key=f"{Event.RE_PAIR_REQUESTED}:{re_pair_request.pk}",
    )


@receiver(post_save, sender=Meeting, dispatch_uid="api.webhook_meeting")
def meeting_saved(sender, instance: Meeting, created, update_fields=None, raw=False, **kwargs):
    if raw or not (created or _saved(update_fields, "status")):
        return
    event = MEETING_EVENTS.get(instance.status)
    if event is None:
        return
    emit(
        program_id=instance.dyad.program_id,
        event_type=event,
        resource="meeting",
        pk=instance.pk,
        # A meeting scheduled again after a change of mind is a new happening: keyed by sequence.
        key=f"{event}:{instance.pk}:{instance.sequence if isinstance(instance.sequence, int) else ''}",
    )


@receiver(post_save, sender=FeedbackCycle, dispatch_uid="api.webhook_cycle_opened")
def cycle_created(sender, instance: FeedbackCycle, created, raw=False, **kwargs) -> None:
    if raw or not created or instance.opens > timezone.localdate():
        return  # a cycle that opens later is told on its day (announce_cycle_dates)
    _cycle_event(instance, Event.CYCLE_OPENED)


def _cycle_event(cycle: FeedbackCycle, event: str) -> None:
    emit(program_id=cycle.program_id, event_type=event, resource="feedback_cycle", pk=cycle.pk)


def announce_cycle_dates(today=None) -> int:
    """Cycles that opened or closed by the calendar in the last days: each told once (the
    deliveries' unique key), however often this runs."""
    today = today or timezone.localdate()
    since = today - CYCLE_LOOKBACK
    told = 0
    for cycle in FeedbackCycle.objects.filter(opens__lte=today, opens__gte=since):
        _cycle_event(cycle, Event.CYCLE_OPENED)
        told += 1
    for cycle in FeedbackCycle.objects.filter(closes__lt=today, closes__gte=since):
        _cycle_event(cycle, Event.CYCLE_CLOSED)
        told += 1
    return told
