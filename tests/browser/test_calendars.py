"""Scheduling that knows both calendars, in Chromium: the demo pair with their calendars (the
mentor's a CalDAV account on a Radicale server on loopback, the mentee's a published address on a
loopback HTTP server); the mentee picks a common free time, the mentor accepts, and the meeting is
in the mentor's CalDAV calendar. The canary title of the mentee's calendar shows on no page."""

import io
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from icalendar import Calendar
from playwright.sync_api import expect

from meetings.models import Meeting
from mentoring.models import User
from programs.models import Dyad
from tests.browser.conftest import sign_in
from tests.calendars.servers import CANARY, event, ics, make_radicale_calendar

pytestmark = pytest.mark.django_db(transaction=True)
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


def _as(page, live_server, user):
    page.context.clear_cookies()
    sign_in(page, live_server, user)


def _shots(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOTS")
    if not folder:
        return
    for size_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(Path(folder) / f"{name}-{size_name}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def test_mentee_picks_a_common_free_time_and_it_lands_in_the_mentors_caldav_calendar(
    page, live_server, radicale_server, ics_server
):
    call_command("seed_demo", stdout=io.StringIO())
    mentor = User.objects.get(email="mentor@example.com")
    mentee = User.objects.get(email="mentee@example.com")
    dyad = Dyad.objects.get(mentor=mentor, mentee=mentee, status=Dyad.Status.ACTIVE)
    caldav_calendar = make_radicale_calendar(radicale_server, "maria")
    soon = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
    ics_server.files["/sam.ics"] = ics(
        event(
            "secret@test",
            CANARY,
            f"DTSTART:{soon:%Y%m%dT%H%M%SZ}",
            f"DTEND:{soon + timedelta(hours=3):%Y%m%dT%H%M%SZ}",
        )
    )

    # The mentor connects a CalDAV account on "My calendars" (from the profile).
    _as(page, live_server, mentor)
    page.goto(f"{live_server.url}/profile/")
    page.get_by_role("link", name="my calendars and working hours").click()
    page.get_by_label("CalDAV server address").fill(f"{radicale_server}/maria/")
    page.get_by_label("User name").fill("maria")
    page.get_by_label("App password").fill("app-password")
    page.locator("#caldav").get_by_role("button", name="Connect", exact=True).click()
    expect(page.get_by_text("Your CalDAV calendar is connected")).to_be_visible()
    expect(page.locator("#connection-caldav")).to_contain_text("Last updated")

    # The mentee replaces the demo's sample busy times with their published calendar.
    _as(page, live_server, mentee)
    page.goto(f"{live_server.url}/calendars/")
    page.get_by_role("textbox", name="Calendar address").fill(f"{ics_server.url}/sam.ics")
    page.locator("#published").get_by_role("button", name="Connect", exact=True).click()
    expect(page.get_by_text("Your published calendar is connected")).to_be_visible()
    expect(page.locator("#connection-published")).to_contain_text("Last updated")
    assert CANARY not in page.content()
    _shots(page, "my-calendars")

    # Proposing times: the common free slots load with the page; picking one fills option 1.
    page.goto(f"{live_server.url}/meetings/dyad/{dyad.pk}/propose/")
    picker = page.locator("#slot-picker")
    expect(picker).to_contain_text("When you are both free")
    expect(picker).to_contain_text("Dr. Maria")  # the partner's calendar state, by name
    first = picker.locator("button[data-fill-date]").first
    date, start, end = (first.get_attribute(f"data-fill-{n}") for n in ("date", "start", "end"))
    assert CANARY not in page.content()
    _shots(page, "slot-picker")
    first.click()
    expect(page.locator("#id_date1")).to_have_value(date)
    expect(page.locator("#id_start1")).to_have_value(start)
    expect(page.locator("#id_end1")).to_have_value(end)
    expect(page.locator("#slot-picked")).to_contain_text("Option 1")
    page.get_by_role("button", name="Propose").click()
    expect(page.get_by_text("Your proposed times are sent")).to_be_visible()
    meeting_url = page.url

    # The mentor accepts; the meeting is in the mentor's CalDAV calendar, as the invitation.
    _as(page, live_server, mentor)
    page.goto(meeting_url)
    page.get_by_role("button", name="Accept this time").click()
    expect(page.locator("#meeting-status")).to_have_text("Scheduled")
    meeting = Meeting.objects.get(pk=int(meeting_url.rstrip("/").rsplit("/", 1)[-1]))
    written = {
        str(c["UID"]): c
        for obj in caldav_calendar.events()
        for c in Calendar.from_ical(obj.data).walk("VEVENT")
    }
    event_there = written[f"{meeting.uid}@mentoring"]
    assert event_there["DTSTART"].dt == meeting.starts_at
    assert int(event_there["SEQUENCE"]) == meeting.sequence
    assert CANARY not in page.content()
