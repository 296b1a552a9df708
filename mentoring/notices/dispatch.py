"""Notices an action sends now rather than a sweep later: planned in the action's transaction and
handed to the broker once it commits (`notify`), and a failed notice sent again (`resend`)."""

import logging
from collections.abc import Iterable

from django.db import transaction

from mentoring.models import Notification
from mentoring.notices.planning import Occasion, deliverable_by_keys, plan_notifications
from mentoring.notices.tasks import deliver_notification, enqueue

log = logging.getLogger(__name__)


def notify(*, kind: str, due: Iterable[Occasion]) -> int:
    """Notices caused by what someone just did (a meeting moved, an admin's reminder): planned in
    the caller's transaction, so they exist exactly when the change does, and handed to the broker
    after the commit. With the broker down the rows wait, and the sweep of their kind (every kind
    is swept, mentoring/registry.py) sends them once it is back. Returns the new rows."""
    occasions = list(due)
    planned = plan_notifications(kind=kind, due=occasions)
    keys = [occasion.dedupe_key(kind) for occasion in occasions]
    if keys:
        transaction.on_commit(lambda: enqueue(deliverable_by_keys(keys)))
    return planned


@transaction.atomic
def resend(*, notification: Notification) -> Notification:
    """Hand a failed notice out again (the caller decided who may: see programs.services)."""
    if notification.failed_at is None:
        return notification  # sent or still on its way: a double click sends nothing twice
    Notification.objects.filter(pk=notification.pk).update(
        failed_at=None, claimed_at=None, retry_at=None, attempts=0
    )
    notification.refresh_from_db()
    transaction.on_commit(lambda: _enqueue_quietly(deliver_notification, notification.pk))
    return notification


def _enqueue_quietly(task, notification_id: int) -> None:
    try:
        task.delay(notification_id)
    except Exception:  # broker down or hung: the next sweep hands it out
        log.warning("broker unavailable: notice %s goes out with the next sweep", notification_id)
