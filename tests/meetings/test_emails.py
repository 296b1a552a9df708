"""Both sides get an e-mail with the .ics on schedule, change and cancel, sent after commit."""

from datetime import timedelta

from django.urls import reverse
from icalendar import Calendar

from meetings import services
from mentoring.models import Notification
from mentoring.reminders import sweep
from tests.meetings.builders import at, propose


def _ics(message) -> Calendar:
    parts = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    assert parts[0].get_filename() == "meeting.ics"
    return Calendar.from_ical(parts[0].get_payload(decode=True))


def test_both_get_an_invitation_when_the_meeting_is_scheduled(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = propose(world.dyad)
    assert mailoutbox == []  # a proposal reaches no calendar
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_proposal(proposal=meeting.proposals.get(), by=world.mentor)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([world.mentor.email, world.mentee.email])
    to_mentee = next(m for m in mailoutbox if m.to == [world.mentee.email])
    assert "Maria Mentor" in to_mentee.subject
    assert "Add your agenda" in to_mentee.body
    assert to_mentee.alternatives[0][1] == "text/html"
    assert _ics(to_mentee)["METHOD"] == "REQUEST"


def test_nothing_is_sent_when_the_transaction_rolls_back(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = propose(world.dyad)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.accept_proposal(proposal=meeting.proposals.get(), by=world.mentor)
    assert len(callbacks) == 1
    assert mailoutbox == []


def test_change_and_cancel_mail_both_with_the_new_sequence(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = propose(world.dyad)
    services.accept_proposal(proposal=meeting.proposals.get(), by=world.mentor)
    new = at(6, hour=9)
    with django_capture_on_commit_callbacks(execute=True):
        services.change_meeting(
            meeting=meeting,
            by=world.mentee,
            starts_at=new,
            ends_at=new + timedelta(hours=1),
            location="",
            video_url="",
            reason="Teaching",
        )
    assert len(mailoutbox) == 2
    assert "moved" in mailoutbox[0].subject
    assert "Teaching" in mailoutbox[0].body
    assert _ics(mailoutbox[0]).walk("VEVENT")[0]["SEQUENCE"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(meeting=meeting, by=world.mentee, reason="Sick")
    assert len(mailoutbox) == 4
    cancel = mailoutbox[2]
    assert cancel.subject.startswith("[Mentoring] Cancelled")
    calendar = _ics(cancel)
    assert calendar["METHOD"] == "CANCEL"
    assert calendar.walk("VEVENT")[0]["STATUS"] == "CANCELLED"


def test_a_message_about_an_older_version_is_not_sent(world, mailoutbox):
    meeting = propose(world.dyad)
    meeting = services.accept_proposal(proposal=meeting.proposals.get(), by=world.mentor)
    services.cancel_meeting(meeting=meeting, by=world.mentee, reason="Sick")
    # Neither commit's hand-over ran (no on-commit here): the sweep delivers both versions late.
    # The "scheduled" notices of sequence 0 are done without a message; only the cancellation goes.
    sweep("meeting_update")
    assert sorted(m.to[0] for m in mailoutbox) == sorted([world.mentor.email, world.mentee.email])
    assert all(m.subject.startswith("[Mentoring] Cancelled") for m in mailoutbox)
    notices = Notification.objects.filter(kind="meeting_update")
    assert notices.filter(sent_at=None).count() == 0
    assert notices.filter(details__sequence=0, channel="in_app").count() == 2
    sweep("meeting_update")
    assert len(mailoutbox) == 2


def test_each_side_finds_the_update_in_their_notices(
    world, client, django_capture_on_commit_callbacks
):
    meeting = propose(world.dyad)
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_proposal(proposal=meeting.proposals.get(), by=world.mentor)
    notice = Notification.objects.get(recipient=world.mentee)
    assert notice.title.startswith("Meeting with Maria Mentor scheduled")
    assert notice.sent_at is not None and notice.channel == "email"
    client.force_login(world.mentee)
    assert notice.title in client.get(reverse("notifications:list")).content.decode()


def test_times_in_the_email_are_in_the_recipients_zone(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    world.mentee.time_zone = "Asia/Tokyo"
    world.mentee.save()
    starts = at(3, hour=1)  # 01:00 UTC is 10:00 in Tokyo
    meeting = propose(world.dyad, by=world.mentor, starts_at=starts)
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_proposal(proposal=meeting.proposals.get(), by=world.mentee)
    to_mentee = next(m for m in mailoutbox if m.to == [world.mentee.email])
    assert "10:00" in to_mentee.body
    assert "JST" in to_mentee.body  # the zone named


def test_a_cancellation_offers_to_remove_the_meeting_never_to_add_it(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = propose(world.dyad)
    services.accept_proposal(proposal=meeting.proposals.get(), by=world.mentor)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(meeting=meeting, by=world.mentee, reason="Sick")
    cancel = next(m for m in mailoutbox if m.subject.startswith("[Mentoring] Cancelled"))
    assert _ics(cancel)["METHOD"] == "CANCEL"
    for text in (cancel.body, cancel.alternatives[0][0]):
        assert "add" not in text.lower().replace("address", "")
        assert "removes" in text
    client.force_login(world.mentor)
    page = client.get(meeting.get_absolute_url()).text
    assert "Add to my calendar" not in page
    assert "Remove from my calendar (.ics)" in page
