"""Onboarding's time zone starts at the browser's own zone (static/js/time-zone.js); without
JavaScript, at the program's. SHOTS_DIR=... keeps screenshots of the page at 1280 and 390 px."""

import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from programs.models import Membership, Profile
from tests.browser.conftest import sign_in
from tests.builders import add_member, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def _newcomer(world):
    world.program.time_zone = "Europe/Berlin"
    world.program.save(update_fields=["time_zone"])
    world.program.topic_vocabulary = "Grant writing\nStatistics\nMedical education"
    world.program.save(update_fields=["topic_vocabulary"])
    person = make_user("newbie@a.example", name="Nell Newbie")
    Profile.objects.create(user=person)  # what accepting an invitation leaves: onboarding due
    add_member(world.program, person, Membership.Role.MENTEE)
    return person


def _onboarding(browser, live_server, person, **context):
    page = browser.new_context(locale="en-US", **context).new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, person)
    page.goto(live_server.url + "/")  # onboarding is due: sent to the profile page
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome!")
    return page


def test_the_zone_is_the_browsers_and_is_saved(browser, live_server, world):
    person = _newcomer(world)
    page = _onboarding(browser, live_server, person, timezone_id="Pacific/Auckland")
    assert page.url.startswith(live_server.url + reverse("programs:profile"))
    expect(page.get_by_label("Time zone")).to_have_value("Pacific/Auckland")
    if shots := os.environ.get("SHOTS_DIR"):
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(Path(shots) / f"zones-onboarding-{width}.png"), full_page=True)
    page.get_by_role("button", name="Save my profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    person.refresh_from_db()
    assert person.time_zone == "Pacific/Auckland"
    page.context.close()


def test_without_javascript_the_zone_is_the_programs(browser, live_server, world):
    page = _onboarding(
        browser, live_server, _newcomer(world), timezone_id="Asia/Tokyo", java_script_enabled=False
    )
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Berlin")
    page.context.close()
