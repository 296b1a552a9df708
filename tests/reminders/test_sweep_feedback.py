from datetime import date

import time_machine

from mentoring.models import Notification
from tests.reminders.conftest import at, run, sent_to


def _cycle(world):
    from feedback.services import open_cycle

    with time_machine.travel(at(2027, 1, 1, 12), tick=False):
        return open_cycle(
            program=world.program,
            by=world.admin,
            name="Winter 2027",
            opens=date(2027, 1, 1),
            due=date(2027, 1, 15),
            closes=date(2027, 1, 22),
        )


def _to(mailbox, user, start):
    return [s for to, s in sent_to(mailbox) if to == user.email and s.startswith(start)]


def test_both_sides_are_asked_for_feedback_when_a_cycle_opens(world, mailoutbox):
    _cycle(world)
    run("feedback_requested", at(2027, 1, 1, 13))
    assert _to(mailoutbox, world.mentee, "Your feedback on working with Maria Mentor")
    assert _to(mailoutbox, world.mentor, "Your feedback on working with Sam Mentee")


def test_the_job_opens_due_cycles_and_the_sweep_tells_their_authors(world, mailoutbox):
    from feedback.models import FeedbackCycle
    from feedback.tasks import open_due_feedback_cycles
    from programs.models import Program

    # The cadence counts from the program's start: fixed here, so the test does not depend on
    # the day it runs.
    Program.objects.filter(pk=world.program.pk).update(created_at=at(2026, 11, 1, 9))
    assert world.program.feedback_cycle_months <= 6
    run("feedback_requested", at(2027, 6, 1, 9))
    # A sweep only reads and plans: opening cycles is the job's write.
    assert not FeedbackCycle.objects.filter(program=world.program).exists()
    with time_machine.travel(at(2027, 6, 1, 9), tick=False):
        open_due_feedback_cycles()
    assert FeedbackCycle.objects.filter(program=world.program, scheduled=True).exists()
    run("feedback_requested", at(2027, 6, 1, 9))
    assert _to(mailoutbox, world.mentee, "Your feedback on working with")


def test_author_hears_feedback_is_due_soon_then_that_the_cycle_closes(world, mailoutbox):
    _cycle(world)
    run("feedback_due_soon", at(2027, 1, 11, 9))
    assert _to(mailoutbox, world.mentee, "Feedback on") == []
    run("feedback_due_soon", at(2027, 1, 12, 9))
    assert _to(mailoutbox, world.mentee, "Feedback on Maria Mentor is due Fri 15 Jan 2027")
    run("feedback_cycle_closing", at(2027, 1, 20, 9))
    assert _to(mailoutbox, world.mentee, "Last chance: “Winter 2027” closes Fri 22 Jan 2027")


def test_author_who_answered_hears_nothing_more(world, mailoutbox):
    from feedback.models import FeedbackRequest

    _cycle(world)
    FeedbackRequest.objects.filter(author=world.mentee).update(submitted_at=at(2027, 1, 5, 12))
    run("feedback_due_soon", at(2027, 1, 13, 9))
    run("feedback_cycle_closing", at(2027, 1, 21, 9))
    assert _to(mailoutbox, world.mentee, "Feedback on") == []
    assert not Notification.objects.filter(
        recipient=world.mentee, kind="feedback_cycle_closing"
    ).exists()
