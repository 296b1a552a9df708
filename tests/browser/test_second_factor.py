"""Two-factor authentication in the browser, as production runs it (MFA_REQUIRED_FOR_ADMINS on):
an admin is sent to set up a second factor, sets up an authenticator app (the code computed from
the secret the page shows) or a security key (Chromium's virtual authenticator over the DevTools
protocol), and signs in with it, or with a recovery code."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import expect

from mentoring.models import SecurityEvent, User
from programs import demo
from tests.browser.conftest import sign_in_with_form
from tests.mentoring.test_second_factor import totp_code

pytestmark = pytest.mark.django_db(transaction=True)

ADMIN = "admin@example.com"


@pytest.fixture
def required(settings):
    settings.MFA_REQUIRED_FOR_ADMINS = True
    demo.seed()


def confirm_password(page) -> None:
    """Setting up a factor asks for the password once more."""
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.fill("input[name=password]", demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Confirm").click()


def sign_out(page, live_server) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/|/$"))


def test_admin_sets_up_an_authenticator_app_and_signs_in_with_its_code(page, live_server, required):
    sign_in_with_form(page, live_server, ADMIN, demo.DEMO_PASSWORD)
    # Sent to the set-up page, and kept there.
    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/")
    expect(page.get_by_text("needs a second factor")).to_be_visible()
    page.goto(f"{live_server.url}/programs/pediatrics/")
    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/")

    page.get_by_role("link", name="Activate").click()
    confirm_password(page)
    secret = page.input_value("#authenticator_secret")
    page.fill("input[name=code]", totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    # allauth shows the recovery codes made with it.
    expect(page.locator("#recovery_codes")).to_be_visible()
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()

    sign_out(page, live_server)
    sign_in_with_form(page, live_server, ADMIN, demo.DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.fill("input[name=code]", "000000")
    page.get_by_role("button", name="Sign In").click()
    expect(
        page.get_by_role("link", name="Code: Incorrect code.")
    ).to_be_visible()  # in the error summary
    page.fill("input[name=code]", totp_code(secret))
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    kinds = set(SecurityEvent.objects.values_list("kind", flat=True))
    assert {"mfa_added", "mfa_failed", "signed_in"} <= kinds


def test_admin_signs_in_with_a_recovery_code_once(page, live_server, required):
    admin = User.objects.get(email=ADMIN)
    TOTP.activate(admin, generate_totp_secret())
    code = RecoveryCodes.activate(admin).generate_codes()[0]

    sign_in_with_form(page, live_server, ADMIN, demo.DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.fill("input[name=code]", code)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()

    sign_out(page, live_server)
    sign_in_with_form(page, live_server, ADMIN, demo.DEMO_PASSWORD)
    page.fill("input[name=code]", code)
    page.get_by_role("button", name="Sign In").click()
    expect(
        page.get_by_role("link", name="Code: Incorrect code.")
    ).to_be_visible()  # a recovery code works once, not twice


def _virtual_authenticator(page) -> None:
    """Chromium's virtual security key: it answers WebAuthn as if touched."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def test_admin_adds_a_security_key_and_signs_in_with_it(page, live_server, required):
    _virtual_authenticator(page)
    sign_in_with_form(page, live_server, ADMIN, demo.DEMO_PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/")
    page.get_by_role("link", name="Add").click()
    confirm_password(page)
    page.fill("input[name=name]", "Virtual key")
    page.get_by_role("button", name="Add").click()
    expect(page.locator("#recovery_codes")).to_be_visible()
    assert Authenticator.objects.filter(user__email=ADMIN, type="webauthn").exists()
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()

    sign_out(page, live_server)
    sign_in_with_form(page, live_server, ADMIN, demo.DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.get_by_role("button", name="Use a security key").click()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
