"""Submitted feedback never changes: a correction is a new version and the old one is kept."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from feedback.services import start_correction
from tests.feedback.helpers import make_cycle, post_data, request_of, submit


@pytest.fixture
def cycle(world):
    return make_cycle(world)


def test_mentee_corrects_and_both_versions_are_kept(client, world, cycle):
    feedback_request = request_of(cycle, world.dyad, "mentee")
    submit(feedback_request)
    client.force_login(world.mentee)
    client.post(reverse("feedback:correct", args=[feedback_request.pk]))
    data = post_data(feedback_request, strengths="Corrected strengths", correction_reason="Typo")
    client.post(reverse("feedback:request", args=[feedback_request.pk]), data)
    first, second = feedback_request.responses.order_by("version")
    assert (first.version, first.strengths, first.is_submitted) == (
        1,
        "Strengths from mentee",
        True,
    )
    assert (second.version, second.strengths, second.is_submitted) == (
        2,
        "Corrected strengths",
        True,
    )
    assert second.correction_reason == "Typo"


def test_partner_sees_the_latest_version_and_the_earlier_one(client, world, cycle):
    feedback_request = request_of(cycle, world.dyad, "mentee")
    submit(feedback_request)
    draft = start_correction(feedback_request=feedback_request, by=world.mentee)
    submit(feedback_request, strengths="Second thoughts")
    assert draft.version == 2
    submit(request_of(cycle, world.dyad, "mentor"))
    client.force_login(world.mentor)
    page = client.get(reverse("feedback:request", args=[feedback_request.pk])).content.decode()
    assert page.index("Second thoughts") < page.index("Earlier versions (1)")
    assert "Strengths from mentee" in page


def test_a_correction_in_progress_is_not_seen_by_the_partner(world, cycle):
    from feedback.models import FeedbackResponse

    feedback_request = request_of(cycle, world.dyad, "mentee")
    submit(feedback_request)
    submit(request_of(cycle, world.dyad, "mentor"))
    draft = start_correction(feedback_request=feedback_request, by=world.mentee)
    assert not FeedbackResponse.objects.visible_to(world.mentor).filter(pk=draft.pk).exists()


def test_clicking_correct_twice_starts_one_correction(world, cycle):
    feedback_request = request_of(cycle, world.dyad, "mentee")
    submit(feedback_request)
    assert start_correction(feedback_request=feedback_request, by=world.mentee) == start_correction(
        feedback_request=feedback_request, by=world.mentee
    )
    assert feedback_request.responses.count() == 2


def test_mentee_cannot_answer_a_closed_cycle(client, world, cycle):
    feedback_request = request_of(cycle, world.dyad, "mentee")
    with time_machine.travel(timezone.now() + timedelta(days=30), tick=False):
        client.force_login(world.mentee)
        page = client.get(reverse("feedback:request", args=[feedback_request.pk])).content.decode()
        assert "answers are no longer accepted" in page
        response = client.post(
            reverse("feedback:request", args=[feedback_request.pk]), post_data(feedback_request)
        )
        assert "answers are no longer accepted" in response.content.decode()
    assert not feedback_request.responses.exists()


def test_mentee_cannot_correct_after_the_cycle_closes(client, world, cycle):
    feedback_request = request_of(cycle, world.dyad, "mentee")
    submit(feedback_request)
    with time_machine.travel(timezone.now() + timedelta(days=30), tick=False):
        client.force_login(world.mentee)
        response = client.post(reverse("feedback:correct", args=[feedback_request.pk]), follow=True)
    assert "closed" in response.content.decode()
    assert feedback_request.responses.count() == 1


def test_a_submitted_version_cannot_be_saved_over(world, cycle):
    from feedback.models import SubmittedFeedbackIsFinal

    response = submit(request_of(cycle, world.dyad, "mentee"))
    response.strengths = "Rewritten history"
    with pytest.raises(SubmittedFeedbackIsFinal):
        response.save()
    response.refresh_from_db()
    assert response.strengths == "Strengths from mentee"
