import time_machine

from tests.reminders.conftest import NEW_YORK, at, in_zone, run, schedule_meeting, sent_to


def test_both_sides_get_meeting_tomorrow_reminder_once(world, mailoutbox):
    with time_machine.travel(at(2027, 1, 10, 12), tick=False):
        schedule_meeting(world.dyad, at(2027, 1, 15, 14))
    mailoutbox.clear()
    assert run("meeting_tomorrow", at(2027, 1, 14, 9)).planned == 2
    assert [to for to, _subject in sent_to(mailoutbox)] == sorted(
        [world.mentor.email, world.mentee.email]
    )
    assert run("meeting_tomorrow", at(2027, 1, 14, 15)).planned == 0
    assert len(sent_to(mailoutbox)) == 2


def test_nobody_is_reminded_before_eight_in_the_morning_their_time(world, mailoutbox):
    with time_machine.travel(at(2027, 1, 10, 12), tick=False):
        schedule_meeting(world.dyad, at(2027, 1, 15, 14))
    mailoutbox.clear()
    assert run("meeting_tomorrow", at(2027, 1, 14, 7, 45)).planned == 0


def test_meeting_two_days_away_is_not_tomorrow(world, mailoutbox):
    with time_machine.travel(at(2027, 1, 10, 12), tick=False):
        schedule_meeting(world.dyad, at(2027, 1, 16, 9))
    assert run("meeting_tomorrow", at(2027, 1, 14, 12)).planned == 0


def test_tomorrow_is_the_recipients_tomorrow_on_the_short_dst_day(world, mailoutbox):
    # Sunday 14 March 2027 is 23 hours long in New York. On Saturday evening, both meetings below are
    # "tomorrow" there; for the mentee in UTC it is already Sunday, 01:00, and too early to remind.
    in_zone(world.mentor, "America/New_York")
    with time_machine.travel(at(2027, 3, 1, 12), tick=False):
        schedule_meeting(world.dyad, at(2027, 3, 14, 0, 30, tz=NEW_YORK))  # 05:30 UTC Sunday
        schedule_meeting(world.dyad, at(2027, 3, 14, 23, 30, tz=NEW_YORK))  # 03:30 UTC Monday
        schedule_meeting(world.dyad, at(2027, 3, 15, 0, 30, tz=NEW_YORK))  # Monday: not tomorrow
    mailoutbox.clear()
    run("meeting_tomorrow", at(2027, 3, 13, 20, tz=NEW_YORK))
    sent = sent_to(mailoutbox)
    assert [to for to, _s in sent] == [world.mentor.email, world.mentor.email]
    assert any("Sun 14 Mar 2027, 00:30 EST" in s for _to, s in sent)
    assert any("Sun 14 Mar 2027, 23:30 EDT" in s for _to, s in sent)


def test_tomorrow_is_the_recipients_tomorrow_on_the_long_dst_day(world, mailoutbox):
    # Sunday 7 November 2027 is 25 hours long in New York: its 23:30 is 27.5 hours after Saturday 20:00.
    in_zone(world.mentor, "America/New_York")
    with time_machine.travel(at(2027, 11, 1, 12), tick=False):
        schedule_meeting(world.dyad, at(2027, 11, 7, 23, 30, tz=NEW_YORK))
        schedule_meeting(world.dyad, at(2027, 11, 8, 0, 15, tz=NEW_YORK))
    mailoutbox.clear()
    run("meeting_tomorrow", at(2027, 11, 6, 20, tz=NEW_YORK))
    sent = sent_to(mailoutbox)
    assert len(sent) == 1
    assert sent[0][0] == world.mentor.email and "Sun 7 Nov 2027, 23:30 EST" in sent[0][1]


def test_cancelled_meeting_sends_no_reminder(world, mailoutbox):
    from meetings.services import cancel_meeting

    with time_machine.travel(at(2027, 1, 10, 12), tick=False):
        meeting = schedule_meeting(world.dyad, at(2027, 1, 15, 14))
        cancel_meeting(meeting=meeting, by=world.mentee, reason="Clinic ran over")
    assert run("meeting_tomorrow", at(2027, 1, 14, 9)).planned == 0


def test_rescheduled_meeting_gets_a_fresh_reminder(world, mailoutbox):
    from meetings.models import Meeting

    with time_machine.travel(at(2027, 1, 10, 12), tick=False):
        meeting = schedule_meeting(world.dyad, at(2027, 1, 15, 14))
    run("meeting_tomorrow", at(2027, 1, 14, 9))
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=at(2027, 1, 16, 14), ends_at=at(2027, 1, 16, 15)
    )
    assert run("meeting_tomorrow", at(2027, 1, 15, 9)).planned == 2
