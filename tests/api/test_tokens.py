"""Tokens: sessions never authenticate the API; a revoked or expired token is refused at once;
creating, first use and revoking are security events; admins manage them on the program's pages."""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken, hash_token
from api.services import create_token
from mentoring.models import SecurityEvent
from tests.api.conftest import Api

ROOT = "/api/v1/dyads/"


def _secret(page: str) -> str:
    return page.split('id="token-secret"')[1].split('value="')[1].split('"')[0]


def test_no_token_is_401_with_a_json_message(client, world):
    response = client.get(ROOT)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["error"]["message"]


def test_a_session_does_not_authenticate_the_api(client, world):
    client.force_login(world.admin)
    assert client.get(ROOT).status_code == 401
    assert client.get("/api/v1/").status_code == 401


def test_a_token_reads_and_a_revoked_one_is_refused_on_the_next_request(
    client, world, token_a, api
):
    assert api.get(ROOT).status_code == 200
    client.force_login(world.admin)
    url = reverse("integrations:revoke_token", args=[token_a.pk])
    assert "cannot be undone" in client.get(url).content.decode()  # asks first
    assert client.post(url).status_code == 302
    client.logout()
    response = api.get(ROOT)
    assert response.status_code == 401
    assert "revoked" in response.json()["error"]["message"]


def test_an_expired_token_is_refused(client, world, token_a, api):
    ApiToken.objects.filter(pk=token_a.pk).update(expires_at=timezone.now() + timedelta(hours=1))
    assert api.get(ROOT).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=2), tick=False):
        response = api.get(ROOT)
    assert response.status_code == 401
    assert "expired" in response.json()["error"]["message"]


def test_a_wrong_token_and_a_wrong_scheme_are_401(client, world, token_a):
    assert Api(client, "mtk_not-a-token").get(ROOT).status_code == 401
    response = client.get(ROOT, HTTP_AUTHORIZATION=f"Token {token_a.secret}")
    assert response.status_code == 401
    assert "Bearer" in response.json()["error"]["message"]


def test_only_the_hash_is_kept(world, token_a):
    stored = ApiToken.objects.get(pk=token_a.pk)
    assert stored.token_hash == hash_token(token_a.secret)
    assert token_a.secret not in str(ApiToken.objects.filter(pk=token_a.pk).values().get())


def test_creating_first_use_and_revoking_are_security_events(client, world, token_a, api):
    kinds = lambda: list(  # noqa: E731
        SecurityEvent.objects.filter(program=world.program, kind__startswith="api_token")
        .order_by("id")
        .values_list("kind", flat=True)
    )
    assert kinds() == ["api_token_created"]
    api.get(ROOT)
    api.get(ROOT)
    assert kinds() == ["api_token_created", "api_token_first_used"]
    assert ApiToken.objects.get(pk=token_a.pk).last_used_at is not None
    client.force_login(world.admin)
    client.post(reverse("integrations:revoke_token", args=[token_a.pk]))
    assert kinds() == ["api_token_created", "api_token_first_used", "api_token_revoked"]
    # The program's security page shows them to its admins.
    page = client.get(reverse("programs:security", args=[world.program.slug])).content.decode()
    assert "API token revoked" in page


def test_admin_creates_a_token_that_is_shown_once(client, world):
    client.force_login(world.admin)
    url = reverse("integrations:tokens", args=[world.program.slug])
    response = client.post(url, {"name": "Faculty affairs", "expires": "30"})
    assert response.status_code == 200
    page = response.content.decode()
    token = ApiToken.objects.get(name="Faculty affairs")
    secret = _secret(page)
    assert secret.startswith("mtk_") and hash_token(secret) == token.token_hash
    assert list(token.programs.all()) == [world.program]
    assert "Content-Encoding" not in response  # a page with a secret is never compressed
    listing = client.get(url).content.decode()
    assert "Faculty affairs" in listing and secret not in listing
    assert Api(client, secret).get(ROOT).status_code == 200


def test_a_token_needs_a_name(client, world):
    client.force_login(world.admin)
    url = reverse("integrations:tokens", args=[world.program.slug])
    response = client.post(url, {"name": "   ", "expires": "30"})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()
    assert "This field is required" in response.content.decode()


def test_admin_of_another_program_cannot_see_or_revoke_the_token(client, world, token_a):
    client.force_login(world.outsider_admin)
    assert client.get(reverse("integrations:tokens", args=[world.program.slug])).status_code == 404
    assert client.post(reverse("integrations:revoke_token", args=[token_a.pk])).status_code == 404
    assert ApiToken.objects.get(pk=token_a.pk).revoked_at is None


def test_a_superuser_makes_one_token_for_two_programs(client, world):
    world.outsider_admin.is_superuser = True
    world.outsider_admin.save()
    client.force_login(world.outsider_admin)
    response = client.post(
        reverse("integrations:all_tokens"),
        {"name": "BI", "expires": "never", "programs": [world.program.pk, world.program_b.pk]},
    )
    assert response.status_code == 200
    secret = _secret(response.content.decode())
    seen = Api(client, secret).get("/api/v1/programs/").json()["results"]
    assert {p["id"] for p in seen} == {world.program.pk, world.program_b.pk}


def test_an_admin_cannot_make_a_token_for_a_program_they_do_not_run(world):
    import pytest
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        create_token(
            programs=[world.program, world.program_b], by=world.admin, name="x", expires_at=None
        )
