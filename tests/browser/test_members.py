"""The members page in the browser: an admin raises a mentor's capacity, gives a mentee a second
role and deactivates a member after the confirmation; the page reads on a phone.

With SCREENSHOTS=<dir> set, it also saves the members page at 1280 and 390 px wide there."""

import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from programs.models import Dyad, Membership
from tests.browser.conftest import sign_in
from tests.builders import make_dyad, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def _members(live_server, world) -> str:
    return live_server.url + reverse("programs:members", args=[world.program.slug])


def test_admin_changes_capacity_and_role_then_deactivates_a_member(page, live_server, world):
    make_dyad(world.program, mentor=world.mentor, by=world.admin)
    sign_in(page, live_server, world.admin)
    page.goto(_members(live_server, world))

    page.get_by_role("link", name="Manage Maria Mentor").click()
    expect(page.get_by_role("heading", name="Maria Mentor")).to_be_visible()
    page.get_by_label("Capacity (mentors only)").fill("1")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("alert").get_by_text("the capacity cannot be below 2")).to_be_visible()
    page.get_by_label("Capacity (mentors only)").fill("3")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Saved: Maria Mentor is told.")).to_be_visible()
    expect(page.get_by_role("cell", name="2 / 3")).to_be_visible()
    assert Membership.objects.get(program=world.program, user=world.mentor).capacity == 3

    page.goto(_members(live_server, world))
    page.get_by_role("link", name="Manage Sam Mentee").click()
    page.get_by_label("Mentor", exact=True).check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Saved: Sam Mentee is told.")).to_be_visible()
    roles = Membership.objects.filter(program=world.program, user=world.mentee)
    assert set(roles.values_list("role", flat=True)) == {"mentor", "mentee"}

    page.goto(_members(live_server, world))
    page.get_by_role("link", name="Manage Other Mentee").click()
    page.get_by_role("link", name="Deactivate Other Mentee…").click()
    expect(page.get_by_role("heading", name="Deactivate Other Mentee?")).to_be_visible()
    expect(page.get_by_role("link", name="Other Mentor → Other Mentee")).to_be_visible()
    page.get_by_role("button", name="Deactivate Other Mentee").click()
    expect(page.get_by_text("Other Mentee is deactivated; 1 open dyads ended.")).to_be_visible()
    expect(page.get_by_role("button", name="Reactivate Other Mentee")).to_be_visible()
    world.other_dyad.refresh_from_db()
    assert world.other_dyad.status == Dyad.Status.ENDED


def test_the_members_page_reads_on_a_phone(page, live_server, world):
    for number in range(12):
        make_dyad(
            world.program,
            mentor=make_user(name=f"Dr. Inés Núñez-Ölund {number}", department="Neonatology"),
            by=world.admin,
        )
    sign_in(page, live_server, world.admin)
    shots = os.environ.get("SCREENSHOTS")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(_members(live_server, world))
        edit = page.get_by_role("link", name="Manage Maria Mentor")
        expect(edit).to_be_visible()
        edit.scroll_into_view_if_needed()
        box = edit.bounding_box()
        assert (
            box is not None and box["x"] + box["width"] <= width
        )  # reachable without scrolling sideways
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{shots}/members-{width}.png", full_page=True)
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=f"{shots}/members-{width}-first-screen.png")


def test_addresses_stay_whole_on_a_desktop_and_a_long_one_wraps_on_a_phone(
    page, live_server, world
):
    long_address = "a" + "very" * 12 + "longaddress@department-of-pediatrics.example.org"
    # A crowded table, as a real program's: long expertise, departments, an institution's address.
    world.mentor.email = "maria.mentor@peds.example.org"
    world.mentor.expertise = "health services research, grant writing, career planning, " * 2
    world.mentor.department = "Pediatric Hospital Medicine and Neonatology"
    world.mentor.save()
    make_dyad(
        world.program,
        mentor=world.mentor,
        mentee=make_user(long_address, name="Dr. Long Address", department="General Pediatrics"),
        by=world.admin,
    )
    sign_in(page, live_server, world.admin)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(_members(live_server, world))
        if width == 1280:  # an ordinary address is one line while other columns can give way
            short = page.get_by_role("link", name=world.mentor.email, exact=True)
            height = short.bounding_box()["height"]
            line = page.evaluate("parseFloat(getComputedStyle(document.body).lineHeight)")
            assert height < 1.5 * line, f"{world.mentor.email} is broken over {height} px"
        # The long one wraps: the table does not scroll sideways in its box, and the row's button
        # is on screen.
        box = page.locator(".table-responsive")
        assert box.evaluate("b => b.scrollWidth <= b.clientWidth"), f"the table scrolls at {width}"
        manage = page.get_by_role("link", name="Manage Dr. Long Address").bounding_box()
        assert manage["x"] + manage["width"] <= width, f"Manage is off screen at {width} px"
