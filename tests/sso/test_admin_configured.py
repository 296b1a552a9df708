"""An identity provider configured in /admin/ (a "Social application"), not in the environment:
a superuser adds it through the admin's own pages, the login page offers it at once, and people
sign in through it."""

import json

import pytest
from allauth.socialaccount.models import SocialApp
from django.urls import reverse

from mentoring.models import SecurityEvent, User
from programs.invitations import invite_member
from tests.builders import make_user
from tests.sso.idp import (
    saml_app_settings,
    sign_in_through_idp,
    sign_in_through_saml,
    signed_in_user,
)


@pytest.fixture
def superuser_client(client, db):
    client.force_login(make_user("root@example.org", is_superuser=True, is_staff=True))
    return client


def _add_in_admin(client, **fields) -> SocialApp:
    add = reverse("admin:socialaccount_socialapp_add")
    assert client.get(add).status_code == 200
    response = client.post(add, {"key": "", "secret": "", "provider_id": "", **fields})
    assert response.status_code == 302, response.context["adminform"].form.errors
    return SocialApp.objects.get(name=fields["name"])


def test_saml_idp_added_in_the_admin_signs_people_in(client, superuser_client, world, saml_idp):
    # The settings an admin pastes (docs/sso.md, "SAML (Shibboleth)"): the IdP's metadata URL and
    # entity id, the attributes, the domains it vouches for.
    _add_in_admin(
        superuser_client,
        provider="saml",
        name="Admin-made University",
        client_id="admin-made",
        settings=json.dumps(saml_app_settings(saml_idp)),
    )
    client.logout()

    page = client.get(reverse("account_login")).content.decode()
    assert "Sign in with Admin-made University" in page
    assert "/accounts/saml/admin-made/login/" in page

    invite_member(
        program=world.program, by=world.admin, email="joiner@university.example", role="mentee"
    )
    response = sign_in_through_saml(client, saml_idp, "joiner@university.example", "admin-made")
    assert response.status_code == 302, response.content[:800]
    joiner = User.objects.get(email="joiner@university.example")
    assert signed_in_user(client) == joiner
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SSO_LINKED, user=joiner).exists()

    client.logout()
    refused = sign_in_through_saml(client, saml_idp, "stranger@university.example", "admin-made")
    assert refused.status_code == 403
    assert b"you have not been invited to a mentoring program yet" in refused.content


def test_openid_connect_provider_added_in_the_admin_signs_people_in(
    client, superuser_client, world, oidc_idp
):
    _add_in_admin(
        superuser_client,
        provider="openid_connect",
        provider_id="admin-oidc",
        name="Admin-made Entra",
        client_id=oidc_idp.client_id,
        secret=oidc_idp.secret,
        settings=json.dumps({"server_url": oidc_idp.issuer}),
    )
    client.logout()

    page = client.get(reverse("account_login")).content.decode()
    assert "Sign in with Admin-made Entra" in page
    assert "/accounts/oidc/admin-oidc/login/" in page

    response = sign_in_through_idp(client, oidc_idp, world.mentor.email, "admin-oidc")
    assert response.status_code == 302, response.content[:800]
    assert signed_in_user(client) == world.mentor


def test_only_a_superuser_reaches_the_identity_provider_settings(client, world):
    # A program admin is not staff: the admin site's pages are not theirs.
    client.force_login(world.admin)
    response = client.get(reverse("admin:socialaccount_socialapp_add"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
