"""Institutional sign-in through a real SAML IdP on loopback (samlify, shaped like Shibboleth):
the same joining rules as OpenID Connect (programs.sso)."""

import socket

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from mentoring.models import SecurityEvent, User
from programs.invitations import invite_member
from programs.models import Invitation, Membership
from tests.sso.idp import (
    SAML_ORGANIZATION,
    SamlIdp,
    saml_app_settings,
    saml_login_url,
    sign_in_through_saml,
    signed_in_user,
    signing_key_pair,
)


def test_invited_newcomer_signs_in_with_saml_and_joins_the_program(client, world, saml_app):
    invite_member(
        program=world.program, by=world.admin, email="new.mentor@university.example", role="mentor"
    )

    response = sign_in_through_saml(client, saml_app, "New.Mentor@university.example")

    assert response.status_code == 302, response.content[:800]
    user = User.objects.get(email__iexact="new.mentor@university.example")
    assert signed_in_user(client) == user
    assert user.name == "SAML New.Mentor"  # displayName
    assert not user.has_usable_password()
    assert Membership.objects.filter(program=world.program, user=user, role="mentor").exists()
    assert Invitation.objects.get(email="new.mentor@university.example").accepted_by == user
    account = SocialAccount.objects.get(user=user)
    # Keyed by eduPersonPrincipalName, not by Shibboleth's transient NameID (new each time).
    assert (account.provider, account.uid) == ("saml", "New.Mentor@idp.university.example")
    linked = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SSO_LINKED)
    assert (linked.user, linked.detail) == (user, "saml")


def test_existing_account_signs_in_with_saml_and_stays_the_same_account(client, world, saml_app):
    accounts_before = User.objects.count()

    response = sign_in_through_saml(client, saml_app, world.mentee.email)

    assert response.status_code == 302, response.content[:800]
    assert signed_in_user(client) == world.mentee
    assert User.objects.count() == accounts_before
    client.logout()
    assert sign_in_through_saml(client, saml_app, world.mentee.email).status_code == 302
    assert signed_in_user(client) == world.mentee
    # One link, made the first time; the second sign-in found it by the same principal name.
    assert SocialAccount.objects.get(provider="saml").user == world.mentee
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SSO_LINKED).count() == 1


def test_uninvited_address_gets_a_clear_refusal_and_no_account(client, world, saml_app):
    accounts_before = User.objects.count()

    response = sign_in_through_saml(client, saml_app, "stranger@university.example")

    assert response.status_code == 403
    assert b"you have not been invited to a mentoring program yet" in response.content
    assert b"stranger@university.example" in response.content
    assert User.objects.count() == accounts_before
    assert not SocialAccount.objects.exists()
    assert signed_in_user(client) is None
    failed = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SIGN_IN_FAILED)
    assert (failed.user, failed.identifier) == (None, "stranger@university.example")
    assert failed.detail == "SSO through saml (Test University (SAML)): no pending invitation"
    assert failed.ip_address == "127.0.0.1"


def test_address_outside_the_domains_the_idp_answers_for_joins_nothing(client, world, saml_app):
    # A university IdP may assert any address a person typed into their profile: only its own
    # domains (SAML_EMAIL_DOMAINS) are taken as verified, or this invitation could be taken.
    invite_member(
        program=world.program, by=world.admin, email="someone@gmail.example", role="mentee"
    )

    response = sign_in_through_saml(client, saml_app, "someone@gmail.example")

    assert response.status_code == 403
    assert not User.objects.filter(email="someone@gmail.example").exists()
    assert not SocialAccount.objects.exists()


def test_assertion_signed_by_another_key_is_refused(client, world, saml_app, settings, tmp_path):
    # The app trusts only the certificate it was given for the IdP: the IdP's real answer, signed
    # with a key that certificate does not name, signs nobody in.
    _key, other_certificate = signing_key_pair(tmp_path)
    app = settings.SOCIALACCOUNT_PROVIDERS["saml"]["APPS"][0]
    app["settings"]["idp"] = {
        "entity_id": saml_app.entity_id,
        "sso_url": saml_app.entity_id.replace("/metadata", "/sso"),
        "x509cert": other_certificate.read_text(),
    }

    response = sign_in_through_saml(client, saml_app, world.mentee.email)

    assert response.status_code == 401
    assert "Third-Party Login Failure" in response.content.decode(), response.content.decode()
    assert signed_in_user(client) is None
    assert not SocialAccount.objects.exists()
    failed = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SIGN_IN_FAILED)
    assert failed.detail == "SSO through saml (Test University (SAML)): invalid_response"


def test_login_page_offers_the_saml_institution(client, db, saml_app):
    page = client.get(reverse("account_login")).content.decode()
    assert "Sign in with Test University (SAML)" in page
    assert saml_login_url() in page


def test_the_app_publishes_its_service_provider_metadata_for_the_idp(client, db, saml_app):
    response = client.get(f"/accounts/saml/{SAML_ORGANIZATION}/metadata/", HTTP_HOST="127.0.0.1")
    assert response.status_code == 200
    assert b"AssertionConsumerService" in response.content
    assert f"/accounts/saml/{SAML_ORGANIZATION}/acs/".encode() in response.content


def _closed_loopback_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: bound, then released without listening."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def unreachable_saml_app(settings):
    """The SAML app set up with an IdP metadata URL on a closed port of 127.0.0.1."""
    port = _closed_loopback_port()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0  # really unreachable
    unreachable = f"http://127.0.0.1:{port}/idp/shibboleth"
    settings.SOCIALACCOUNT_PROVIDERS = {
        "saml": {
            "APPS": [
                {
                    "name": "Test University (SAML)",
                    "client_id": SAML_ORGANIZATION,
                    "settings": saml_app_settings(SamlIdp(entity_id=unreachable)),
                }
            ]
        }
    }


def test_metadata_is_served_while_the_idp_is_unreachable(client, db, unreachable_saml_app):
    response = client.get(f"/accounts/saml/{SAML_ORGANIZATION}/metadata/", HTTP_HOST="127.0.0.1")

    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/xml")
    assert f"/accounts/saml/{SAML_ORGANIZATION}/acs/".encode() in response.content
    assert b"IDPSSODescriptor" not in response.content  # ours alone, nothing of the IdP's


def test_signing_in_while_the_idp_is_unreachable_says_so(client, db, unreachable_saml_app):
    response = client.get(saml_login_url(), HTTP_HOST="127.0.0.1")

    assert response.status_code == 503
    page = response.content.decode()
    assert "cannot reach Test University (SAML)" in page
    assert reverse("account_login") in page  # the way back: e-mail and password
    assert signed_in_user(client) is None
