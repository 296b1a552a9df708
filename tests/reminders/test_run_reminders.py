from io import StringIO

import time_machine
from django.core.management import call_command

from tests.reminders.conftest import at, schedule_meeting, sent_to


def _run(when) -> str:
    out = StringIO()
    with time_machine.travel(when, tick=False):
        call_command("run_reminders", stdout=out)
    return out.getvalue()


def test_operator_runs_every_sweep_and_sees_what_was_sent(world, mailoutbox):
    with time_machine.travel(at(2027, 1, 10, 12), tick=False):
        schedule_meeting(world.dyad, at(2027, 1, 15, 14))
    mailoutbox.clear()
    output = _run(at(2027, 1, 14, 9))
    assert "meeting_tomorrow" in output and world.mentee.email in output
    assert "e-mailed" in output
    mailed = [to for to, subject in sent_to(mailoutbox) if subject.startswith("Meeting tomorrow")]
    assert sorted(mailed) == sorted([world.mentor.email, world.mentee.email])


def test_running_every_sweep_twice_sends_nothing_the_second_time(world, mailoutbox):
    with time_machine.travel(at(2027, 1, 10, 12), tick=False):
        schedule_meeting(world.dyad, at(2027, 1, 15, 14))
    _run(at(2027, 1, 14, 9))
    before = len(mailoutbox)
    assert before > 0
    output = _run(at(2027, 1, 14, 9, 5))
    assert len(mailoutbox) == before
    assert "0 new notices. Nothing was due." in output


def test_operator_runs_one_sweep(world):
    out = StringIO()
    call_command("run_reminders", "--only", "meeting_soon", stdout=out)
    assert "1 sweeps, 0 new notices" in out.getvalue()
