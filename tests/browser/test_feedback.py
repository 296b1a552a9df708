"""Two-way feedback in a real browser: independent answers, the reveal, the confidential note."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.feedback.helpers import make_cycle, request_of

pytestmark = pytest.mark.django_db(transaction=True)


def _as(page, live_server, user):
    page.context.clear_cookies()
    sign_in(page, live_server, user)


def _answer(page, live_server, feedback_request, *, strengths, note=""):
    page.goto(live_server.url + reverse("feedback:request", args=[feedback_request.pk]))
    for quality in feedback_request.qualities:
        page.check(f"input[name=q_{quality.value}][value='4']")
    page.fill("textarea[name=strengths]", strengths)
    page.check("input[name=meeting_frequency][value=right]")
    page.check("input[name=working][value=continue]")
    if note:
        page.fill("textarea[name=note]", note)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("your feedback is submitted")).to_be_visible()


def test_feedback_is_independent_until_both_submit_and_the_note_stays_with_the_admin(
    page, live_server, world
):
    cycle = make_cycle(world)
    mentee_request = request_of(cycle, world.dyad, "mentee")
    mentor_request = request_of(cycle, world.dyad, "mentor")
    note = "Only the admin should know: meetings keep getting cancelled."

    _as(page, live_server, world.mentee)
    page.goto(live_server.url + "/")
    page.get_by_role(
        "link", name=f"Give feedback to {world.mentor}", exact=True
    ).click()  # home's next step
    _answer(page, live_server, mentee_request, strengths="Generous with her time.", note=note)
    expect(page.get_by_text(note)).to_be_visible()  # the author reads their own note

    # Before the mentor answers, the mentee's answer is hidden from the mentor.
    _as(page, live_server, world.mentor)
    page.goto(live_server.url + reverse("feedback:request", args=[mentor_request.pk]))
    expect(page.get_by_text("has answered. You will see it once you submit yours")).to_be_visible()
    expect(page.get_by_text("Generous with her time.")).to_have_count(0)

    _answer(page, live_server, mentor_request, strengths="Sets clear agendas.")
    expect(page.get_by_text("Generous with her time.")).to_be_visible()
    expect(page.get_by_text(note)).to_have_count(0)  # the partner never sees the note

    _as(page, live_server, world.mentee)
    page.goto(live_server.url + reverse("feedback:request", args=[mentee_request.pk]))
    expect(page.get_by_text("Sets clear agendas.")).to_be_visible()

    _as(page, live_server, world.admin)
    page.goto(live_server.url + reverse("feedback:cycle", args=[cycle.pk]))
    expect(page.get_by_text("2 of 4")).to_be_visible()
    page.get_by_role("link", name=re.compile("’s answers$")).first.click()
    expect(page.get_by_text("Generous with her time.")).to_be_visible()
    expect(page.get_by_text("Sets clear agendas.")).to_be_visible()
    expect(page.get_by_text(note)).to_be_visible()
