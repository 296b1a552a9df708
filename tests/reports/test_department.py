"""The department view: each program's tiles side by side, after their totals; and the feedback
completion tile, which names each open cycle and shows no figure when none is open."""

import re

import pytest
from django.urls import reverse

from programs.models import Membership
from tests.builders import make_dyad
from tests.feedback.helpers import make_cycle, request_of, submit

pytestmark = pytest.mark.django_db


def _department(client, world):
    Membership.objects.create(program=world.program_b, user=world.admin, role="admin")
    client.force_login(world.admin)
    return client.get(reverse("reports:department"))


def _tile_text(html: str, tile_id: str) -> str:
    found = re.search(rf'id="{tile_id}"[^>]*>(.*?)</(a|div)>\s*</li>', html, re.S)
    assert found, tile_id
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def test_the_department_adds_up_the_programs_and_recomputes_the_rate(client, world):
    b_dyad = make_dyad(world.program_b, by=world.outsider_admin)
    a_cycle = make_cycle(world)  # program A: two dyads, four requests, one answered (25%)
    submit(request_of(a_cycle, world.dyad, "mentee"))
    b_cycle = make_cycle(world, program=world.program_b)  # B: one dyad, both answered (100%)
    submit(request_of(b_cycle, b_dyad, "mentee"))
    submit(request_of(b_cycle, b_dyad, "mentor"))

    page = _department(client, world)
    totals = {t.key: t for t in page.context["totals"]}
    overviews = page.context["overviews"]
    for key in ("waiting_mentees", "upcoming", "attention", "overdue_dyads"):
        assert totals[key].count == sum(o.tile(key).count for o in overviews), key
    # 3 of 6 answered: 50%, not the average of 25% and 100%.
    assert totals["feedback"].count == 50
    assert totals["feedback"].detail == "3 of 6 given, in 2 open cycles"
    assert "All 2 programs" in page.text
    assert _tile_text(page.text, "tile-feedback-all").startswith("50% Feedback completion")
    assert not totals["feedback"].url  # a total has no list of its own: not a link
    assert 'id="tile-feedback-all"' in page.text and 'href=""' not in page.text


def test_no_open_cycle_says_so_without_a_percentage(client, world):
    page = _department(client, world)
    text = _tile_text(page.text, f"tile-feedback-{world.program.pk}")
    assert text == "Feedback completion No feedback cycle is open"
    assert _tile_text(page.text, "tile-feedback-all") == text
    assert page.context["overviews"][0].tile("feedback").count is None


def test_two_open_cycles_show_each_its_own_figure(client, world):
    spring = make_cycle(world, name="Spring")
    make_cycle(world, name="Fit check")
    submit(request_of(spring, world.dyad, "mentee"))
    page = _department(client, world)
    text = _tile_text(page.text, f"tile-feedback-{world.program.pk}")
    assert "Spring: 25%, 1 of 4 given" in text
    assert "Fit check: 0%, 0 of 4 given" in text
    assert not text.startswith(("12%", "13%"))  # no merged figure


def test_one_open_cycle_is_named_beside_its_figure(client, world):
    cycle = make_cycle(world, name="Spring")
    submit(request_of(cycle, world.dyad, "mentee"))
    page = _department(client, world)
    text = _tile_text(page.text, f"tile-feedback-{world.program.pk}")
    assert text == "25% Feedback completion Spring: 1 of 4 given"
