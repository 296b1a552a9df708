"""French and Spanish labels are longer than English ones: the pages where they used to break the
layout, on the demo data, in both languages. At 390 px nothing scrolls sideways and no table squeezes
a word letter by letter; at 992 and 1280 px the navigation keeps each link on one line and the page
its width. (The .mo files come from `manage.py compile_catalogs`, which `make test` runs.)"""

import io

import pytest
from django.core.management import call_command

from conversations.models import Message
from goals.models import Goal
from mentoring.models import User
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
# Table cells whose longest word is wider than the cell: the word was broken inside.
SQUEEZED = """() => {
  const canvas = document.createElement('canvas').getContext('2d');
  const found = [];
  for (const cell of document.querySelectorAll('main td')) {
    if (cell.offsetParent === null) continue;
    const style = getComputedStyle(cell);
    canvas.font = style.font;
    const room = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let text = '';  // what is seen: not the words for screen readers only
    while (walker.nextNode()) {
      if (!walker.currentNode.parentElement.closest('.visually-hidden')) text += ' ' + walker.currentNode.textContent;
    }
    for (const word of text.split(/\\s+/).filter(w => w.length >= 3 && w.length <= 20)) {
      if (canvas.measureText(word).width > room + 1) { found.push(word); break; }
    }
  }
  return found;
}"""
# Navigation links and buttons taller than one line of text: their label broke inside.
BROKEN_LINKS = """() => [...document.querySelectorAll('nav.app-nav .nav-link, nav.app-nav .btn')]
  .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height > 45)
  .map(e => e.innerText.trim())"""


def _in(browser, live_server, email: str, language: str):
    user = User.objects.get(email=email)
    user.language = language
    user.save(update_fields=["language"])
    context = browser.new_context(viewport=PHONE, locale="en-US", timezone_id="America/New_York")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, user)
    return context, page, user


@pytest.mark.parametrize("language", ["fr", "es"])
def test_pages_with_long_labels_fit_a_phone(browser, live_server, language):
    call_command("seed_demo", stdout=io.StringIO())
    mentee = User.objects.get(email="mentee@example.com")
    goal = Goal.objects.filter(mentee=mentee, milestones__isnull=False).order_by("pk").first()
    message = Message.objects.filter(author__email="mentor@example.com").order_by("pk").first()
    pages = {
        "mentee@example.com": [
            f"/goals/{goal.pk}/",  # "Marquer « … » comme manqué" on one line: 451 px
            f"/goals/plan/{goal.program_id}/{mentee.pk}/",  # opportunities table
            f"/conversations/messages/{message.pk}/share/",  # "Compartir este mensaje con …"
        ],
        "admin@example.com": ["/programs/pediatrics/?status=all"],  # the dyads table
    }
    problems = {}
    for email, urls in pages.items():
        context, page, _ = _in(browser, live_server, email, language)
        try:
            for url in urls:
                page.goto(f"{live_server.url}{url}")
                assert page.evaluate("document.documentElement.lang") == language
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > PHONE["width"]:
                    problems[url] = f"{width} px wide"
                if squeezed := page.evaluate(SQUEEZED):
                    problems[url + " table"] = f"words broken inside a cell: {squeezed}"
        finally:
            context.close()
    assert not problems, problems


@pytest.mark.parametrize("language", ["fr", "es"])
@pytest.mark.parametrize("email", ["mentee@example.com", "admin@example.com"])
def test_the_navigation_keeps_its_links_whole_on_a_desktop(browser, live_server, language, email):
    call_command("seed_demo", stdout=io.StringIO())
    context, page, _ = _in(browser, live_server, email, language)
    problems = {}
    try:
        for width in (992, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{live_server.url}/")
            assert page.evaluate("document.documentElement.lang") == language
            if (wide := page.evaluate("document.documentElement.scrollWidth")) > width:
                problems[f"{width} px"] = f"the page is {wide} px wide"
            if broken := page.evaluate(BROKEN_LINKS):
                problems[f"{width} px links"] = broken
    finally:
        context.close()
    assert not problems, problems
