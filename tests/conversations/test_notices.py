"""The new_message notice: one e-mail per conversation once the partner's messages have waited
unread for 10 minutes, with their text (escaped in HTML); none when read in time; the person's
choice of e-mail, digest or in-app honoured."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from mentoring.models import Notification
from mentoring.notices.delivery import deliver
from mentoring.notices.preferences import set_preferences
from mentoring.reminders import sweep
from tests.conversations.builders import write

KIND = "new_message"


def _sweep_at(moment):
    with time_machine.travel(moment, tick=False):
        return sweep(KIND)


def _written_at(moment, dyad, by, body):
    with time_machine.travel(moment, tick=False):
        return write(dyad, by, body)


def _opens(client, user, dyad, moment):
    client.force_login(user)
    with time_machine.travel(moment, tick=False):
        assert client.get(f"/conversations/{dyad.pk}/").status_code == 200


def test_one_email_after_ten_minutes_unread_with_the_messages_text(world, mailoutbox):
    start = timezone.now()
    _written_at(start, world.dyad, world.mentee, "Could you read <b>my</b> aims?")
    _written_at(start + timedelta(minutes=1), world.dyad, world.mentee, "Deadline is Friday.")
    _sweep_at(start + timedelta(minutes=9))
    assert mailoutbox == []
    _sweep_at(start + timedelta(minutes=11))
    [mail] = mailoutbox
    assert mail.to == [world.mentor.email]
    assert "New messages from Sam Mentee" in mail.subject
    assert "Could you read <b>my</b> aims?" in mail.body and "Deadline is Friday." in mail.body
    html = mail.alternatives[0][0]
    assert "Could you read &lt;b&gt;my&lt;/b&gt; aims?" in html
    # More messages on top of the unread ones earn no second e-mail, nor does another sweep.
    _written_at(start + timedelta(minutes=12), world.dyad, world.mentee, "Hello?")
    _sweep_at(start + timedelta(minutes=25))
    _sweep_at(start + timedelta(minutes=40))
    assert len(mailoutbox) == 1


def test_no_email_when_read_in_time(client, world, mailoutbox):
    start = timezone.now()
    _written_at(start, world.dyad, world.mentee, "Quick question")
    _opens(client, world.mentor, world.dyad, start + timedelta(minutes=5))
    _sweep_at(start + timedelta(minutes=11))
    _sweep_at(start + timedelta(minutes=30))
    assert mailoutbox == []


def test_no_email_when_read_between_planning_and_sending(client, world, mailoutbox):
    start = timezone.now()
    _written_at(start, world.dyad, world.mentee, "Quick question")

    held = []
    with time_machine.travel(start + timedelta(minutes=11), tick=False):
        sweep(KIND, send=lambda ids: held.extend(ids) or 0)  # the broker holds it a while
    assert held
    _opens(client, world.mentor, world.dyad, start + timedelta(minutes=12))
    assert deliver(notification_id=held[0]) == "superseded"
    assert mailoutbox == []


def test_a_new_batch_after_reading_earns_a_new_email(client, world, mailoutbox):
    start = timezone.now()
    _written_at(start, world.dyad, world.mentor, "first")
    _sweep_at(start + timedelta(minutes=11))
    _opens(client, world.mentee, world.dyad, start + timedelta(minutes=20))
    _written_at(start + timedelta(minutes=30), world.dyad, world.mentor, "second")
    _sweep_at(start + timedelta(minutes=41))
    assert [m.to for m in mailoutbox] == [[world.mentee.email]] * 2
    assert "second" in mailoutbox[1].body and "first" not in mailoutbox[1].body


def test_ones_own_messages_never_notify_oneself(world, mailoutbox):
    start = timezone.now()
    _written_at(start, world.dyad, world.mentee, "note to the mentor")
    _sweep_at(start + timedelta(minutes=11))
    assert [m.to for m in mailoutbox] == [[world.mentor.email]]


def test_the_persons_choice_is_honoured(world, mailoutbox):
    set_preferences(user=world.mentor, choices={KIND: "off"})
    start = timezone.now()
    _written_at(start, world.dyad, world.mentee, "Quick question")
    _sweep_at(start + timedelta(minutes=11))
    assert mailoutbox == []
    notice = Notification.objects.get(kind=KIND)
    assert notice.recipient == world.mentor and notice.channel == Notification.Channel.IN_APP
    assert "Quick question" not in notice.title + notice.body  # the text only in the e-mail
