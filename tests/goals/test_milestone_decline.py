from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from goals import services
from goals.models import Milestone
from tests.goals.builders import make_goal, make_milestone


def _proposed(world):
    goal = make_goal(world.program, world.mentee)
    return goal, make_milestone(goal, by=world.mentor, title="Submit to PAS")


def test_mentee_declines_a_mentor_proposed_milestone_saying_why(client, world):
    goal, milestone = _proposed(world)
    client.force_login(world.mentee)
    response = client.post(
        reverse("goals:milestone_decline", args=[milestone.pk]),
        {"reason": "The abstract deadline is before the data are in."},
        follow=True,
    )
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.DECLINED
    client.force_login(world.mentor)
    page = client.get(goal.get_absolute_url()).text
    assert "Declined by the mentee: The abstract deadline is before the data are in." in page
    assert "Declined. Your mentor sees why." in response.text


def test_mentee_must_say_why_to_decline(client, world):
    _goal, milestone = _proposed(world)
    client.force_login(world.mentee)
    response = client.post(
        reverse("goals:milestone_decline", args=[milestone.pk]), {"reason": "  "}, follow=True
    )
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.PROPOSED
    assert "Tell your mentor why" in response.text


def test_mentor_cannot_decline_on_the_mentees_behalf(client, world):
    _goal, milestone = _proposed(world)
    client.force_login(world.mentor)
    response = client.post(
        reverse("goals:milestone_decline", args=[milestone.pk]), {"reason": "No."}
    )
    assert response.status_code == 403
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.PROPOSED


def test_plan_shows_a_declined_milestone_as_declined_and_does_not_count_it(client, world):
    goal, declined = _proposed(world)
    make_milestone(goal, title="Draft the aims")
    services.decline_milestone(milestone=declined, by=world.mentee, reason="Too early.")
    client.force_login(world.mentee)
    page = client.get(reverse("goals:plan", args=[world.program.pk, world.mentee.pk])).text
    assert "0 of 1 done" in page
    assert "1 declined" in page
    line = next(li for li in page.split("<li") if "Submit to PAS" in li)
    assert "○" not in line
    assert "Declined" in line


def test_plan_shows_a_missed_milestone_as_missed(client, world):
    goal = make_goal(world.program, world.mentee)
    milestone = make_milestone(goal, title="Submit to PAS", days=3)
    with time_machine.travel(timezone.now() + timedelta(days=10), tick=False):
        services.mark_milestone_missed(milestone=milestone, by=world.mentor)
        client.force_login(world.mentee)
        page = client.get(reverse("goals:plan", args=[world.program.pk, world.mentee.pk])).text
    line = next(li for li in page.split("<li") if "Submit to PAS" in li)
    assert "○" not in line
    assert "Missed" in line
