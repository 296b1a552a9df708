"""The attention list also shows mentor requests left unanswered for two weeks, with what resolves
them: decline for the program, or assign a mentor."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from feedback.selectors import REQUEST_UNANSWERED_DAYS
from programs.services.requests import request_mentor, withdraw_mentor_request
from tests.programs.helpers import new_mentee

pytestmark = pytest.mark.django_db


def test_a_request_unanswered_for_two_weeks_is_on_the_attention_list(client, world):
    asking = new_mentee(world, name="Patient Mentee")
    with time_machine.travel(timezone.now() - timedelta(days=REQUEST_UNANSWERED_DAYS + 1)):
        old = request_mentor(program=world.program, mentee=asking, mentor=world.mentor)
    recent = new_mentee(world, name="Eager Mentee")
    request_mentor(program=world.program, mentee=recent, mentor=world.other_mentor)
    client.force_login(world.admin)
    page = client.get(reverse("feedback:attention", args=[world.program.slug]))
    assert page.context["unanswered_requests"] == [old]
    html = page.text
    assert f"Mentor requests unanswered for over {REQUEST_UNANSWERED_DAYS} days (1)" in html
    assert f'href="{reverse("programs:request", args=[old.pk])}"' in html
    pair = reverse("programs:pair", args=[world.program.slug])
    assert f'href="{pair}?mentee={asking.pk}"' in html
    assert "Eager Mentee" not in html


def test_an_answered_request_leaves_the_attention_list(client, world):
    asking = new_mentee(world)
    with time_machine.travel(timezone.now() - timedelta(days=30)):
        request = request_mentor(program=world.program, mentee=asking, mentor=world.mentor)
    withdraw_mentor_request(mentor_request=request, by=asking)
    client.force_login(world.admin)
    page = client.get(reverse("feedback:attention", args=[world.program.slug]))
    assert page.context["unanswered_requests"] == []
