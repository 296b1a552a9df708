"""Institutional sign-in through a real OpenID Connect provider on loopback: joining stays by
invitation (programs.sso)."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from mentoring.models import SecurityEvent, User
from programs.invitations import invite_member
from programs.models import Invitation, Membership
from tests.builders import PASSWORD, make_user
from tests.sso.idp import login_url, sign_in_through_idp, signed_in_user


def test_invited_newcomer_signs_in_with_sso_and_joins_the_program(client, world, oidc_app):
    invite_member(
        program=world.program, by=world.admin, email="New.Mentee@A.example", role="mentee"
    )

    response = sign_in_through_idp(client, oidc_app, "new.mentee@a.example")

    assert response.status_code == 302, response.content[:500]
    user = User.objects.get(email__iexact="new.mentee@a.example")
    assert signed_in_user(client) == user
    assert user.name == "SSO new.mentee"
    assert not user.has_usable_password()
    assert Membership.objects.filter(program=world.program, user=user, role="mentee").exists()
    invitation = Invitation.objects.get(email="new.mentee@a.example")
    assert invitation.accepted_by == user
    assert SocialAccount.objects.get(user=user).provider == "idp"
    linked = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SSO_LINKED)
    assert (linked.user, linked.detail) == (user, "idp")


def test_existing_account_signs_in_with_sso_and_stays_the_same_account(client, world, oidc_app):
    accounts_before = User.objects.count()

    response = sign_in_through_idp(client, oidc_app, world.mentee.email)

    assert response.status_code == 302, response.content[:500]
    assert signed_in_user(client) == world.mentee
    assert User.objects.count() == accounts_before
    assert SocialAccount.objects.get(provider="idp").user == world.mentee
    linked = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SSO_LINKED)
    assert list(linked.values_list("user", "detail")) == [(world.mentee.pk, "idp")]
    # The second time, the link made the first time signs in (and links nothing new).
    client.logout()
    assert sign_in_through_idp(client, oidc_app, world.mentee.email).status_code == 302
    assert signed_in_user(client) == world.mentee
    assert linked.count() == 1
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SIGNED_IN).count() == 2


def test_uninvited_address_gets_a_clear_refusal_and_no_account(client, world, oidc_app):
    accounts_before = User.objects.count()

    response = sign_in_through_idp(client, oidc_app, "stranger@university.example")

    assert response.status_code == 403
    assert b"you have not been invited to a mentoring program yet" in response.content
    assert b"stranger@university.example" in response.content
    assert User.objects.count() == accounts_before
    assert not SocialAccount.objects.exists()
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SSO_LINKED).exists()
    assert signed_in_user(client) is None


def test_expired_invitation_does_not_let_an_sso_user_in(client, world, oidc_app, settings):
    settings.INVITATION_VALID_DAYS = 0
    invite_member(program=world.program, by=world.admin, email="late@a.example", role="mentee")

    response = sign_in_through_idp(client, oidc_app, "late@a.example")

    assert response.status_code == 403
    assert not User.objects.filter(email="late@a.example").exists()


def test_login_page_offers_the_institution_next_to_the_password_form(client, db, oidc_app):
    page = client.get(reverse("account_login")).content.decode()
    assert "Sign in with Test University" in page
    assert login_url() in page
    assert 'name="login"' in page
    assert 'name="password"' in page


def test_login_page_without_an_identity_provider_has_no_sso_button(client, db):
    page = client.get(reverse("account_login")).content.decode()
    assert "/accounts/oidc/" not in page
    assert "/accounts/saml/" not in page
    assert 'name="login"' in page


@pytest.fixture
def sso_only(settings, oidc_app):
    settings.SSO_ONLY = True
    return oidc_app


def test_sso_only_login_page_shows_only_the_institution(client, db, sso_only):
    page = client.get(reverse("account_login")).content.decode()
    assert "Sign in with Test University" in page
    assert 'name="password"' not in page


def test_sso_only_refuses_a_member_s_password(client, world, sso_only):
    response = client.post(
        reverse("account_login"), {"login": world.mentee.email, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert b"Sign in with your institution" in response.content
    assert signed_in_user(client) is None


def test_sso_only_still_lets_a_superuser_sign_in_with_a_password(client, db, sso_only):
    root = make_user("root@example.org", is_superuser=True, is_staff=True)
    response = client.post(reverse("account_login"), {"login": root.email, "password": PASSWORD})
    assert response.status_code == 302
    assert signed_in_user(client) == root


def test_sso_only_members_still_sign_in_through_the_institution(client, world, sso_only):
    assert sign_in_through_idp(client, sso_only, world.mentor.email).status_code == 302
    assert signed_in_user(client) == world.mentor


def test_address_the_provider_does_not_vouch_for_links_to_no_account(client, world, oidc_app):
    # The provider says email_verified: false. Trusting the address anyway would hand this account
    # to whoever registered it at the provider.
    owner = make_user("unverified.owner@a.example")
    invite_member(
        program=world.program, by=world.admin, email="unverified.owner@a.example", role="mentor"
    )

    response = sign_in_through_idp(client, oidc_app, "unverified.owner@a.example")

    assert response.status_code == 403
    assert not SocialAccount.objects.exists()
    assert signed_in_user(client) is None
    assert not Membership.objects.filter(user=owner, role="mentor").exists()
    failed = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SIGN_IN_FAILED)
    assert failed.identifier == "unverified.owner@a.example"
    assert (
        failed.detail == "SSO through idp (Test University): address not verified by the provider"
    )
