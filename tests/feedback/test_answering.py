"""Answering a request: drafts, submission, the supervisor question, the program's own questions."""

import pytest
from django.urls import reverse

from feedback.models import FeedbackResponse
from feedback.services import add_cycle_question, submit_feedback
from tests.builders import make_dyad, make_user
from tests.feedback.helpers import make_cycle, post_data, request_of


@pytest.fixture
def cycle(world):
    return make_cycle(world)


def _url(feedback_request):
    return reverse("feedback:request", args=[feedback_request.pk])


def test_mentee_sees_the_nine_mentor_qualities(client, world, cycle):
    client.force_login(world.mentee)
    page = client.get(_url(request_of(cycle, world.dyad, "mentee"))).content.decode()
    for label in ("Inspirational", "Honest / credible", "Listener / communicator", "Flexible"):
        assert label in page
    assert "Resilient" not in page


def test_mentor_sees_the_nine_mentee_qualities(client, world, cycle):
    client.force_login(world.mentor)
    page = client.get(_url(request_of(cycle, world.dyad, "mentor"))).content.decode()
    for label in ("Motivated", "Self-reflective", "Organized / persistent", "Resilient"):
        assert label in page
    assert "Inspirational" not in page


def test_mentee_saves_a_draft_and_finds_it_again(client, world, cycle):
    feedback_request = request_of(cycle, world.dyad, "mentee")
    client.force_login(world.mentee)
    response = client.post(
        _url(feedback_request), {"action": "save", "q_empathetic": "5", "strengths": "Listens well"}
    )
    assert response.status_code == 302
    draft = feedback_request.responses.get()
    assert draft.status == FeedbackResponse.Status.DRAFT
    assert draft.ratings.get().score == 5
    page = client.get(_url(feedback_request)).content.decode()
    assert "Listens well" in page
    assert "Draft last saved" in page


def test_mentee_submits_complete_feedback(client, world, cycle):
    feedback_request = request_of(cycle, world.dyad, "mentee")
    client.force_login(world.mentee)
    response = client.post(_url(feedback_request), post_data(feedback_request), follow=True)
    assert "your feedback is submitted" in response.content.decode()
    saved = feedback_request.responses.get()
    assert saved.is_submitted and saved.ratings.count() == 9
    feedback_request.refresh_from_db()
    assert feedback_request.submitted_at is not None


def test_not_observed_is_an_answer(world, cycle):
    feedback_request = request_of(cycle, world.dyad, "mentor")
    answers = {
        "ratings": {q.value: None for q in feedback_request.qualities},
        "meeting_frequency": "too_rarely",
        "working": "adjust",
    }
    response = submit_feedback(feedback_request=feedback_request, by=world.mentor, answers=answers)
    assert list(response.ratings.values_list("score", flat=True)) == [None] * 9


def test_incomplete_submission_keeps_the_draft_and_names_what_is_missing(client, world, cycle):
    feedback_request = request_of(cycle, world.dyad, "mentee")
    client.force_login(world.mentee)
    data = post_data(feedback_request)
    del data["q_flexible"], data["working"]
    response = client.post(_url(feedback_request), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Rate this quality, or choose “not observed”." in page
    assert "Say whether the relationship is working." in page
    assert "Strengths from mentee" in page  # what the person typed is still in the form
    assert feedback_request.responses.get().status == FeedbackResponse.Status.DRAFT


def test_submitting_twice_changes_nothing(client, world, cycle):
    feedback_request = request_of(cycle, world.dyad, "mentee")
    client.force_login(world.mentee)
    client.post(_url(feedback_request), post_data(feedback_request))
    response = client.post(
        _url(feedback_request), post_data(feedback_request, strengths="Overwritten?"), follow=True
    )
    assert "cannot be edited" in response.content.decode()
    assert feedback_request.responses.get().strengths == "Strengths from mentee"


def test_mentor_cannot_answer_the_mentees_request(client, world, cycle):
    feedback_request = request_of(cycle, world.dyad, "mentee")
    client.force_login(world.mentor)
    assert client.post(_url(feedback_request), post_data(feedback_request)).status_code == 403
    assert not feedback_request.responses.exists()


def test_admin_cannot_answer_for_a_mentee(client, world, cycle):
    feedback_request = request_of(cycle, world.dyad, "mentee")
    client.force_login(world.admin)
    assert client.post(_url(feedback_request), post_data(feedback_request)).status_code == 403


def test_other_dyads_mentee_cannot_answer(client, world, cycle):
    feedback_request = request_of(cycle, world.dyad, "mentee")
    client.force_login(world.other_mentee)
    assert client.post(_url(feedback_request), post_data(feedback_request)).status_code == 404


def test_supervised_mentee_is_asked_about_role_clarity(client, world):
    boss, junior = make_user("boss@a.example"), make_user("junior@a.example")
    dyad = make_dyad(world.program, mentor=boss, mentee=junior, mentor_is_supervisor=True)
    cycle = make_cycle(world)
    client.force_login(junior)
    feedback_request = request_of(cycle, dyad, "mentee")
    assert "speak as mentor and when as boss" in client.get(_url(feedback_request)).content.decode()
    data = post_data(feedback_request)
    del data["role_clarity"]
    assert (
        "Say how clear the two roles are."
        in client.post(_url(feedback_request), data).content.decode()
    )
    client.force_login(boss)
    page = client.get(_url(request_of(cycle, dyad, "mentor"))).content.decode()
    assert "speak as mentor and when as boss" not in page


def test_mentee_of_an_unflagged_dyad_is_not_asked_about_role_clarity(client, world, cycle):
    client.force_login(world.mentee)
    page = client.get(_url(request_of(cycle, world.dyad, "mentee"))).content.decode()
    assert "speak as mentor and when as boss" not in page


def test_programs_own_questions_are_asked_and_answered(client, world, cycle):
    scale = add_cycle_question(cycle=cycle, by=world.admin, text="How useful?", kind="scale")
    text = add_cycle_question(cycle=cycle, by=world.admin, text="Anything else?", kind="text")
    feedback_request = request_of(cycle, world.dyad, "mentee")
    client.force_login(world.mentee)
    assert "How useful?" in client.get(_url(feedback_request)).content.decode()
    data = post_data(
        feedback_request, **{f"extra_{scale.pk}": "3", f"extra_{text.pk}": "More coffee"}
    )
    client.post(_url(feedback_request), data)
    answers = {
        a.question.text: (a.scale, a.text) for a in feedback_request.responses.get().answers.all()
    }
    assert answers == {"How useful?": (3, ""), "Anything else?": (None, "More coffee")}


def test_admin_adds_a_question_from_the_cycle_page(client, world, cycle):
    client.force_login(world.admin)
    url = reverse("feedback:add_question", args=[cycle.pk])
    response = client.post(url, {"text": "Did you co-author?", "kind": "text"}, follow=True)
    assert "Did you co-author?" in response.content.decode()


def test_fit_check_asks_one_short_question(client, world):
    from feedback.services import open_fit_check

    mentee_side, _ = open_fit_check(dyad=world.dyad)
    client.force_login(world.mentee)
    page = client.get(_url(mentee_side)).content.decode()
    assert "After your first meeting: is this a good fit?" in page
    assert "Inspirational" not in page
    client.post(_url(mentee_side), {"action": "submit", "fit": "good", "strengths": "Warm"})
    assert mentee_side.responses.get().fit == "good"
