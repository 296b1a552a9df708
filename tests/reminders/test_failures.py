import smtplib

import pytest
from django.utils import timezone

from mentoring.models import Notification
from mentoring.notices.delivery import MAX_ATTEMPTS, backoff_seconds
from mentoring.notices.tasks import deliver_notification
from tests.reminders.backends import FlakyBackend
from tests.reminders.conftest import notices


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.reminders.backends.FlakyBackend"
    FlakyBackend.errors = []
    yield FlakyBackend.errors
    FlakyBackend.errors = []


@pytest.fixture
def retries_inline():
    # Eager tasks run their retries inline only when exceptions do not propagate (Celery's rule).
    from mentoring.celery import app

    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = True


def test_send_that_fails_transiently_is_retried_then_succeeds(
    notice, flaky, mailoutbox, retries_inline
):
    flaky += [smtplib.SMTPServerDisconnected("gone"), smtplib.SMTPResponseException(451, b"later")]
    deliver_notification.delay(notice.pk)
    assert notices(mailoutbox) == [notice.dedupe_key]
    notice.refresh_from_db()
    assert notice.sent_at is not None and notice.attempts == 3 and notice.failed_at is None


def test_transient_failure_schedules_the_retry_with_backoff(notice, flaky):
    from mentoring.notices.delivery import TransientSendError, deliver

    flaky.append(ConnectionRefusedError("mail server down"))
    with pytest.raises(TransientSendError) as raised:
        deliver(notification_id=notice.pk)
    assert raised.value.countdown == backoff_seconds(1)
    notice.refresh_from_db()
    assert notice.claimed_at is None and notice.retry_at > timezone.now()
    assert "mail server down" in notice.last_error
    # Until then a sweep leaves it alone: the scheduled retry is its next attempt.
    assert deliver(notification_id=notice.pk) == "skipped"


def test_backoff_doubles_up_to_a_cap():
    assert [backoff_seconds(n) for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert backoff_seconds(50) == 30 * 60


def test_permanent_failure_is_recorded_not_retried(notice, flaky, mailoutbox):
    flaky.append(smtplib.SMTPRecipientsRefused({"mentee@a.example": (550, b"no such user")}))
    assert deliver_notification.delay(notice.pk).get() == "failed"
    notice.refresh_from_db()
    assert notice.failed_at is not None and notice.sent_at is None and notice.attempts == 1
    assert "no such user" in notice.last_error
    assert mailoutbox == []


def test_send_that_keeps_failing_is_recorded_after_the_last_attempt(
    notice, flaky, mailoutbox, retries_inline
):
    flaky += [smtplib.SMTPServerDisconnected("gone")] * (MAX_ATTEMPTS + 2)
    deliver_notification.delay(notice.pk)
    notice.refresh_from_db()
    assert notice.failed_at is not None and notice.attempts == MAX_ATTEMPTS
    assert mailoutbox == []


def test_failed_notice_is_not_swept_again(notice, flaky, mailoutbox):
    from mentoring.notices.planning import deliverable_ids

    flaky.append(smtplib.SMTPResponseException(554, b"rejected"))
    deliver_notification.delay(notice.pk)
    assert deliverable_ids() == []
    assert Notification.objects.get().status == "failed"
