"""Three sweeps at once, as with two beats running by mistake: each reminder is sent once."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from mentoring.models import Notification
from mentoring.reminders import sweep
from tests.reminders.conftest import notices, schedule_meeting

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def reminders():
    """The "within the hour" reminders (scheduling also sends each side an invitation notice)."""
    return Notification.objects.filter(kind="meeting_soon")


def test_three_sweeps_at_once_send_each_reminder_once(world, mailoutbox):
    start = timezone.now() + timedelta(minutes=20)
    for n in range(5):
        schedule_meeting(world.dyad, start + timedelta(minutes=n))
        schedule_meeting(world.other_dyad, start + timedelta(minutes=n))
    mailoutbox.clear()  # the invitations the scheduling sent
    gate = threading.Barrier(3)
    errors = []

    def run():
        try:
            gate.wait()
            sweep("meeting_soon")  # plans, then delivers in this thread (tasks run eagerly here)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    keys = set(reminders().values_list("dedupe_key", flat=True))
    assert len(keys) == 20
    assert sorted(notices(mailoutbox)) == sorted(keys)
