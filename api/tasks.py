"""Celery entry points of the api app: ids in, one service each."""

from celery import shared_task

from api import webhooks


@shared_task(acks_late=True, reject_on_worker_lost=True)
def deliver_webhooks(ids: list[int]) -> None:
    """One attempt of each due delivery; a delivery another worker holds, or not yet due, is skipped."""
    for pk in ids:
        webhooks.deliver(pk)


@shared_task
def send_due_webhooks() -> int:
    """The sweep: hands out what a lost task or a dead worker left pending (the rows are the truth)."""
    ids = webhooks.due_deliveries()
    for start in range(0, len(ids), 20):
        deliver_webhooks.delay(ids[start : start + 20])
    return len(ids)


@shared_task
def announce_feedback_cycle_dates() -> int:
    """Cycles that opened or closed by the calendar (no one acted): told once each."""
    from api.receivers import announce_cycle_dates

    return announce_cycle_dates()
