"""Pairing in the browser: choosing a mentee updates the suggestions in place (htmx), the admin
pairs with one; and a cohort run proposes and confirms pairs for the unpaired mentees."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from programs import demo
from programs.models import Dyad, Membership
from programs.services.profiles import save_profile
from tests.browser.conftest import sign_in_with_form
from tests.builders import add_member, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def _unpaired(program, name: str, interests: str):
    person = make_user(name=name, interests=interests, department="Neonatology")
    add_member(program, person, Membership.Role.MENTEE)
    save_profile(user=person, fields={}, profile_fields={"meeting_mode": "video"})
    return person


def test_choosing_a_mentee_updates_the_suggestions_in_place_then_the_admin_pairs(page, live_server):
    world = demo.seed()
    program = world.program_a
    newcomer = _unpaired(program, "Nova Newcomer", "grant writing, health services research")
    sign_in_with_form(page, live_server, "admin@example.com", demo.DEMO_PASSWORD)
    page.goto(live_server.url + reverse("programs:pair", args=[program.slug]))
    expect(page.get_by_role("heading", name="Pair a mentee with a mentor")).to_be_visible()
    page.evaluate("window.stayedOnThePage = true")

    page.get_by_label("Search mentees by name, address or department").fill("Nova")
    mentees = page.get_by_role("list", name="Mentees")
    expect(mentees.get_by_role("link")).to_have_count(1)  # narrowed as one types
    mentees.get_by_role("link", name="Nova Newcomer").click()

    suggestions = page.locator("#suggestions")
    expect(suggestions.get_by_text("Suggested mentors for Nova Newcomer")).to_be_visible()
    best = suggestions.get_by_role("radio", name=str(world["mentor"]))
    expect(best).to_be_checked()  # Dr. Maria Mentor: two shared interests
    expect(
        suggestions.get_by_text("2 shared interests: grant writing, health services research")
    ).to_be_visible()
    assert page.evaluate("window.stayedOnThePage") is True  # updated in place, no reload
    assert f"mentee={newcomer.pk}" in page.url  # and the address says where we are

    suggestions.get_by_role("button", name="Pair them").click()
    expect(page.get_by_role("heading", name=f"{world['mentor']} → {newcomer}")).to_be_visible()
    assert Dyad.objects.get(mentee=newcomer, status=Dyad.Status.ACTIVE).mentor == world["mentor"]


def test_a_cohort_run_proposes_and_confirms_pairs(page, live_server):
    world = demo.seed()
    program = world.program_a
    first = _unpaired(program, "Cora Cohort", "leadership, quality improvement")
    second = _unpaired(program, "Cai Cohort", "grant writing")
    sign_in_with_form(page, live_server, "admin@example.com", demo.DEMO_PASSWORD)
    page.goto(live_server.url + reverse("programs:cohort", args=[program.slug]))
    page.get_by_role("button", name="Propose pairs for 2 mentees").click()

    table = page.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(3)
    expect(table.get_by_text("2 shared interests: leadership, quality improvement")).to_be_visible()
    expect(page.get_by_label("Mentor for Cora Cohort")).to_have_value(str(world["mentor2"].pk))
    page.get_by_role("button", name="Confirm these pairs").click()

    expect(page.get_by_text("2 pairs confirmed; each person has been told.")).to_be_visible()
    assert Dyad.objects.get(mentee=first, status=Dyad.Status.ACTIVE).mentor == world["mentor2"]
    assert Dyad.objects.get(mentee=second, status=Dyad.Status.ACTIVE).mentor == world["mentor"]
