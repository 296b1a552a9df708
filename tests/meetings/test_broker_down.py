"""With Redis (the broker) down, meetings are still scheduled, moved and cancelled; their e-mails
wait as notices in the database and go out once each when the broker is back."""

import email
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from icalendar import Calendar

from meetings.models import Meeting
from mentoring.models import Notification
from mentoring.reminders import sweep
from programs.models import Dyad
from tests.meetings.builders import propose, schedule
from tests.reminders.worker import (
    BROKER_URL,
    CLOSED_PORT_URL,
    Worker,
    broker,
    mails,
    purge,
    wait_for,
)

UPDATES = "meeting_update"


def _method(message) -> str:
    """The METHOD of the one .ics attached to a sent message."""
    (part,) = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
    assert part.get_filename() == "meeting.ics"
    return str(Calendar.from_ical(part.get_payload(decode=True))["METHOD"])


def _run_reminders() -> str:
    out = StringIO()
    call_command("run_reminders", "--only", "meeting_update", stdout=out)
    return out.getvalue()


def test_people_schedule_and_cancel_with_the_broker_down_and_each_mail_goes_once_when_back(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    earlier = schedule(world.dyad)  # before the outage
    pending = propose(world.dyad, by=world.mentee, confirm_overlap=True)
    Notification.objects.update(sent_at=Notification.objects.first().created_at)  # sent back then
    with broker(CLOSED_PORT_URL, f"meetings-test-{uuid.uuid4().hex[:8]}"):
        client.force_login(world.mentor)
        with django_capture_on_commit_callbacks(execute=True):
            accepted = client.post(
                reverse("meetings:accept", args=[pending.proposals.get().pk]),
                {"confirm_overlap": "1"},
            )
            cancelled = client.post(
                reverse("meetings:cancel", args=[earlier.pk]), {"reason": "Clinic moved"}
            )
    assert (accepted.status_code, cancelled.status_code) == (302, 302)
    assert Meeting.objects.get(pk=pending.pk).status == Meeting.Status.SCHEDULED
    assert Meeting.objects.get(pk=earlier.pk).status == Meeting.Status.CANCELLED
    assert mailoutbox == []  # nothing went out: the four mails wait as notices
    assert Notification.objects.filter(kind=UPDATES, sent_at=None).count() == 4

    output = _run_reminders()  # the broker is back (or an operator runs the command)
    assert output.endswith("4 e-mailed\n")
    sent = sorted((m.to[0], _method(m)) for m in mailoutbox)
    assert sent == sorted(
        (person.email, method)
        for person in (world.mentor, world.mentee)
        for method in ("REQUEST", "CANCEL")
    )
    cancel_to_mentee = next(
        m for m in mailoutbox if m.to == [world.mentee.email] and _method(m) == "CANCEL"
    )
    assert "Clinic moved" in cancel_to_mentee.body

    _run_reminders()
    assert len(mailoutbox) == 4  # running it again sends nothing


def test_ending_a_dyad_with_the_broker_down_cancels_its_meetings_at_once(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    upcoming = schedule(world.dyad)
    mailoutbox.clear()
    Notification.objects.update(sent_at=upcoming.scheduled_at)
    with broker(CLOSED_PORT_URL, f"meetings-test-{uuid.uuid4().hex[:8]}"):
        client.force_login(world.admin)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("programs:dyad_end", args=[world.dyad.pk]), {"reason": "goals_met"}
            )
    assert response.status_code == 302
    assert Dyad.objects.get(pk=world.dyad.pk).status == Dyad.Status.ENDED
    assert Meeting.objects.get(pk=upcoming.pk).status == Meeting.Status.CANCELLED
    assert mailoutbox == []
    sweep("meeting_update")  # the broker is back: tasks run eagerly again
    assert sorted((m.to[0], _method(m)) for m in mailoutbox) == [
        (world.mentee.email, "CANCEL"),
        (world.mentor.email, "CANCEL"),
    ]


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_each_invitation_once_after_the_broker_returns(world, tmp_path):
    queue = f"meetings-test-{uuid.uuid4().hex[:8]}"
    purge(queue)
    meeting = propose(world.dyad)
    with broker(CLOSED_PORT_URL, queue):
        from meetings.services import accept_proposal

        accept_proposal(proposal=meeting.proposals.get(), by=world.mentor)  # commits, can't enqueue
    assert Notification.objects.filter(kind=UPDATES, sent_at=None).count() == 2
    worker = Worker(var_dir=tmp_path, queue=queue)
    try:
        with broker(BROKER_URL, queue):
            assert sweep("meeting_update").enqueued == 2
        wait_for(
            lambda: not Notification.objects.filter(kind=UPDATES, sent_at=None).exists(),
            what="delivery",
        )
        with broker(BROKER_URL, queue):
            assert sweep("meeting_update").enqueued == 0
    finally:
        worker.stop()
        purge(queue)
    assert sorted(mails(tmp_path).values()) == [1, 1]
    messages = [
        email.message_from_bytes(path.read_bytes()) for path in (tmp_path / "mail").glob("*.eml")
    ]
    assert sorted(m["To"] for m in messages) == sorted([world.mentor.email, world.mentee.email])
    for message in messages:
        (ics,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
        assert Calendar.from_ical(ics.get_payload(decode=True))["METHOD"] == "REQUEST"
