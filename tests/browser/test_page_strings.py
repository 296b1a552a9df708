"""The texts the page's script writes (static/js/app.js) are in the person's language: they come
from the catalogs through base.html's `#page-strings`, not from English in the script."""

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext, trans_real
from playwright.sync_api import expect

from mentoring.templatetags.languages import _page_strings
from tests.browser.conftest import sign_in
from tests.builders import make_admin, make_dyad, make_program, make_user

pytestmark = pytest.mark.django_db(transaction=True)

CHARS = "%(count)s of %(limit)s characters"
TOO_MANY = "%(count)s of %(limit)s characters: %(over)s too many, shorten it before saving."
# Until the lead translates a new msgid, the French catalog lacks it and gettext gives the English
# back, which the script's English would match too; these stand in for the missing translations,
# so the test shows that the page's text comes from the catalog whatever the catalog holds today.
STAND_INS = {
    CHARS: "%(count)s sur %(limit)s caractères",
    (TOO_MANY, 0): "%(count)s sur %(limit)s caractères : %(over)s de trop, raccourcissez avant "
    "d'enregistrer.",
    (TOO_MANY, 1): "%(count)s sur %(limit)s caractères : %(over)s de trop, raccourcissez avant "
    "d'enregistrer.",
}


@pytest.fixture
def french(monkeypatch):
    catalog = trans_real.translation("fr")._catalog
    for key, text in STAND_INS.items():
        if key not in catalog:
            monkeypatch.setitem(catalog._catalogs[0], key, text)
    _page_strings.cache_clear()
    yield
    _page_strings.cache_clear()


def test_the_character_counter_speaks_french_to_a_french_person(browser, live_server, french):
    program = make_program("Pediatrics", slug="peds")
    admin = make_admin(program, email="admin@peds.example")
    mentor = make_user("mentor@peds.example", name="Maria Mentor")
    mentee = make_user("mentee@peds.example", name="Sam Mentee", language="fr")
    dyad = make_dyad(program, mentor=mentor, mentee=mentee, by=admin)
    with translation.override("fr"):
        typed = gettext(CHARS) % {"count": 5, "limit": 4000}
        one_over = ngettext(TOO_MANY, TOO_MANY, 1) % {"count": 4001, "limit": 4000, "over": 1}
        two_over = ngettext(TOO_MANY, TOO_MANY, 2) % {"count": 4002, "limit": 4000, "over": 2}
    assert typed != "5 of 4000 characters"  # French, not the script's English

    context = browser.new_context(locale="en-US", timezone_id="America/New_York")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, mentee)
    page.goto(f"{live_server.url}/conversations/{dyad.pk}/")
    field = page.locator("textarea[name=body]")
    counter = page.locator("#body-count, #id_body-count")
    field.fill("Salut")
    expect(counter).to_have_text(typed)
    field.fill("a" * 4001)
    expect(counter).to_have_text(one_over)
    field.fill("a" * 4002)
    expect(counter).to_have_text(two_over)
    context.close()
