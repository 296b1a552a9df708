"""The language switcher in a real browser: chosen on the sign-in page without an account, and in
the navigation by a signed-in person, whose choice is saved; the page fits a phone's width."""

from pathlib import Path

from tests.browser.conftest import sign_in
from tests.builders import make_user

SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "i18n"


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_someone_signed_out_switches_to_spanish_on_the_sign_in_page(page, live_server, db):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Language").last.select_option("es")
    page.get_by_role("button", name="Change language").last.click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    assert page.locator("#language-signin").input_value() == "es"
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    assert page.get_by_text("Este campo es requerido.").first.is_visible()  # Django's own catalog
    page.screenshot(path=str(SHOTS / "sign-in-es-1280.png"), full_page=True)


def test_a_signed_in_person_switches_in_the_navigation_at_phone_width(page, live_server, db):
    SHOTS.mkdir(parents=True, exist_ok=True)
    person = make_user("ana@example.org", name="Ana Ruiz")
    sign_in(page, live_server, person)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("networkidle")
    assert _fits(page)
    page.locator("#language-nav").select_option("fr")
    page.locator("#language-nav").press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the button, by keyboard
    page.wait_for_load_state("networkidle")
    assert page.locator("#language-nav").input_value() == "fr"
    assert _fits(page)
    page.screenshot(path=str(SHOTS / "home-fr-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=str(SHOTS / "home-fr-1280.png"))
    person.refresh_from_db()
    assert person.language == "fr"
