from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from goals.models import Goal

TODAY = timezone.localdate


def _post(client, world, **overrides):
    data = {
        "title": "Submit a K award",
        "description": "",
        "category": "research",
        "horizon": "long",
        "target_date": (TODAY() + timedelta(days=200)).isoformat(),
        "status": "active",
        "options": "",
    }
    data.update(overrides)
    return client.post(reverse("goals:create", args=[world.program.pk]), data)


def test_mentee_writes_a_goal_at_the_end_of_their_list(client, world):
    client.force_login(world.mentee)
    _post(client, world, title="First")
    response = _post(client, world, title="Second")
    goal = Goal.objects.get(title="Second")
    assert response.status_code == 302 and response["Location"] == goal.get_absolute_url()
    assert goal.priority == 2 and goal.revisions.get().number == 1


def test_mentee_cannot_set_a_past_target_date_on_a_new_goal(client, world):
    client.force_login(world.mentee)
    response = _post(client, world, title="Keep my words", target_date="2001-01-01")
    assert response.status_code == 200
    assert "target date is in the past" in response.content.decode()
    assert "Keep my words" in response.content.decode()
    assert not Goal.objects.exists()


def test_mentee_records_an_achieved_goal_with_a_past_date_and_a_warning(client, world):
    client.force_login(world.mentee)
    response = _post(client, world, status="achieved", target_date="2020-05-01")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "target date in the past" in page


def test_mentee_marks_a_goal_unsure_with_options(client, world):
    client.force_login(world.mentee)
    response = _post(client, world, unsure="on", options="Stay clinical or move to research")
    assert response.status_code == 302
    goal = Goal.objects.get()
    assert goal.unsure
    assert (
        "Stay clinical or move to research" in client.get(goal.get_absolute_url()).content.decode()
    )


def test_mentee_cannot_be_unsure_without_naming_the_options(client, world):
    client.force_login(world.mentee)
    response = _post(client, world, unsure="on", options="")
    assert response.status_code == 200
    assert "write down the options" in response.content.decode()
    assert not Goal.objects.exists()
