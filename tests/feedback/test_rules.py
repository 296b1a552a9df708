"""The feedback predicates: the author answers and corrects, admins oversee (feedback/rules.py)."""

from datetime import timedelta

from django.utils import timezone

from feedback import rules
from feedback.services import submit_feedback
from tests.feedback.helpers import make_cycle, request_of, rubric


def test_only_the_author_answers_and_only_until_submitted(world):
    mine = request_of(make_cycle(world), world.dyad, "mentee")
    assert rules.can_answer(world.mentee, mine, has_draft=False)
    assert not rules.can_answer(world.mentor, mine, has_draft=False)
    assert not rules.can_answer(world.admin, mine, has_draft=False)
    submit_feedback(feedback_request=mine, by=world.mentee, answers=rubric(mine))
    mine.refresh_from_db()
    assert not rules.can_answer(world.mentee, mine, has_draft=False)
    assert rules.can_answer(world.mentee, mine, has_draft=True)  # a correction under way


def test_the_author_corrects_submitted_feedback_while_the_cycle_accepts_answers(world):
    cycle = make_cycle(world)
    mine = request_of(cycle, world.dyad, "mentor")
    assert not rules.can_correct(world.mentor, mine, has_draft=False)  # nothing submitted
    submit_feedback(feedback_request=mine, by=world.mentor, answers=rubric(mine))
    mine.refresh_from_db()
    assert rules.can_correct(world.mentor, mine, has_draft=False)
    assert not rules.can_correct(world.mentor, mine, has_draft=True)  # continue the draft instead
    assert not rules.can_correct(world.mentee, mine, has_draft=False)
    after = cycle.closes + timedelta(days=1)
    assert not rules.can_correct(world.mentor, mine, has_draft=False, today=after)
    assert "closed on" in rules.accepting_refusal(mine, today=after)


def test_a_cycle_not_open_yet_refuses_answers_with_its_date(world):
    mine = request_of(make_cycle(world), world.dyad, "mentee")
    before = timezone.localdate() - timedelta(days=1)
    assert not rules.is_accepting(mine, today=before)
    assert "opens on" in rules.accepting_refusal(mine, today=before)
    assert rules.is_accepting(mine)


def test_the_program_admins_oversee_feedback(world):
    assert rules.oversees(world.admin, world.program)
    assert not rules.oversees(world.mentor, world.program)
    assert not rules.oversees(world.outsider_admin, world.program)
