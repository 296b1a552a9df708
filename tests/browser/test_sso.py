"""Institutional sign-in in the browser: the SSO button on the login page, the identity provider's
own sign-in page (a real OpenID Connect provider and a real SAML IdP on loopback), and home."""

import pytest
from playwright.sync_api import expect

from mentoring.models import User
from programs import demo
from programs.invitations import invite_member
from programs.models import Program

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


def _sign_in_at_the_saml_idp(page, live_server, saml_app, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Sign in with Test University (SAML)").click()
    page.wait_for_url(saml_app.entity_id.replace("/metadata", "/sso") + "?**")
    page.get_by_label("University e-mail").fill(email)
    page.get_by_label("Password").fill("the IdP's own password")
    page.get_by_role("button", name="Sign in").click()  # its answer is POSTed back by itself


def test_invited_newcomer_signs_in_through_the_saml_idp_and_lands_home(page, live_server, saml_app):
    demo.seed()
    admin = User.objects.get(email="admin@example.com")
    invite_member(
        program=Program.objects.first(),
        by=admin,
        email="newcomer@university.example",
        role="mentee",
    )

    _sign_in_at_the_saml_idp(page, live_server, saml_app, "newcomer@university.example")

    # Signed in, in the app (home, or the profile a newcomer fills in first).
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert page.url.startswith(live_server.url)
    newcomer = User.objects.get(email="newcomer@university.example")
    assert newcomer.name == "SAML newcomer"
    assert newcomer.memberships.filter(role="mentee").exists()


def test_uninvited_person_at_the_saml_idp_is_told_to_ask_their_program_admin(
    page, live_server, saml_app
):
    _sign_in_at_the_saml_idp(page, live_server, saml_app, "stranger@university.example")

    expect(page.get_by_role("heading", name="Not invited yet")).to_be_visible()
    expect(page.get_by_text("ask your program admin")).to_be_visible()
    expect(page.get_by_text("stranger@university.example")).to_be_visible()
