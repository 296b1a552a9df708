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
    request = request_of(cycle, world.dyad, "mentee")
    submit(request)
    client.force_login(world.mentee)
    client.post(reverse("feedback:correct", args=[request.pk]))
    data = post_data(request, strengths="Corrected strengths", correction_reason="Typo")
    client.post(reverse("feedback:request", args=[request.pk]), data)
    first, second = request.responses.order_by("version")
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
    request = request_of(cycle, world.dyad, "mentee")
    submit(request)
    draft = start_correction(request=request, by=world.mentee)
    submit(request, strengths="Second thoughts")
    assert draft.version == 2
    submit(request_of(cycle, world.dyad, "mentor"))
    client.force_login(world.mentor)
    page = client.get(reverse("feedback:request", args=[request.pk])).content.decode()
    assert page.index("Second thoughts") < page.index("Earlier versions (1)")
    assert "Strengths from mentee" in page


def test_a_correction_in_progress_is_not_seen_by_the_partner(world, cycle):
    from feedback.models import FeedbackResponse

    request = request_of(cycle, world.dyad, "mentee")
    submit(request)
    submit(request_of(cycle, world.dyad, "mentor"))
    draft = start_correction(request=request, by=world.mentee)
    assert not FeedbackResponse.objects.visible_to(world.mentor).filter(pk=draft.pk).exists()


def test_clicking_correct_twice_starts_one_correction(world, cycle):
    request = request_of(cycle, world.dyad, "mentee")
    submit(request)
    assert start_correction(request=request, by=world.mentee) == start_correction(
        request=request, by=world.mentee
    )
    assert request.responses.count() == 2


def test_mentee_cannot_answer_a_closed_cycle(client, world, cycle):
    request = request_of(cycle, world.dyad, "mentee")
    with time_machine.travel(timezone.now() + timedelta(days=30), tick=False):
        client.force_login(world.mentee)
        page = client.get(reverse("feedback:request", args=[request.pk])).content.decode()
        assert "answers are no longer accepted" in page
        response = client.post(reverse("feedback:request", args=[request.pk]), post_data(request))
        assert "answers are no longer accepted" in response.content.decode()
    assert not request.responses.exists()


def test_mentee_cannot_correct_after_the_cycle_closes(client, world, cycle):
    request = request_of(cycle, world.dyad, "mentee")
    submit(request)
    with time_machine.travel(timezone.now() + timedelta(days=30), tick=False):
        client.force_login(world.mentee)
        response = client.post(reverse("feedback:correct", args=[request.pk]), follow=True)
    assert "closed" in response.content.decode()
    assert request.responses.count() == 1


def test_a_submitted_version_cannot_be_saved_over(world, cycle):
    from feedback.models import SubmittedFeedbackIsFinal

    response = submit(request_of(cycle, world.dyad, "mentee"))
    response.strengths = "Rewritten history"
    with pytest.raises(SubmittedFeedbackIsFinal):
        response.save()
    response.refresh_from_db()
    assert response.strengths == "Strengths from mentee"
