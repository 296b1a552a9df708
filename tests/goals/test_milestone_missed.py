from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from goals.models import Milestone
from tests.goals.builders import make_goal, make_milestone


def _overdue(world):
    goal = make_goal(world.program, world.mentee)
    milestone = make_milestone(goal, days=3)
    return goal, milestone


def test_mentor_marks_an_overdue_milestone_missed(client, world):
    goal, milestone = _overdue(world)
    with time_machine.travel(timezone.now() + timedelta(days=10), tick=False):
        client.force_login(world.mentor)
        page = client.get(goal.get_absolute_url())
        assert "Mark “Draft the aims” missed" in page.text
        response = client.post(reverse("goals:milestone_missed", args=[milestone.pk]), follow=True)
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.MISSED
    assert "Marked as missed" in response.text
    assert "Missed" in response.text


def test_mentee_cannot_mark_a_milestone_missed_before_its_date(client, world):
    _goal, milestone = _overdue(world)
    client.force_login(world.mentee)
    response = client.post(reverse("goals:milestone_missed", args=[milestone.pk]), follow=True)
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.ACCEPTED
    assert "not due yet" in response.text


def test_mentor_of_another_dyad_cannot_mark_it_missed(client, world):
    _goal, milestone = _overdue(world)
    with time_machine.travel(timezone.now() + timedelta(days=10), tick=False):
        client.force_login(world.other_mentor)
        response = client.post(reverse("goals:milestone_missed", args=[milestone.pk]))
    assert response.status_code == 404
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.ACCEPTED
