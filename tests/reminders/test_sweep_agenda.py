import time_machine

from tests.reminders.conftest import at, run, schedule_meeting, sent_to


def test_mentee_is_reminded_when_agenda_is_not_ready_two_days_before(world, mailoutbox):
    with time_machine.travel(at(2027, 1, 10, 12), tick=False):
        schedule_meeting(world.dyad, at(2027, 1, 15, 14))
    mailoutbox.clear()
    assert run("agenda_not_ready", at(2027, 1, 12, 9)).planned == 0  # three days before
    run("agenda_not_ready", at(2027, 1, 13, 15))
    [(to, subject)] = sent_to(mailoutbox)
    assert to == world.mentee.email and subject.startswith("Set the agenda")


def test_ready_agenda_sends_no_reminder(world, mailoutbox):
    from meetings.services import add_agenda_item, set_agenda_ready

    with time_machine.travel(at(2027, 1, 10, 12), tick=False):
        meeting = schedule_meeting(world.dyad, at(2027, 1, 15, 14))
        add_agenda_item(meeting=meeting, by=world.mentee, topic="K award aims")
        set_agenda_ready(meeting=meeting, by=world.mentee, ready=True)
    assert run("agenda_not_ready", at(2027, 1, 14, 9)).planned == 0
