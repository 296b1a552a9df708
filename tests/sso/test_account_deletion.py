"""'Delete my account' for someone who signed up through their institution and has no password
here: the institution confirms it is them (a fresh SSO sign-in), and afterwards neither the account
nor the institution's link to it remains to sign in with."""

from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from mentoring.models import SecurityEvent, User
from programs.invitations import invite_member
from tests.builders import PASSWORD
from tests.sso.idp import login_url, sign_in_through_idp


def _sso_newcomer(client, world, oidc_app) -> User:
    invite_member(program=world.program, by=world.admin, email="sso.only@a.example", role="mentee")
    assert sign_in_through_idp(client, oidc_app, "sso.only@a.example").status_code == 302
    user = User.objects.get(email="sso.only@a.example")
    assert not user.has_usable_password()
    return user


def test_person_without_password_confirms_deletion_by_signing_in_through_the_institution(
    client, world, oidc_app, settings
):
    user = _sso_newcomer(client, world, oidc_app)

    # Their sign-in is no longer fresh: the page asks them to sign in again, not for a password.
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0
    page = client.get(reverse("my_data")).content.decode()
    assert 'name="password"' not in page
    assert "sign in again with Test University" in page
    assert f'href="{login_url()}?next=' in page
    refused = client.post(reverse("delete_account"), {"confirm": "on"})
    assert refused.status_code == 400
    assert "Sign in again with your institution first" in refused.content.decode()
    user.refresh_from_db()
    assert user.is_active and user.email == "sso.only@a.example"

    # Signed in again through the institution, just now: the deletion goes through.
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
    assert sign_in_through_idp(client, oidc_app, "sso.only@a.example").status_code == 302
    assert "sign in again with" not in client.get(reverse("my_data")).content.decode()
    deleted = client.post(reverse("delete_account"), {"confirm": "on"})
    assert deleted.status_code == 302

    user.refresh_from_db()
    assert (user.name, user.is_active) == ("Former member", False)
    assert not SocialAccount.objects.filter(user=user).exists()
    assert SecurityEvent.objects.filter(kind="account_deleted", user_id=user.pk).count() == 1

    # The institution still vouches for the address, but there is no account to sign in to, and
    # the invitation was used: a clear refusal, no new account.
    again = sign_in_through_idp(client, oidc_app, "sso.only@a.example")
    assert again.status_code == 403
    assert not User.objects.filter(email="sso.only@a.example").exists()


def test_deleting_an_account_with_a_password_unlinks_its_institution_too(client, world, oidc_app):
    assert sign_in_through_idp(client, oidc_app, world.mentee.email).status_code == 302
    assert SocialAccount.objects.filter(user=world.mentee).exists()

    page = client.get(reverse("my_data")).content.decode()
    assert 'name="password"' in page
    response = client.post(reverse("delete_account"), {"password": PASSWORD, "confirm": "on"})

    assert response.status_code == 302, response.content.decode()[:500]
    assert not SocialAccount.objects.filter(user=world.mentee).exists()
    client.logout()
    assert sign_in_through_idp(client, oidc_app, world.mentee.email).status_code == 403


def test_under_sso_only_a_member_confirms_through_the_institution_not_a_password(
    client, world, oidc_app, settings
):
    # Their old password signs in no more (SSO_ONLY): it does not confirm a deletion either.
    settings.SSO_ONLY = True
    assert sign_in_through_idp(client, oidc_app, world.mentee.email).status_code == 302

    page = client.get(reverse("my_data")).content.decode()
    assert 'name="password"' not in page
    response = client.post(reverse("delete_account"), {"password": PASSWORD, "confirm": "on"})

    assert response.status_code == 302  # the sign-in through the institution just now confirms
    world.mentee.refresh_from_db()
    assert (world.mentee.name, world.mentee.is_active) == ("Former member", False)
