from django.urls import reverse

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
