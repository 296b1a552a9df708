"""Issue 27's "done when": a mentee switches to Spanish in the navigation and does the agenda
journey of tests/browser/test_meetings.py in Chromium: proposes a time, writes the agenda, marks it
ready, sends a draft for review. Every button, link and field is found by its Spanish name, asked
of the project's catalog (locale/es), so the test needs those messages translated: until they are,
it fails on the first assertion that Spanish differs from English."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from playwright.sync_api import expect

from meetings.models import Meeting
from meetings.services import accept_proposal
from tests.browser.conftest import sign_in
from tests.builders import make_admin, make_dyad, make_program, make_user
from tests.meetings.builders import PDF

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "i18n"

# What the journey clicks, fills and reads, by its English msgid.
WORDS = [
    "Propose a meeting",
    "Place",
    "Propose",
    "Add to the agenda",
    "Mark the agenda ready",
    "Ready",
    "Send material for review",
    "Send for review",
    "Awaiting review",
    "topic",
    "title",
]


def es(msgid: str, **values) -> str:
    with translation.override("es"):
        text = gettext(msgid)
    return text % values if values else text


def test_a_mentee_switches_to_spanish_and_prepares_a_meeting(page, live_server):
    for msgid in WORDS:
        assert es(msgid) != msgid, f"not translated in locale/es: {msgid!r}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    program = make_program("Pediatría", slug="peds")
    admin = make_admin(program, email="admin@peds.example")
    mentor = make_user("mentor@peds.example", name="María Mentora")
    mentee = make_user("mentee@peds.example", name="Sam Mentorado")
    dyad = make_dyad(program, mentor=mentor, mentee=mentee, by=admin)
    starts = (timezone.now() + timedelta(days=2)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )

    # The mentee chooses Spanish in the navigation; the choice is saved.
    sign_in(page, live_server, mentee)
    page.goto(live_server.url)
    page.locator("#language-nav").select_option("es")
    page.locator("#language-nav").press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    mentee.refresh_from_db()
    assert mentee.language == "es"

    # Proposes a time.
    page.goto(f"{live_server.url}/meetings/dyad/{dyad.pk}/")
    page.get_by_role("link", name=es("Propose a meeting")).click()
    page.fill("#id_date1", starts.strftime("%Y-%m-%d"))
    page.fill("#id_start1", "10:00")
    page.fill("#id_end1", "11:00")
    page.get_by_label(es("Place")).fill("Sala 4B")
    page.get_by_role("button", name=es("Propose"), exact=True).click()
    sent = es("Your proposed times are sent. %(partner)s picks one of them.", partner=mentor)
    expect(page.get_by_text(sent)).to_be_visible()
    meeting_url = page.url

    # The mentor accepts it (in English: their own language is not the mentee's).
    meeting = Meeting.objects.get()
    accept_proposal(proposal=meeting.proposals.get(), by=mentor)

    # Writes the agenda, marks it ready, sends a draft for review.
    page.goto(meeting_url)
    page.get_by_label(capfirst(es("topic"))).fill("Objetivos específicos K23")
    page.select_option("#id_agenda-help_needed", "review")
    page.get_by_role("button", name=es("Add to the agenda")).click()
    expect(page.locator("#agenda-items")).to_contain_text("Objetivos específicos K23")
    page.get_by_role("button", name=es("Mark the agenda ready")).click()
    expect(page.locator("#agenda-ready")).to_have_text(es("Ready"))
    page.screenshot(path=str(SHOTS / "agenda-es-1280.png"), full_page=True)
    page.get_by_role("link", name=es("Send material for review")).click()
    page.get_by_label(capfirst(es("title"))).fill("Borrador de objetivos 2")
    page.set_input_files(
        "#id_upload", {"name": "objetivos.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name=es("Send for review")).click()
    expect(page.locator("#material-list")).to_contain_text(es("Awaiting review"))
    meeting.refresh_from_db()
    assert meeting.agenda_ready_at is not None
    assert meeting.agenda_items.get().topic == "Objetivos específicos K23"
