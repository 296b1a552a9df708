"""Who sees which feedback, when: every combination the issue names, at the model rule and on
the page. The rule lives in FeedbackResponse/ConfidentialNote.objects.visible_to()."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from feedback.models import ConfidentialNote, FeedbackResponse
from feedback.selectors import mentor_summaries
from tests.builders import make_dyad, make_user
from tests.feedback.helpers import make_cycle, request_of, submit

PEOPLE = ["mentee", "mentor", "admin", "outsider_admin", "other_mentor", "other_mentee", "outsider"]


@pytest.fixture
def cycle(world):
    return make_cycle(world)


def _sees(world, who, response) -> bool:
    return FeedbackResponse.objects.visible_to(getattr(world, who)).filter(pk=response.pk).exists()


def _sees_note(world, who, response) -> bool:
    return (
        ConfidentialNote.objects.visible_to(getattr(world, who)).filter(response=response).exists()
    )


# Who sees the mentee's submitted answer, before the mentor answers (hidden) and after (revealed).
BEFORE_REVEAL = {"mentee", "admin"}
AFTER_REVEAL = {"mentee", "mentor", "admin"}


@pytest.mark.parametrize("who", PEOPLE)
def test_mentees_answer_before_the_mentor_answers(world, cycle, who):
    response = submit(request_of(cycle, world.dyad, "mentee"), note="Private: he cancels a lot.")
    assert _sees(world, who, response) == (who in BEFORE_REVEAL)
    assert _sees_note(world, who, response) == (who in {"mentee", "admin"})


@pytest.mark.parametrize("who", PEOPLE)
def test_mentees_answer_after_the_mentor_answers(world, cycle, who):
    response = submit(request_of(cycle, world.dyad, "mentee"), note="Private: he cancels a lot.")
    submit(request_of(cycle, world.dyad, "mentor"))
    assert _sees(world, who, response) == (who in AFTER_REVEAL)
    # The confidential note never reaches the partner, revealed or not.
    assert _sees_note(world, who, response) == (who in {"mentee", "admin"})


@pytest.mark.parametrize("who", PEOPLE)
def test_mentees_answer_after_the_cycle_closes_unanswered_by_the_mentor(world, cycle, who):
    response = submit(request_of(cycle, world.dyad, "mentee"), note="Private.")
    with time_machine.travel(timezone.now() + timedelta(days=30), tick=False):
        assert _sees(world, who, response) == (who in AFTER_REVEAL)
        assert _sees_note(world, who, response) == (who in {"mentee", "admin"})


@pytest.mark.parametrize("who", PEOPLE)
def test_a_draft_is_seen_by_its_author_only(world, cycle, who):
    from feedback.services import save_feedback_draft

    feedback_request = request_of(cycle, world.dyad, "mentee")
    draft = save_feedback_draft(
        feedback_request=feedback_request,
        by=world.mentee,
        answers={"strengths": "half", "note": "draft note"},
    )
    submit(request_of(cycle, world.dyad, "mentor"))
    assert _sees(world, who, draft) == (who == "mentee")
    assert _sees_note(world, who, draft) == (who == "mentee")


@pytest.mark.parametrize("who", PEOPLE)
def test_mentors_answer_mirrors_the_mentees(world, cycle, who):
    response = submit(request_of(cycle, world.dyad, "mentor"))
    assert _sees(world, who, response) == (who in {"mentor", "admin"})
    submit(request_of(cycle, world.dyad, "mentee"))
    assert _sees(world, who, response) == (who in {"mentor", "mentee", "admin"})


def test_partner_page_hides_the_answer_until_they_submit_their_own(client, world, cycle):
    mentee_request = request_of(cycle, world.dyad, "mentee")
    mentor_request = request_of(cycle, world.dyad, "mentor")
    submit(mentee_request, note="Only for the admin")
    client.force_login(world.mentor)
    page = client.get(reverse("feedback:request", args=[mentor_request.pk])).content.decode()
    assert "Strengths from mentee" not in page
    assert "has answered. You will see it once you submit yours" in page
    submit(mentor_request)
    page = client.get(reverse("feedback:request", args=[mentor_request.pk])).content.decode()
    assert "Strengths from mentee" in page
    assert "Only for the admin" not in page


def test_admin_page_shows_both_sides_and_the_note(client, world, cycle):
    submit(request_of(cycle, world.dyad, "mentee"), note="Only for the admin")
    submit(request_of(cycle, world.dyad, "mentor"))
    client.force_login(world.admin)
    page = client.get(
        reverse("feedback:request", args=[request_of(cycle, world.dyad, "mentee").pk])
    ).content.decode()
    assert "Strengths from mentee" in page
    assert "Strengths from mentor" in page
    assert "Only for the admin" in page


@pytest.mark.parametrize("who", ["other_mentor", "other_mentee", "outsider", "outsider_admin"])
def test_people_outside_the_dyad_get_404_on_its_feedback(client, world, cycle, who):
    feedback_request = request_of(cycle, world.dyad, "mentee")
    submit(feedback_request)
    client.force_login(getattr(world, who))
    assert client.get(reverse("feedback:request", args=[feedback_request.pk])).status_code == 404


def _mentee_answers_about(world, mentor, count, *, score=4):
    dyads = [make_dyad(world.program, mentor=mentor) for _ in range(count)]
    cycle = make_cycle(world, name=f"Cycle for {count}")
    for dyad in dyads:
        submit(cycle.requests.get(dyad=dyad, author_role="mentee"), score=score)


def test_aggregate_is_hidden_below_three_mentees(world):
    mentor = make_user("aggregated@a.example")
    _mentee_answers_about(world, mentor, 2)
    summary = next(s for s in mentor_summaries(world.program) if s.mentor == mentor)
    assert summary.mentees == 2
    assert summary.averages is None


def test_aggregate_is_shown_from_three_mentees(world):
    mentor = make_user("aggregated@a.example")
    _mentee_answers_about(world, mentor, 3, score=5)
    summary = next(s for s in mentor_summaries(world.program) if s.mentor == mentor)
    assert summary.mentees == 3
    assert summary.averages[0] == ("Inspirational", 5.0, 3)


def test_one_mentee_answering_twice_counts_once(world):
    mentor = make_user("aggregated@a.example")
    dyads = [make_dyad(world.program, mentor=mentor) for _ in range(2)]
    for name in ("One", "Two"):
        cycle = make_cycle(world, name=name)
        for dyad in dyads:
            submit(cycle.requests.get(dyad=dyad, author_role="mentee"))
    summary = next(s for s in mentor_summaries(world.program) if s.mentor == mentor)
    assert summary.mentees == 2
    assert summary.averages is None


@pytest.mark.parametrize("who", PEOPLE)
def test_only_the_program_admin_reads_the_aggregate_page(client, world, who):
    client.force_login(getattr(world, who))
    response = client.get(reverse("feedback:mentors", args=[world.program.slug]))
    # Members of the program may know it exists (403); people of another program may not (404).
    in_program = who in ("mentor", "mentee", "other_mentor", "other_mentee")
    assert response.status_code == (200 if who == "admin" else 403 if in_program else 404)


def test_aggregate_page_says_why_a_mentor_is_hidden(client, world):
    mentor = make_user("aggregated@a.example", name="Hidden Mentor")
    _mentee_answers_about(world, mentor, 2)
    client.force_login(world.admin)
    page = client.get(reverse("feedback:mentors", args=[world.program.slug])).content.decode()
    assert "Hidden: 2 mentees have answered; the averages show from 3." in page
