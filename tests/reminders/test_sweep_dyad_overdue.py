import time_machine

from mentoring.models import Notification
from tests.builders import make_dyad
from tests.reminders.conftest import at, run, schedule_meeting, sent_to


def _pair_on(world, when, **kwargs):
    with time_machine.travel(when, tick=False):
        return make_dyad(world.program, by=world.admin, **kwargs)


def _overdue_mail(mailbox, dyad):
    return [
        to
        for to, s in sent_to(mailbox)
        if s.startswith("Time to meet") and to in (dyad.mentor.email, dyad.mentee.email)
    ]


def test_both_sides_hear_when_dyad_passes_its_cadence(world, mailoutbox):
    dyad = _pair_on(world, at(2027, 1, 1, 12), cadence_days=30)  # next meeting due by 31 January
    run("dyad_overdue", at(2027, 1, 31, 12))
    assert _overdue_mail(mailoutbox, dyad) == []  # due today is not overdue yet
    run("dyad_overdue", at(2027, 2, 1, 9))
    assert sorted(_overdue_mail(mailoutbox, dyad)) == sorted([dyad.mentor.email, dyad.mentee.email])
    run("dyad_overdue", at(2027, 2, 5, 9))
    assert len(_overdue_mail(mailoutbox, dyad)) == 2  # once per overdue spell


def test_dyad_with_a_meeting_ahead_is_not_overdue(world, mailoutbox):
    dyad = _pair_on(world, at(2027, 1, 1, 12), cadence_days=30)
    with time_machine.travel(at(2027, 1, 20, 12), tick=False):
        schedule_meeting(dyad, at(2027, 2, 10, 14))
    run("dyad_overdue", at(2027, 2, 2, 9))
    assert _overdue_mail(mailoutbox, dyad) == []


def test_held_meeting_restarts_the_cadence(world, mailoutbox):
    from meetings.services import mark_meeting

    dyad = _pair_on(world, at(2027, 1, 1, 12), cadence_days=14)
    with time_machine.travel(at(2027, 1, 5, 12), tick=False):
        meeting = schedule_meeting(dyad, at(2027, 1, 10, 14))
    with time_machine.travel(at(2027, 1, 10, 16), tick=False):
        mark_meeting(meeting=meeting, by=dyad.mentor, outcome="held")
    run("dyad_overdue", at(2027, 1, 24, 9))  # due by 24 January: not yet overdue
    assert _overdue_mail(mailoutbox, dyad) == []
    run("dyad_overdue", at(2027, 1, 25, 9))
    assert len(_overdue_mail(mailoutbox, dyad)) == 2
    notice = Notification.objects.filter(kind="dyad_overdue", recipient=dyad.mentee).get()
    assert "You last met on Sun 10 Jan 2027" in notice.body


def test_paused_dyad_is_never_overdue(world, mailoutbox):
    dyad = _pair_on(world, at(2027, 1, 1, 12), cadence_days=14, status="paused")
    run("dyad_overdue", at(2027, 3, 1, 9))
    assert _overdue_mail(mailoutbox, dyad) == []
