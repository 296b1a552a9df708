"""The admins' token and webhook pages cost a fixed number of queries, whatever their rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api import crypto
from api.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from api.services import create_token

BUDGET = 12


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _endpoint(world, n_attempts: int) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.create(
        program=world.program,
        url="https://hooks.example.org/x",
        events=["dyad.ended"],
        secret_encrypted=crypto.encrypt("whsec_dGVzdA=="),
        created_by=world.admin,
    )
    for i in range(n_attempts):
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint,
            message_id=f"msg_{endpoint.pk}_{i}",
            event_type="dyad.ended",
            dedupe_key=f"k{i}",
            payload={},
        )
        WebhookAttempt.objects.create(delivery=delivery, status_code=500)
    return endpoint


def test_token_and_webhook_pages_do_not_grow_with_their_rows(client, world):
    client.force_login(world.admin)
    tokens = reverse("integrations:tokens", args=[world.program.slug])
    hooks = reverse("integrations:webhooks", args=[world.program.slug])
    create_token(programs=[world.program], by=world.admin, name="t0", expires_at=None)
    small_endpoint = _endpoint(world, 1)
    small = [
        _queries(client, tokens),
        _queries(client, hooks),
        _queries(client, reverse("integrations:webhook", args=[small_endpoint.pk])),
    ]
    for i in range(30):
        create_token(programs=[world.program], by=world.admin, name=f"t{i + 1}", expires_at=None)
    big_endpoint = _endpoint(world, 40)
    big = [
        _queries(client, tokens),
        _queries(client, hooks),
        _queries(client, reverse("integrations:webhook", args=[big_endpoint.pk])),
    ]
    assert big == small
    assert max(big) <= BUDGET, big
