"""Celery entry points of the notices, each a thin call into one service, and `enqueue`, the one way
to hand notices to them. Tasks take ids, never objects.

Their names are the ones they had when they lived in mentoring/tasks.py (given here explicitly):
beat's schedule and the messages already queued name them. mentoring/tasks.py imports them, so
Celery's autodiscovery, which reads each app's `tasks` module, registers them in every worker.
"""

import logging
from collections.abc import Iterable

from celery import shared_task
from celery.signals import beat_init
from django.conf import settings
from django.utils import timezone

from mentoring import registry
from mentoring.models import Notification
from mentoring.notices import delivery
from mentoring.notices.planning import chunks, sweep_kind

log = logging.getLogger(__name__)

# Notices per delivery task: one broker message, one claim, one load and one mail connection for
# this many, and few enough that a chunk ends well inside the task's time limit on a slow server.
CHUNK_SIZE = 200


def chunk_size() -> int:
    return getattr(settings, "NOTIFICATION_CHUNK_SIZE", CHUNK_SIZE)


@shared_task(
    name="mentoring.tasks.deliver_notifications", acks_late=True, reject_on_worker_lost=True
)
def deliver_notifications(notification_ids: list[int], retrying: bool = False) -> dict:
    """Send a chunk of notices, each once (mentoring.notices.delivery.deliver_chunk). The ones the
    mail server refused for now come back as one task per backoff; the attempt count in each row
    (not Celery's) decides when a failure becomes permanent. With the broker down for that, the rows
    keep their retry time and the sweep of their kind hands them out once it has passed."""
    report = delivery.deliver_chunk(notification_ids, retrying=retrying)
    for countdown, ids in sorted(report.retries.items()):
        try:
            deliver_notifications.apply_async((ids,), {"retrying": True}, countdown=countdown)
        except Exception as error:  # broker down or hung: the sweeps catch up
            log.warning("broker unavailable, %s retries wait for a sweep: %s", len(ids), error)
    return report.counts()


@shared_task(
    name="mentoring.tasks.deliver_notification",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=None,
)
def deliver_notification(self, notification_id: int) -> str:
    """Send one notice once (an admin's "send again"). A transient mail failure retries with
    exponential backoff; the attempt count in the row (not Celery's) decides when a failure
    becomes permanent."""
    try:
        return delivery.deliver(notification_id=notification_id, retrying=self.request.retries > 0)
    except delivery.TransientSendError as error:
        raise self.retry(countdown=error.countdown) from error


def enqueue(ids: Iterable[int]) -> int:
    """Hand the ids to the broker, one delivery task per chunk, and note when. With the broker down
    or hung (its waits are bounded in the settings), stop quietly: the rows wait in the database and
    the next sweep enqueues them, so nothing that became due is lost, and no request that saved
    fails. Returns how many notices were handed over."""
    handed: list[int] = []
    for chunk in chunks(list(ids), chunk_size()):
        try:
            deliver_notifications.delay(chunk)
        except Exception as error:  # broker down, hung or refusing: the sweep catches up
            log.warning("broker unavailable, notices wait for the next sweep: %s", error)
            break
        handed += chunk
    stamp = timezone.now()
    for batch in chunks(handed, 5_000):
        Notification.objects.filter(pk__in=batch).update(enqueued_at=stamp)
    return len(handed)


@shared_task(name="mentoring.tasks.sweep")
def sweep(name: str) -> dict:
    """Beat runs each kind's sweep at the interval its app declared (mentoring/registry.py). Running
    one twice, or three at once, is harmless: planning is deduplicated and delivery is claimed."""
    result = sweep_kind(name, send=enqueue)
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
