"""Celery entry points: each a thin call into one service. Tasks take ids, never objects."""

from celery import shared_task
from celery.signals import beat_init

from mentoring import notifications, registry, reminders


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def deliver_notification(self, notification_id: int) -> str:
    """Send one notice once. A transient mail failure retries with exponential backoff; the
    attempt count in the row (not Celery's) decides when a failure becomes permanent."""
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
