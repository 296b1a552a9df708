from datetime import date

import time_machine

from mentoring.models import Notification
from tests.builders import make_dyad
from tests.reminders.conftest import at, run, sent_to


def _milestone(world, due: date):
    from goals.services import create_goal, propose_milestone

    with time_machine.travel(at(2027, 1, 1, 12), tick=False):
        goal = create_goal(
            program=world.program,
            mentee=world.mentee,
            by=world.mentee,
            title="Submit a K award",
            category="research",
        )
        return propose_milestone(goal=goal, by=world.mentee, title="Aims page", due_date=due)


def test_mentee_hears_a_milestone_is_due_within_a_week(world, mailoutbox):
    _milestone(world, date(2027, 1, 20))
    assert run("milestone_due_soon", at(2027, 1, 12, 9)).planned == 0
    run("milestone_due_soon", at(2027, 1, 13, 9))
    assert sent_to(mailoutbox) == [(world.mentee.email, "Milestone due Wed 20 Jan 2027: Aims page")]


def test_overdue_milestone_mails_mentee_and_goes_to_mentors_digest(world, mailoutbox):
    _milestone(world, date(2027, 1, 20))
    assert run("milestone_overdue", at(2027, 1, 20, 12)).planned == 0
    run("milestone_overdue", at(2027, 1, 21, 9))
    assert [to for to, _s in sent_to(mailoutbox)] == [world.mentee.email]
    to_mentor = Notification.objects.get(kind="milestone_overdue", recipient=world.mentor)
    assert to_mentor.channel == "digest" and to_mentor.sent_at is not None
    run("digest", at(2027, 1, 25, 9))  # Monday: the mentor's weekly digest
    digest = [s for to, s in sent_to(mailoutbox) if to == world.mentor.email]
    assert digest == ["Your week in mentoring: 1 notice"]


def test_done_milestone_is_not_reminded(world, mailoutbox):
    from goals.services import complete_milestone

    milestone = _milestone(world, date(2027, 1, 20))
    with time_machine.travel(at(2027, 1, 10, 12), tick=False):
        complete_milestone(
            milestone=milestone, by=world.mentee, completed_on=date(2027, 1, 10), evidence="Sent"
        )
    assert run("milestone_due_soon", at(2027, 1, 15, 9)).planned == 0
    assert run("milestone_overdue", at(2027, 1, 22, 9)).planned == 0


def test_mentee_is_asked_for_a_progress_report_on_the_cadence(world, mailoutbox):
    from goals.services import submit_progress_report

    with time_machine.travel(at(2027, 1, 1, 12), tick=False):
        dyad = make_dyad(world.program, by=world.admin, cadence_days=30)
    with time_machine.travel(at(2027, 1, 20, 12), tick=False):
        submit_progress_report(
            program=world.program,
            mentee=dyad.mentee,
            by=dyad.mentee,
            accomplishments="Drafted aims",
        )

    def asked():
        return [to for to, s in sent_to(mailoutbox) if to == dyad.mentee.email]

    run("progress_report_due", at(2027, 2, 18, 9))
    assert asked() == []  # the last report was 29 days ago
    run("progress_report_due", at(2027, 2, 19, 9))
    assert asked() == [dyad.mentee.email]
