"""Institutional sign-in in the browser: the SSO button on the login page, the identity provider's
own sign-in page (a real OpenID Connect provider on loopback), and home."""

import pytest
from playwright.sync_api import expect

from programs import demo

pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_mentee_signs_in_with_the_institution_button_and_lands_home(
    page, live_server, oidc_app
):
    demo.seed()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Sign in with Test University").click()

    page.wait_for_url(f"{oidc_app.issuer}/interaction/**")
    page.fill("input[name=login]", "mentee@example.com")
    page.fill("input[name=password]", "the provider's own password")
    page.click("button[type=submit]")

    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    expect(page.get_by_text("My mentors").first).to_be_visible()


def test_uninvited_person_is_told_to_ask_their_program_admin(page, live_server, oidc_app):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Sign in with Test University").click()
    page.wait_for_url(f"{oidc_app.issuer}/interaction/**")
    page.fill("input[name=login]", "stranger@university.example")
    page.fill("input[name=password]", "the provider's own password")
    page.click("button[type=submit]")

    expect(page.get_by_role("heading", name="Not invited yet")).to_be_visible()
    expect(page.get_by_text("ask your program admin")).to_be_visible()
