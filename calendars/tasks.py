"""Celery entry points of the calendars app: each takes ids and calls one service."""

import logging
from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from calendars import services
from calendars.models import Connection

log = logging.getLogger(__name__)
REFRESH_EVERY = timedelta(minutes=15)


def later(task, *args) -> None:
    """Send after the commit; a broker that is down only delays it (the 15-minute refresh catches
    up), never fails the request that saved."""

    def send() -> None:
        try:
            task.delay(*args)
        except Exception as error:  # broker down, hung or refusing
            log.warning("broker unavailable, the calendar refresh catches up: %s", error)

    transaction.on_commit(send)


@shared_task
def refresh_calendar(connection_id: int) -> bool:
    connection = Connection.objects.select_related("user").filter(pk=connection_id).first()
    return services.refresh(connection) if connection else False


@shared_task
def write_meeting(meeting_id: int) -> None:
    services.write_meeting(meeting_id)


@shared_task
def refresh_due_calendars() -> int:
    """Every connection not read for 15 minutes gets its own refresh task. Idempotent: refreshing
    twice reads the same calendar twice, and stores the same busy times."""
    due = (
        Connection.objects.filter(is_sample=False)
        .filter(
            Q(last_attempt_at=None)
            | Q(last_attempt_at__lte=timezone.now() - REFRESH_EVERY + timedelta(minutes=1))
        )
        .values_list("pk", flat=True)
    )
    count = 0
    for pk in due.iterator():
        try:
            refresh_calendar.delay(pk)
        except Exception as error:
            log.warning("broker unavailable, calendars wait for the next run: %s", error)
            break
        count += 1
    return count
