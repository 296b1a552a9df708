"""Celery entry points: each a thin call into one service. Tasks take ids, never objects."""

import logging

from celery import shared_task
from celery.signals import beat_init

from mentoring import notifications, registry, reminders

log = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def deliver_notifications(notification_ids: list[int], retrying: bool = False) -> dict:
    """Send a chunk of notices, each once (mentoring.notifications.deliver_chunk). The ones the mail
    server refused for now come back as one task per backoff; the attempt count in each row (not
    Celery's) decides when a failure becomes permanent. With the broker down for that, the rows
    keep their retry time and the sweep of their kind hands them out once it has passed."""
    report = notifications.deliver_chunk(notification_ids, retrying=retrying)
    for countdown, ids in sorted(report.retries.items()):
        try:
            deliver_notifications.apply_async((ids,), {"retrying": True}, countdown=countdown)
        except Exception as error:  # broker down or hung: the sweeps catch up
            log.warning("broker unavailable, %s retries wait for a sweep: %s", len(ids), error)
    return report.counts()


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def deliver_notification(self, notification_id: int) -> str:
    """Send one notice once (an admin's "send again"). A transient mail failure retries with
    exponential backoff; the attempt count in the row (not Celery's) decides when a failure
    becomes permanent."""
    try:
        return notifications.deliver(
            notification_id=notification_id, retrying=self.request.retries > 0
        )
    except notifications.TransientSendError as error:
        raise self.retry(countdown=error.countdown) from error


@shared_task
def sweep(name: str) -> dict:
    """Beat runs each kind's sweep at the interval its app declared (mentoring/registry.py). Running
    one twice, or three at once, is harmless: planning is deduplicated and delivery is claimed."""
    result = reminders.sweep(name)
    return {"planned": result.planned, "enqueued": result.enqueued}


@beat_init.connect
def sweep_when_beat_starts(sender=None, **kwargs) -> None:
    """Every sweep once as beat starts (interval entries first run one interval later): after
    downtime, what became due goes out at once, and `make run` shows reminders right away. The jobs
    (writes such as opening due feedback cycles) go first, so the sweeps see what they made."""
    for job in registry.JOBS.values():
        sender.app.send_task(job.task)
    for kind in registry.kinds():
        sweep.delay(kind.name)
