import time_machine

from tests.reminders.conftest import at, run, schedule_meeting, sent_to


def test_who_scheduled_is_asked_to_mark_the_meeting_after_it_ended(world, mailoutbox):
    with time_machine.travel(at(2027, 1, 10, 12), tick=False):
        schedule_meeting(world.dyad, at(2027, 1, 15, 14))  # proposed by the mentee
    mailoutbox.clear()
    assert run("meeting_unmarked", at(2027, 1, 15, 14, 30)).planned == 0  # still going on
    run("meeting_unmarked", at(2027, 1, 15, 15, 15))
    [(to, subject)] = sent_to(mailoutbox)
    assert to == world.mentee.email and "held or missed" in subject


def test_marked_meeting_sends_no_reminder(world, mailoutbox):
    from meetings.services import mark_meeting

    with time_machine.travel(at(2027, 1, 10, 12), tick=False):
        meeting = schedule_meeting(world.dyad, at(2027, 1, 15, 14))
    with time_machine.travel(at(2027, 1, 15, 15), tick=False):
        mark_meeting(meeting=meeting, by=world.mentor, outcome="held")
    assert run("meeting_unmarked", at(2027, 1, 15, 16)).planned == 0
