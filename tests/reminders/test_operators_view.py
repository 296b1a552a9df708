import smtplib

from django.urls import reverse

from mentoring.models import Notification
from mentoring.notices.delivery import deliver
from tests.reminders.backends import FlakyBackend
from tests.reminders.conftest import failed_notice_for, notice_for, notices


def test_admin_sees_recent_sends_and_failures_of_their_program(client, world):
    sent = notice_for(world.mentor, program=world.program, title="Time to meet Sam")
    deliver(notification_id=sent.pk)
    failed_notice_for(world.mentee, program=world.program, title="Bounced reminder")
    notice_for(world.outsider, program=world.program_b, title="Program B business")
    client.force_login(world.admin)
    page = client.get(reverse("programs:notices", args=[world.program.slug]))
    text = page.content.decode()
    assert "Time to meet Sam" in text and "Bounced reminder" in text
    assert "550 no such user" in text and "Send again" in text
    assert "Program B business" not in text


def test_admin_sends_a_failed_notice_again(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    failed = failed_notice_for(world.mentee, program=world.program)
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("programs:notice_send_again", args=[failed.pk]))
    assert response.status_code == 302
    assert notices(mailoutbox) == [failed.dedupe_key]
    failed.refresh_from_db()
    assert failed.sent_at is not None and failed.failed_at is None


def test_sending_again_twice_sends_once(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    failed = failed_notice_for(world.mentee, program=world.program)
    client.force_login(world.admin)
    url = reverse("programs:notice_send_again", args=[failed.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert len(notices(mailoutbox)) == 1


def test_notice_failing_again_shows_as_failed_again(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.reminders.backends.FlakyBackend"
    FlakyBackend.errors = [smtplib.SMTPRecipientsRefused({"x": (550, b"still unknown")})]
    failed = failed_notice_for(world.mentee, program=world.program)
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("programs:notice_send_again", args=[failed.pk]))
    assert "still unknown" in Notification.objects.get(pk=failed.pk).last_error


def test_mentor_cannot_open_the_operators_view(client, world):
    client.force_login(world.mentor)
    response = client.get(reverse("programs:notices", args=[world.program.slug]))
    assert response.status_code == 403


def test_empty_operators_view_says_nothing_sent_yet(client, world):
    client.force_login(world.admin)
    text = client.get(reverse("programs:notices", args=[world.program.slug])).content.decode()
    assert "Nothing sent yet" in text and "No failures" in text


def test_admin_finds_the_operators_view_from_the_notifications_page(client, world):
    client.force_login(world.admin)
    page = client.get(reverse("notifications:list")).content.decode()
    assert reverse("programs:notices", args=[world.program.slug]) in page
