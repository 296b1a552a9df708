"""The plan page prints: a Print button (a static script, the CSP allows no inline one), and a
printout that names the mentee, the mentors and the day it was printed, without the navigation."""

import re

import pytest
import time_machine
from django.urls import reverse

from programs.models import Dyad
from tests.builders import make_dyad, make_user
from tests.reminders.conftest import at

pytestmark = pytest.mark.django_db


def _plan(client, user, world):
    client.force_login(user)
    with time_machine.travel(at(2026, 12, 7, 12), tick=False):
        return client.get(reverse("goals:plan", args=[world.program.pk, world.mentee.pk]))


def test_the_plan_has_a_print_button_run_by_a_static_script(client, world):
    html = _plan(client, world.mentee, world).text
    assert re.search(
        r'<button type="button" class="btn [^"]*" data-print hidden>Print</button>', html
    )
    assert '<script src="/static/js/print.js"></script>' in html
    assert "onclick=" not in html and "<script>" not in html


@pytest.mark.parametrize("who", ["mentee", "mentor", "admin"])
def test_the_printout_names_the_mentee_the_mentors_and_the_day(client, world, who):
    grants = make_user("grants@example.org", name="Gina Grants")
    make_dyad(
        world.program,
        mentor=grants,
        mentee=world.mentee,
        by=world.admin,
        kind=Dyad.Kind.SUPPLEMENTAL,
        focus_area="grant writing",
    )
    html = _plan(client, getattr(world, who), world).text
    assert f"<h1>Development plan: {world.mentee}</h1>" in html
    assert f"Mentors: {world.mentor}; Gina Grants (grant writing)</p>" in html
    assert re.search(
        r'class="d-none d-print-block[^"]*">Printed <time datetime="2026-12-07[^"]*">[^<]*7 Dec 2026<',
        html,
    )
    # The navigation is left out on paper (print.css hides .d-print-none).
    assert '<nav class="navbar navbar-expand-lg navbar-dark app-nav mb-4 d-print-none"' in html
    assert 'href="/static/css/print.css" media="print"' in html


def test_a_mentee_without_a_mentor_says_so(client, world):
    from programs.services.dyads import end_dyad

    end_dyad(dyad=world.dyad, by=world.admin, reason=Dyad.EndReason.GOALS_MET)
    assert "No mentor yet</p>" in _plan(client, world.mentee, world).text
