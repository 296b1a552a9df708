from django.urls import reverse

from tests.goals.builders import make_goal


def test_mentee_revises_a_goal_and_the_timeline_shows_both_versions(client, world):
    goal = make_goal(world.program, world.mentee, title="Write a grant")
    client.force_login(world.mentee)
    response = client.post(
        reverse("goals:edit", args=[goal.pk]),
        {
            "title": "Write an R03 grant",
            "description": "",
            "category": goal.category,
            "horizon": goal.horizon,
            "target_date": goal.target_date.isoformat(),
            "status": goal.status,
            "options": "",
        },
    )
    assert response.status_code == 302
    revisions = list(goal.revisions.order_by("number"))
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[1].changes == {"title": ["Write a grant", "Write an R03 grant"]}
    assert revisions[1].by == world.mentee
    page = client.get(goal.get_absolute_url()).content.decode()
    assert "Version 2" in page and "Version 1" in page
    assert "“Write a grant” → “Write an R03 grant”" in page


def test_mentee_saving_without_changes_adds_no_revision(client, world):
    goal = make_goal(world.program, world.mentee)
    client.force_login(world.mentee)
    client.post(
        reverse("goals:edit", args=[goal.pk]),
        {
            "title": goal.title,
            "category": goal.category,
            "horizon": goal.horizon,
            "target_date": goal.target_date.isoformat(),
            "status": goal.status,
        },
    )
    assert goal.revisions.count() == 1


def test_mentor_cannot_edit_the_mentees_goal(client, world):
    goal = make_goal(world.program, world.mentee)
    client.force_login(world.mentor)
    assert client.post(reverse("goals:edit", args=[goal.pk]), {"title": "Mine"}).status_code == 403
