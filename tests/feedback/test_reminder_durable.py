"""The admin's "send reminder" is a notice in the database: a broker outage delays it, nothing
loses or doubles it, and a person's e-mail preferences do not hold it back."""

import uuid

from django.urls import reverse

from feedback.services import send_feedback_reminder
from mentoring import registry
from mentoring.models import Notification
from mentoring.notices.preferences import set_preferences
from mentoring.reminders import sweep
from tests.feedback.helpers import make_cycle, request_of, submit
from tests.reminders.worker import CLOSED_PORT_URL, broker

REMINDERS = "feedback_reminder"


def test_admin_reminds_with_the_broker_down_and_the_mail_goes_once_when_it_is_back(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    feedback_request = request_of(make_cycle(world), world.dyad, "mentor")
    client.force_login(world.admin)
    queue = f"feedback-test-{uuid.uuid4().hex[:8]}"
    with broker(CLOSED_PORT_URL, queue), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("feedback:remind", args=[feedback_request.pk]), follow=True)
    assert response.status_code == 200
    assert f"A reminder is on its way to {world.mentor}" in response.content.decode()
    assert mailoutbox == []
    sweep("feedback_reminder")  # the broker is back
    sweep("feedback_reminder")
    (mail,) = mailoutbox
    assert mail.to == [world.mentor.email]
    assert "Reminder: your feedback for" in mail.subject
    assert f"/feedback/requests/{feedback_request.pk}/" in mail.body


def test_mentor_who_chose_no_email_still_gets_the_admins_reminder(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    set_preferences(
        user=world.mentor, choices=dict.fromkeys([k.name for k in registry.kinds()], "off")
    )
    feedback_request = request_of(make_cycle(world), world.dyad, "mentor")
    with django_capture_on_commit_callbacks(execute=True):
        send_feedback_reminder(feedback_request=feedback_request, by=world.admin)
    assert [m.to for m in mailoutbox] == [[world.mentor.email]]
    assert Notification.objects.get(kind=REMINDERS).channel == Notification.Channel.EMAIL


def test_mentor_who_answered_meanwhile_gets_no_reminder(world, mailoutbox):
    feedback_request = request_of(make_cycle(world), world.dyad, "mentor")
    send_feedback_reminder(
        feedback_request=feedback_request, by=world.admin
    )  # its hand-over never ran
    submit(feedback_request)
    sweep("feedback_reminder")
    assert mailoutbox == []
    notice = Notification.objects.get(kind=REMINDERS)
    assert notice.sent_at is not None and notice.channel == Notification.Channel.IN_APP
