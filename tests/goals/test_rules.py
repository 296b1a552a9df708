"""The plan predicates: who may do what to milestones, in which state (goals/rules.py)."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from goals import rules, services
from tests.goals.builders import make_goal, make_milestone


def test_the_mentee_accepts_or_declines_what_the_mentor_proposed(world):
    goal = make_goal(world.program, world.mentee)
    proposed = make_milestone(goal, by=world.mentor)
    assert rules.milestone_actions(world.mentee, proposed, primary_mentor=False) == {
        "accept",
        "decline",
    }
    assert rules.milestone_actions(world.mentor, proposed, primary_mentor=True) == set()


def test_the_mentee_marks_a_binding_milestone_done(world):
    goal = make_goal(world.program, world.mentee)
    milestone = make_milestone(goal)  # set by the mentee: binding at once
    assert rules.milestone_actions(world.mentee, milestone, primary_mentor=False) == {"complete"}
    assert not rules.can_complete_milestone(world.mentor, milestone)


def test_an_overdue_milestone_is_marked_missed_by_the_mentee_or_the_primary_mentor(world):
    goal = make_goal(world.program, world.mentee)
    milestone = make_milestone(goal, days=3)
    later = timezone.localdate() + timedelta(days=5)
    assert not rules.can_mark_missed(world.mentee, milestone)  # not due yet
    assert rules.can_mark_missed(world.mentee, milestone, today=later)
    assert rules.can_mark_missed(world.mentor, milestone, today=later)  # asks the database
    assert not rules.can_mark_missed(world.other_mentor, milestone, today=later)
    assert not rules.can_mark_missed(world.admin, milestone, today=later)
    assert "mark_missed" in rules.milestone_actions(
        world.mentor, milestone, primary_mentor=True, today=later
    )


def test_a_done_milestone_offers_nothing(world):
    goal = make_goal(world.program, world.mentee)
    milestone = make_milestone(goal)
    services.complete_milestone(
        milestone=milestone, by=world.mentee, completed_on=timezone.localdate(), evidence="Sent"
    )
    assert rules.milestone_actions(world.mentee, milestone, primary_mentor=False) == set()


def test_the_service_refuses_a_missed_mark_before_the_date(world):
    goal = make_goal(world.program, world.mentee)
    milestone = make_milestone(goal, days=3)
    assert "not due yet" in rules.missed_refusal(milestone)
    with time_machine.travel(timezone.now() + timedelta(days=5), tick=False):
        assert rules.missed_refusal(milestone) == ""
        services.mark_milestone_missed(milestone=milestone, by=world.mentor)
    assert milestone.status == milestone.Status.MISSED


def test_milestones_are_set_by_the_mentee_and_proposed_by_the_primary_mentor(world):
    goal = make_goal(world.program, world.mentee)
    assert rules.can_propose_milestone(world.mentee, goal)
    assert rules.can_propose_milestone(world.mentor, goal)
    assert not rules.can_propose_milestone(world.other_mentor, goal)
    assert not rules.can_propose_milestone(world.admin, goal)
