from django.urls import reverse

from tests.goals.builders import make_goal


def _titles(world):
    return list(world.mentee.goals.order_by("priority").values_list("title", flat=True))


def test_mentee_moves_a_goal_up_without_javascript(client, world):
    make_goal(world.program, world.mentee, title="A")
    b = make_goal(world.program, world.mentee, title="B")
    client.force_login(world.mentee)
    response = client.post(reverse("goals:move", args=[b.pk]), {"direction": "up"})
    assert response.status_code == 302 and "#goals" in response["Location"]
    assert _titles(world) == ["B", "A"]


def test_mentee_moves_a_goal_down_with_htmx_and_gets_the_list_back(client, world):
    a = make_goal(world.program, world.mentee, title="A")
    make_goal(world.program, world.mentee, title="B")
    client.force_login(world.mentee)
    response = client.post(
        reverse("goals:move", args=[a.pk]), {"direction": "down"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'id="goal-list"' in html
    assert html.index(">B<") < html.index(">A<")
    assert _titles(world) == ["B", "A"]


def test_mentor_cannot_reorder_the_mentees_goals(client, world):
    a = make_goal(world.program, world.mentee, title="A")
    client.force_login(world.mentor)
    assert client.post(reverse("goals:move", args=[a.pk]), {"direction": "down"}).status_code == 403
