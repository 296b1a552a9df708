"""With Redis down, people keep working; when it is back, the next sweep sends what became due."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.models import Meeting
from mentoring.models import Notification
from mentoring.reminders import sweep
from tests.reminders.conftest import schedule_meeting
from tests.reminders.worker import (
    BROKER_URL,
    CLOSED_PORT_URL,
    Worker,
    broker,
    mails,
    purge,
    wait_for,
)

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_saving_a_meeting_works_with_redis_down_and_next_sweep_sends(world, tmp_path):
    queue = f"reminders-test-{uuid.uuid4().hex[:8]}"
    purge(queue)
    starts_at = timezone.now() + timedelta(minutes=40)
    with broker(CLOSED_PORT_URL, queue):
        meeting = schedule_meeting(world.dyad, starts_at)
        assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.SCHEDULED
        # The sweep plans what is due and cannot hand it over: the rows wait, nothing is lost.
        result = sweep("meeting_soon")
        assert (result.planned, result.enqueued) == (2, 0)
    # Two reminders, the two invitations that scheduling could not hand over either, and the
    # mentor's notice of the times the mentee proposed.
    assert Notification.objects.filter(sent_at=None).count() == 5
    with broker(BROKER_URL, queue):  # Redis is back
        assert sweep("meeting_soon").enqueued == 2
        assert sweep("meeting_update").enqueued == 2
        assert sweep("meeting_proposed").enqueued == 1
    worker = Worker(var_dir=tmp_path, queue=queue)
    try:
        wait_for(lambda: not Notification.objects.filter(sent_at=None).exists(), what="delivery")
    finally:
        worker.stop()
        purge(queue)
    assert sorted(mails(tmp_path).values()) == [1, 1, 1, 1, 1]
