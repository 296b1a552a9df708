import time_machine

from tests.reminders.conftest import at, run, schedule_meeting, sent_to


def test_both_sides_are_reminded_within_the_hour(world, mailoutbox):
    with time_machine.travel(at(2027, 1, 10, 12), tick=False):
        schedule_meeting(world.dyad, at(2027, 1, 15, 14))
    mailoutbox.clear()
    assert run("meeting_soon", at(2027, 1, 15, 12, 55)).planned == 0  # 65 minutes before
    assert run("meeting_soon", at(2027, 1, 15, 13, 5)).planned == 2
    assert run("meeting_soon", at(2027, 1, 15, 13, 10)).planned == 0
    assert [to for to, _s in sent_to(mailoutbox)] == sorted(
        [world.mentor.email, world.mentee.email]
    )


def test_meeting_that_started_gets_no_hour_reminder(world, mailoutbox):
    with time_machine.travel(at(2027, 1, 10, 12), tick=False):
        schedule_meeting(world.dyad, at(2027, 1, 15, 14))
    assert run("meeting_soon", at(2027, 1, 15, 14, 1)).planned == 0
