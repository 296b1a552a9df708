"""Every page each demo role reaches, on a 390 px phone: nothing scrolls sideways and axe-core finds
no serious or critical violation. Again in French, whose words run longer (issue 27): nothing
scrolls sideways there either, and a screenshot of each page is kept in test-results/i18n/ to be
looked at (axe runs in English only: its rules do not change with the language, and it is most of
the time a page takes).

The list of pages is the crawl of tests/test_crawl.py (every link from home), one page per kind of
URL (ids stand for any id). axe-core comes from the npm package installed by `make test`
(tests/a11y/package.json); it is added to each page from that local file (an init script of the
browser context, which bypasses CSP), so the app's Content-Security-Policy stays exactly as it is.
"""

import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from mentoring.models import User
from tests.browser.conftest import sign_in
from tests.page_kinds import pages_by_kind

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parent.parent / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# One person of each demo role.
ROLES = ["admin@example.com", "mentor@example.com", "mentee@example.com"]
SAME_FOR_ALL = re.compile(r"^/(accounts|notifications/preferences)/")
SERIOUS = """
    axe.run(document, {resultTypes: ['violations']}).then(result => result.violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3)
            .map(n => n.target.join(' ')).join(', ')}`))
"""


def _pages(user) -> list[str]:
    client = Client()
    client.force_login(user)
    return sorted(pages_by_kind(client))


SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "i18n"
LOCALES = {"en": "en-US", "fr": "fr-FR"}


def _problems(page, *, axe: bool = True) -> list[str]:
    width = page.evaluate("document.documentElement.scrollWidth")
    found = page.evaluate(SERIOUS) if axe else []
    if width > PHONE["width"] and page.viewport_size == PHONE:
        found.append(f"the page is {width} px wide at 390 px: it scrolls sideways")
    return found


def _check(
    browser, live_server, user, pages: list[str], language: str = "en"
) -> dict[str, list[str]]:
    """Each page at 390 px (and home at 1280 px) in one context for the person; in another
    language than English, each page's width only, and its screenshot."""
    axe = language == "en"
    context = browser.new_context(
        viewport=PHONE,
        bypass_csp=True,
        locale=LOCALES[language],
        timezone_id="America/New_York",
    )
    context.add_init_script(path=str(AXE))  # in every page, before its own scripts
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, user)
    failures = {}
    try:
        for url in pages:
            page.goto(f"{live_server.url}{url}")
            found = _problems(page, axe=axe)
            if page.locator("html").get_attribute("lang") != language:
                found.append(f"the page is not in {language}")
            if found:
                failures[url] = found
            if not axe:
                name = re.sub(r"\W+", "-", url).strip("-") or "home"
                page.screenshot(path=str(SHOTS / language / user.email / f"{name}-390.png"))
        # The navigation bar shows its links only on a wider screen: check home there too.
        page.set_viewport_size(DESKTOP)
        page.goto(live_server.url)
        if found := _problems(page, axe=axe):
            failures["/ at 1280 px"] = found
    finally:
        context.close()
    return failures


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_page_of_every_role_fits_a_phone_and_passes_axe(browser, live_server, language):
    assert AXE.exists(), "axe-core is missing: `make test` installs tests/a11y (npm ci)"
    call_command("seed_demo", stdout=io.StringIO())  # once: seeding costs more than a role's pages
    User.objects.update(language=language)  # each person's own choice, whatever the browser asks
    failures = {}
    checked: set[str] = set()
    for email in ROLES:
        user = User.objects.get(email=email)
        pages = _pages(user)
        assert len(pages) > 5
        # The account pages are the same for everyone: checked once.
        pages = [url for url in pages if not (SAME_FOR_ALL.match(url) and url in checked)]
        checked.update(pages)
        if found := _check(browser, live_server, user, pages, language):
            failures[email] = found
    assert not failures, json.dumps(failures, indent=1)


def test_one_long_unbroken_word_wraps_instead_of_widening_the_page(browser, live_server):
    from meetings import services
    from tests.builders import make_admin, make_dyad, make_program, make_user
    from tests.meetings.builders import schedule

    program = make_program("Pediatrics", slug="peds")
    mentee = make_user("mentee@peds.example", name="Sam " + "Long" * 30)
    dyad = make_dyad(
        program,
        mentor=make_user("mentor@peds.example"),
        mentee=mentee,
        by=make_admin(program, email="admin@peds.example"),
    )
    meeting = schedule(dyad)
    services.add_agenda_item(
        meeting=meeting, by=mentee, topic="T" * 200, details="https://x.example/" + "y" * 5000
    )
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in(page, live_server, mentee)
    try:
        for url in (meeting.get_absolute_url(), "/"):
            page.goto(f"{live_server.url}{url}")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{url} is {width} px wide"
    finally:
        context.close()
