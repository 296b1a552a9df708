"""Where a person is signed in (allauth.usersessions): the list, signing the others out, and the
events that end every other session (a new password, a second factor taken off)."""

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.urls import reverse

from tests.builders import PASSWORD

SESSIONS = "/accounts/sessions/"


def signed_in(user, browser: str) -> Client:
    client = Client(HTTP_USER_AGENT=browser)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def is_signed_in(client: Client) -> bool:
    return client.get(reverse("home")).status_code == 200


def test_person_sees_where_they_are_signed_in_and_signs_out_the_others(world):
    laptop = signed_in(world.mentee, "Laptop Firefox")
    phone = signed_in(world.mentee, "Phone Safari")
    page = laptop.get(SESSIONS)
    assert page.status_code == 200
    assert "Laptop Firefox" in page.text and "Phone Safari" in page.text
    assert "127.0.0.1" in page.text
    assert laptop.post(SESSIONS).status_code == 302
    assert not is_signed_in(phone)
    assert is_signed_in(laptop)
    assert "Phone Safari" not in laptop.get(SESSIONS).text


def test_sessions_page_shows_only_ones_own_sessions(world):
    signed_in(world.mentor, "Mentor's browser")
    page = signed_in(world.mentee, "Mentee's browser").get(SESSIONS)
    assert "Mentor&#x27;s browser" not in page.text and "Mentor's browser" not in page.text


def test_changing_the_password_signs_out_every_other_session(world):
    laptop = signed_in(world.mentee, "Laptop")
    phone = signed_in(world.mentee, "Phone")
    new = "another-long-password-77"
    response = laptop.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )
    assert response.status_code == 302
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)


def test_turning_the_second_factor_off_signs_out_every_other_session(world):
    laptop = signed_in(world.mentee, "Laptop")
    phone = signed_in(world.mentee, "Phone")
    TOTP.activate(world.mentee, generate_totp_secret())
    laptop.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = laptop.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=world.mentee, type="totp").exists()
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)


def test_profile_links_to_sessions_and_second_factor(client, world):
    client.force_login(world.mentee)
    page = client.get(reverse("profile")).text
    assert f'href="{SESSIONS}"' in page
    assert f'href="{reverse("mfa_index")}"' in page
