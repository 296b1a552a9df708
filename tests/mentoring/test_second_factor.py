"""Two-factor authentication (allauth.mfa): required for program admins and superusers where
MFA_REQUIRED_FOR_ADMINS is on (production), not in development (the demo accounts' contract)."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse

from tests.access import EVERYONE
from tests.builders import PASSWORD, make_user
from tests.test_access import CASES

SETUP = "/accounts/2fa/"
# Every page of the app an admin may open (the permission matrix's GET cases).
ADMIN_PAGES = [case for case in CASES if case.method == "get" and "admin" in case.ok]
MENTEE_PAGES = [case for case in CASES if case.method == "get" and "mentee" in case.ok]


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now, by allauth's own TOTP implementation."""
    counters = list(yield_hotp_counters_from_time())  # the tolerance window around now
    counter = counters[len(counters) // 2]
    return format_hotp_value(hotp_value(secret, counter))


def sign_in(client, user) -> None:
    """Through the form, then the password once more: setting up a factor asks for it again."""
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})


@pytest.fixture
def required(settings):
    settings.MFA_REQUIRED_FOR_ADMINS = True


def _url(case, world) -> str:
    return reverse(case.name, args=case.args(world))


@pytest.mark.parametrize("case", ADMIN_PAGES, ids=lambda c: c.id)
def test_admin_without_second_factor_is_sent_to_set_it_up_from_every_page(
    client, world, required, case
):
    client.force_login(world.admin)
    response = client.get(_url(case, world))
    if case.public:  # /healthz and the calendar feed's token link ask nobody for a session
        assert response.status_code < 500
        return
    assert response.status_code == 302, case.id
    assert response["Location"] == SETUP


@pytest.mark.parametrize("case", MENTEE_PAGES, ids=lambda c: c.id)
def test_mentee_is_not_asked_for_a_second_factor(client, world, required, case):
    client.force_login(world.mentee)
    response = client.get(_url(case, world))
    assert response.status_code in (200, 302), case.id
    if response.status_code == 302:
        assert not response["Location"].startswith(SETUP)


def test_admin_reaches_the_set_up_pages_and_signs_out(client, world, required):
    sign_in(client, world.admin)
    page = client.get(SETUP)
    assert page.status_code == 200
    assert "needs a second factor" in page.text
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    assert client.get(reverse("mfa_add_webauthn")).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302
    assert client.get("/").status_code == 302  # signed out: to the login page
    assert client.get("/")["Location"].startswith(reverse("account_login"))


def test_superuser_without_second_factor_is_sent_to_set_it_up(client, db, required):
    superuser = make_user("root@example.org", is_superuser=True, is_staff=True)
    client.force_login(superuser)
    for url in ("/", "/admin/", reverse("profile")):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, SETUP), url


def test_admin_who_activates_an_authenticator_app_goes_on(client, world, required):
    sign_in(client, world.admin)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=world.admin, type="totp").exists()
    assert client.get("/").status_code == 200
    assert client.get(world.program.get_absolute_url()).status_code == 200


def test_admin_with_second_factor_must_give_the_code_at_sign_in(client, world, required):
    secret = generate_totp_secret()
    TOTP.activate(world.admin, secret)
    response = client.post(
        reverse("account_login"), {"login": world.admin.email, "password": PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/").status_code == 302  # not signed in yet
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200  # refused, asked again
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert client.get("/").status_code == 200


def test_in_development_the_demo_admins_sign_in_with_the_password_alone(client, world, settings):
    # The default of DEBUG=true (make run): ../shared/CONTRACTS.md, demo accounts.
    assert settings.MFA_REQUIRED_FOR_ADMINS is False
    client.post(reverse("account_login"), {"login": world.admin.email, "password": PASSWORD})
    assert client.get("/").status_code == 200


def test_production_requires_it_by_default():
    import subprocess
    import sys

    code = (
        "import os; os.environ.update(DEBUG='false', SECRET_KEY='x'*50);"
        "os.environ.pop('MFA_REQUIRED_FOR_ADMINS', None);"
        "from mentoring import settings; print(settings.MFA_REQUIRED_FOR_ADMINS)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_everyone_may_open_the_second_factor_page(client, world):
    for role in sorted(EVERYONE):
        client.force_login(getattr(world, role))
        assert client.get(SETUP).status_code == 200
