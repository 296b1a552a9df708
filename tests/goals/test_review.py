from django.urls import reverse

from goals import services
from goals.models import GoalReview
from programs.services.pairing import add_supplemental_mentor
from tests.builders import add_member, make_user
from tests.goals.builders import make_goal


def test_mentor_suggests_changes_and_the_mentee_sees_them(client, world):
    goal = make_goal(world.program, world.mentee)
    client.force_login(world.mentor)
    response = client.post(
        reverse("goals:review", args=[goal.pk]),
        {"decision": "changes", "comment": "Pick one funder first."},
    )
    assert response.status_code == 302
    client.force_login(world.mentee)
    page = client.get(goal.get_absolute_url()).content.decode()
    assert "Suggest changes" in page and "Pick one funder first." in page


def test_mentor_cannot_suggest_changes_without_saying_which(client, world):
    goal = make_goal(world.program, world.mentee)
    client.force_login(world.mentor)
    response = client.post(reverse("goals:review", args=[goal.pk]), {"decision": "changes"})
    assert response.status_code == 200
    assert "Say what you suggest" in response.content.decode()
    assert not GoalReview.objects.exists()


def test_mentee_cannot_review_their_own_goal(client, world):
    goal = make_goal(world.program, world.mentee)
    client.force_login(world.mentee)
    response = client.post(reverse("goals:review", args=[goal.pk]), {"decision": "agreed"})
    assert response.status_code == 403


def test_admin_cannot_edit_the_mentors_review(client, world):
    goal = make_goal(world.program, world.mentee)
    review = services.review_goal(goal=goal, by=world.mentor, decision="agreed")
    client.force_login(world.admin)
    url = reverse("goals:review_edit", args=[review.pk])
    assert client.post(url, {"decision": "changes", "comment": "x"}).status_code == 403
    review.refresh_from_db()
    assert review.decision == "agreed"


def test_mentor_edits_their_own_review_and_keeps_their_text_on_error(client, world):
    goal = make_goal(world.program, world.mentee)
    review = services.review_goal(goal=goal, by=world.mentor, decision="agreed")
    client.force_login(world.mentor)
    url = reverse("goals:review_edit", args=[review.pk])
    response = client.post(url, {"decision": "changes", "comment": ""})
    assert response.status_code == 200 and "Say what you suggest" in response.content.decode()
    response = client.post(url, {"decision": "changes", "comment": "Shorter timeline"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.comment == "Shorter timeline"


def test_supplemental_mentor_comments_only_on_a_shared_goal(client, world):
    shared = make_goal(world.program, world.mentee, title="Learn mixed models")
    private = make_goal(world.program, world.mentee, title="Private goal")
    helper = make_user()
    add_member(world.program, helper, "mentor")
    dyad = add_supplemental_mentor(
        program=world.program,
        mentor=helper,
        mentee=world.mentee,
        by=world.admin,
        focus_area="stats",
    )
    services.share_goal(goal=shared, by=world.mentee, dyad=dyad)
    client.force_login(helper)
    response = client.post(reverse("goals:review", args=[shared.pk]), {"comment": "Try lme4."})
    assert response.status_code == 302
    assert shared.reviews.get().decision == GoalReview.Decision.COMMENT
    assert client.get(private.get_absolute_url()).status_code == 404


def test_a_refused_review_keeps_the_milestone_form_on_the_page(client, world):
    """The review error used to hide the milestone form (its context was built without it)."""
    goal = make_goal(world.program, world.mentee)
    client.force_login(world.mentor)
    detail = client.get(goal.get_absolute_url())
    assert detail.context["milestone_form"] is not None
    refused = client.post(reverse("goals:review", args=[goal.pk]), {"decision": "changes"})
    assert "Say what you suggest" in refused.content.decode()
    assert refused.context["milestone_form"] is not None
    assert reverse("goals:milestone_add", args=[goal.pk]) in refused.content.decode()
