"""Every goal of the demo mentee fits a phone's width: no sideways scrolling at 390 px (the first
goal page is among tests/browser/test_every_page.py's pages; the second has a longer history)."""

import io

import pytest
from django.core.management import call_command

from goals.models import Goal
from mentoring.models import User
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def test_each_of_the_mentees_goals_fits_a_phone(browser, live_server):
    call_command("seed_demo", stdout=io.StringIO())
    mentee = User.objects.get(email="mentee@example.com")
    goals = list(Goal.objects.filter(mentee=mentee).order_by("pk"))
    assert len(goals) >= 2
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in(page, live_server, mentee)
    wide = {}
    try:
        for goal in goals:
            page.goto(f"{live_server.url}/goals/{goal.pk}/")
            assert page.locator("h1").count() == 1
            width = page.evaluate("document.documentElement.scrollWidth")
            inner = page.evaluate("window.innerWidth")
            if width > inner:
                page.screenshot(path=f"/tmp/goal-{goal.pk}-390.png", full_page=True)
                wide[goal.pk] = width
    finally:
        context.close()
    assert not wide, f"goal pages wider than {PHONE['width']} px: {wide}"
