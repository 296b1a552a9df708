"""A mentee prepares a meeting with the keyboard alone: from home to an agenda item and a ready
agenda, every stop showing where the focus is."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.builders import make_admin, make_dyad, make_program, make_user
from tests.meetings.builders import at, schedule

pytestmark = pytest.mark.django_db(transaction=True)

FOCUSED = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return {
        text: (el.innerText || el.value || '').trim(),
        id: el.id,
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    };
}"""


def _tab_to(page, wanted, limit=40) -> dict:
    """Press Tab until the focus is on what `wanted(focused)` accepts; each stop must show it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused["outline"], f"no visible focus on {focused}"
        if wanted(focused):
            return focused
    raise AssertionError(f"not reached in {limit} presses of Tab")


def test_a_mentee_writes_the_agenda_and_marks_it_ready_with_the_keyboard(page, live_server):
    program = make_program("Pediatrics", slug="peds")
    admin = make_admin(program, email="admin@peds.example")
    mentor = make_user("mentor@peds.example", name="Maria Mentor")
    mentee = make_user("mentee@peds.example", name="Sam Mentee")
    dyad = make_dyad(program, mentor=mentor, mentee=mentee, by=admin)
    meeting = schedule(dyad, starts_at=at(2, hour=15))
    sign_in(page, live_server, mentee)
    page.goto(live_server.url)

    # Home's next step leads to the agenda: the skip link, then the card's button.
    _tab_to(page, lambda f: f["text"] == "Skip to main content", limit=1)
    page.keyboard.press("Enter")
    _tab_to(page, lambda f: f["text"].startswith("Write the agenda"), limit=3)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/meetings/{meeting.pk}/#agenda")

    # The agenda form is open and comes before "Mark the agenda ready".
    _tab_to(page, lambda f: f["id"] == "id_agenda-topic", limit=30)
    page.keyboard.type("K23 specific aims")
    _tab_to(page, lambda f: f["id"] == "id_agenda-help_needed", limit=2)
    page.keyboard.press("ArrowDown")
    _tab_to(page, lambda f: f["text"] == "Add to the agenda", limit=8)
    page.keyboard.press("Enter")
    expect(page.locator("#agenda-items")).to_contain_text("K23 specific aims")

    page.keyboard.press("Tab")  # from the top of the page again
    _tab_to(page, lambda f: f["text"] == "Mark the agenda ready", limit=60)
    page.keyboard.press("Enter")
    expect(page.locator("#agenda-ready")).to_have_text("Ready")
