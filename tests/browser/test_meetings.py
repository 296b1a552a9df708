"""A meeting planned end to end in Chromium: proposal, agenda, draft for review, notes, outcome."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import Meeting
from tests.browser.conftest import sign_in
from tests.builders import make_admin, make_dyad, make_program, make_user
from tests.meetings.builders import PDF

pytestmark = pytest.mark.django_db(transaction=True)


def _as(page, live_server, user):
    page.context.clear_cookies()
    sign_in(page, live_server, user)


def test_mentee_plans_a_meeting_and_the_mentor_arrives_prepared(page, live_server):
    program = make_program("Pediatrics", slug="peds")
    admin = make_admin(program, email="admin@peds.example")
    mentor = make_user("mentor@peds.example", name="Maria Mentor")
    mentee = make_user("mentee@peds.example", name="Sam Mentee")
    dyad = make_dyad(program, mentor=mentor, mentee=mentee, by=admin)
    starts = (timezone.now() + timedelta(days=2)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )

    # The mentee proposes a time.
    _as(page, live_server, mentee)
    page.goto(f"{live_server.url}/meetings/dyad/{dyad.pk}/")
    page.get_by_role("link", name="Propose a meeting").click()
    page.fill("#id_date1", starts.strftime("%Y-%m-%d"))
    page.fill("#id_start1", "10:00")
    page.fill("#id_end1", "11:00")
    page.get_by_label("Place").fill("Room 4B")
    page.get_by_role("button", name="Propose").click()
    expect(page.get_by_text("Your proposed times are sent")).to_be_visible()
    meeting_url = page.url

    # The mentor accepts it.
    _as(page, live_server, mentor)
    page.goto(meeting_url)
    page.get_by_role("button", name="Accept this time").click()
    expect(page.locator("#meeting-status")).to_have_text("Scheduled")

    # The mentee writes the agenda, marks it ready and sends a draft for review.
    _as(page, live_server, mentee)
    page.goto(meeting_url)
    page.fill("#id_agenda-topic", "K23 specific aims")
    page.select_option("#id_agenda-help_needed", "review")
    page.get_by_role("button", name="Add to the agenda").click()
    expect(page.locator("#agenda-items")).to_contain_text("K23 specific aims")
    page.get_by_role("button", name="Mark the agenda ready").click()
    expect(page.locator("#agenda-ready")).to_have_text("Ready")
    page.get_by_role("link", name="Send material for review").click()
    page.fill("#id_title", "Aims draft 2")
    page.set_input_files(
        "#id_upload", {"name": "aims-draft.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Send for review").click()
    expect(page.locator("#material-list")).to_contain_text("Awaiting review")

    # The mentor sees the agenda is ready, downloads the draft and marks it reviewed.
    _as(page, live_server, mentor)
    page.goto(live_server.url)
    expect(page.locator("#upcoming-meetings")).to_contain_text("Agenda ready")
    page.goto(meeting_url)
    with page.expect_download() as download:
        page.get_by_role("link", name="Aims draft 2").click()
    assert download.value.suggested_filename == "aims-draft.pdf"
    page.get_by_role("link", name="Mark reviewed").click()
    page.get_by_label("Comment for the mentee").fill("Aim 2 is too broad.")
    page.get_by_role("button", name="Mark reviewed").click()
    expect(page.locator("#material-list")).to_contain_text("Reviewed")

    # After the meeting: shared notes, an action item for the mentee, marked held.
    with time_machine.travel(starts + timedelta(minutes=70), tick=True):
        page.get_by_role("link", name="Edit the shared notes").click()
        page.get_by_label("Shared notes").fill("Narrow aim 2 to the registry cohort.")
        page.get_by_role("button", name="Save the notes").click()
        expect(page.locator("#shared-notes")).to_contain_text("registry cohort")
        page.get_by_text("Add an action item").click()
        page.fill("#id_action-description", "Send the revised aims page")
        page.select_option("#id_action-owner", str(mentee.pk))
        page.get_by_role("button", name="Add the action item").click()
        expect(page.locator("#action-items")).to_contain_text("Send the revised aims page")
        page.get_by_role("button", name="Mark held").click()
        expect(page.locator("#meeting-status")).to_have_text("Held")

        # The action item waits on the mentee's home page.
        _as(page, live_server, mentee)
        page.goto(live_server.url)
        expect(page.locator("#home-action-items")).to_contain_text("Send the revised aims page")
    assert Meeting.objects.get().status == Meeting.Status.HELD
