from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from goals.models import Milestone
from tests.goals.builders import make_goal, make_milestone


def _soon(days=20):
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def test_mentor_proposed_milestone_binds_once_the_mentee_accepts(client, world):
    goal = make_goal(world.program, world.mentee)
    client.force_login(world.mentor)
    client.post(
        reverse("goals:milestone_add", args=[goal.pk]), {"title": "Draft aims", "due_date": _soon()}
    )
    milestone = goal.milestones.get()
    assert milestone.status == Milestone.Status.PROPOSED
    client.force_login(world.mentee)
    assert client.post(reverse("goals:milestone_accept", args=[milestone.pk])).status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.ACCEPTED and milestone.accepted_at


def test_mentee_milestone_binds_at_once(client, world):
    goal = make_goal(world.program, world.mentee)
    client.force_login(world.mentee)
    client.post(
        reverse("goals:milestone_add", args=[goal.pk]), {"title": "Draft aims", "due_date": _soon()}
    )
    assert goal.milestones.get().status == Milestone.Status.ACCEPTED


def test_mentee_is_warned_when_a_milestone_falls_after_the_goal(client, world):
    goal = make_goal(world.program, world.mentee, target_date=timezone.localdate() + timedelta(10))
    client.force_login(world.mentee)
    response = client.post(
        reverse("goals:milestone_add", args=[goal.pk]),
        {"title": "Late step", "due_date": _soon(40)},
        follow=True,
    )
    assert "due after the goal" in response.content.decode()
    assert goal.milestones.count() == 1


def test_mentee_cannot_add_a_milestone_due_in_the_past(client, world):
    goal = make_goal(world.program, world.mentee)
    client.force_login(world.mentee)
    response = client.post(
        reverse("goals:milestone_add", args=[goal.pk]),
        {"title": "Yesterday", "due_date": "2001-01-01"},
    )
    assert response.status_code == 200
    assert "cannot be in the past" in response.content.decode()
    assert 'value="Yesterday"' in response.content.decode()


def test_mentee_completes_a_milestone_with_date_and_evidence(client, world):
    milestone = make_milestone(make_goal(world.program, world.mentee))
    client.force_login(world.mentee)
    url = reverse("goals:milestone_complete", args=[milestone.pk])
    response = client.post(url, {"completed_on": timezone.localdate().isoformat(), "evidence": ""})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    response = client.post(
        url, {"completed_on": timezone.localdate().isoformat(), "evidence": "Sent to mentor"}
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.DONE and milestone.evidence == "Sent to mentor"


def test_mentee_sees_an_overdue_milestone_flagged_on_the_plan(client, world):
    milestone = make_milestone(make_goal(world.program, world.mentee), days=5)
    client.force_login(world.mentee)
    with time_machine.travel(timezone.now() + timedelta(days=10), tick=False):
        page = client.get(reverse("goals:plan", args=[world.program.pk, world.mentee.pk]))
        home = client.get(reverse("home"))
    assert "Overdue" in page.content.decode()
    assert milestone.title in home.content.decode()
    assert "1 milestone overdue" in home.content.decode()
