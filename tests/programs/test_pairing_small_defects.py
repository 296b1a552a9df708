"""Small defects of the pairing pages (issue 23): what an admin is told and offered about re-pair
requests, an empty heading, the order of the supplemental mentors, the demo dyads' start."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from meetings.models import Meeting
from programs.models import Dyad, RePairRequest
from programs.services.requests import request_re_pair
from programs.services.supervisors import set_supervisor
from tests.builders import make_dyad
from tests.programs.helpers import new_mentee, new_mentor

pytestmark = pytest.mark.django_db


def _next_step(client, user) -> str:
    client.force_login(user)
    page = client.get("/").content.decode()
    match = re.search(r'<section class="card next-step.*?</section>', page, re.S)
    return match.group(0) if match else ""


def test_admins_next_step_names_the_re_pair_request(client, world):
    request_re_pair(dyad=world.dyad, by=world.mentee, reason="We never meet.")
    card = _next_step(client, world.admin)
    assert "/attention/" in card
    assert "re-pair request" in card.lower()
    assert "Flagged by feedback or missed meetings" not in card


def test_attention_row_of_a_re_pair_request_offers_to_open_it_and_re_pair(client, world):
    request_re_pair(dyad=world.dyad, by=world.mentee, reason="We never meet.")
    client.force_login(world.admin)
    page = client.get(reverse("feedback:attention", args=[world.program.slug])).content.decode()
    re_pair_request = RePairRequest.objects.get()
    assert reverse("programs:re_pair_request", args=[re_pair_request.pk]) in page
    assert "Open the re-pair request" in page
    assert reverse("programs:dyad_re_pair", args=[world.dyad.pk]) in page
    assert "Resolve or adjust cadence" not in page


def test_pair_page_shows_no_empty_not_suggested_heading(client, world):
    mentee = new_mentee(world)
    # The only mentor not suggested is the mentee's supervisor, who is offered above (after a
    # confirmation), not listed under the heading: nothing would be under it.
    set_supervisor(program=world.program, person=mentee, supervisor=world.mentor, by=world.admin)
    client.force_login(world.admin)
    page = client.get(reverse("programs:pair", args=[world.program.slug]), {"mentee": mentee.pk})
    html = page.content.decode()
    assert any(m.may_choose_anyway for m in page.context["excluded"])  # the supervisor
    assert "Not suggested, and why" not in html


def test_supplemental_page_ranks_mentors_by_their_points_best_first(client, world):
    mentee = new_mentee(world, interests="statistics, grant writing, leadership, teaching")
    full = new_mentor(
        world, capacity=1, name="Full Fit", expertise="statistics, grant writing, leadership"
    )
    make_dyad(world.program, mentor=full, by=world.admin)  # at capacity: still a supplemental
    new_mentor(world, name="Some Fit", expertise="teaching")
    client.force_login(world.admin)
    page = client.get(
        reverse("programs:add_supplemental", args=[world.program.slug]), {"mentee": mentee.pk}
    )
    ranked = [(m.mentor.name, m.score) for m in page.context["suggested"]]
    scores = [score for _name, score in ranked]
    assert scores == sorted(scores, reverse=True), ranked
    names = [name for name, _score in ranked]
    assert names.index("Full Fit") < names.index("Some Fit")


def test_every_demo_dyad_started_before_its_first_meeting(db):
    call_command("seed_demo", dyads=3, stdout=io.StringIO())  # and a small load program
    dyads = Dyad.objects.exclude(started_on=None)
    assert dyads.exists()
    for dyad in dyads:
        first = Meeting.objects.filter(dyad=dyad).exclude(starts_at=None).order_by("starts_at")
        if first.exists():
            assert dyad.started_on <= first[0].starts_at.date(), (str(dyad), dyad.started_on)
