from api import crypto
from api.models import WebhookEndpoint
from api.services import create_token
from tests.access import Case, roles


def _token_of_a(world) -> list:
    token, _secret = create_token(
        programs=[world.program], by=world.admin, name="Dashboard", expires_at=None
    )
    return [token.pk]


def _endpoint_of_a(world) -> list:
    endpoint = WebhookEndpoint.objects.create(
        program=world.program,
        url="https://hooks.example.org/mentoring",
        events=["dyad.ended"],
        secret_encrypted=crypto.encrypt("whsec_dGVzdA=="),
        created_by=world.admin,
    )
    return [endpoint.pk]


_slug = lambda w: [w.program.slug]  # noqa: E731

CASES = [
    Case("integrations:tokens", _slug, ok=roles("admin")),
    Case(
        "integrations:tokens",
        _slug,
        ok=roles("admin"),
        method="post",
        data=lambda w: {"name": "Dashboard", "expires": "90"},
        label="create",
    ),
    # Every token, for superusers only (none in the world's roles).
    Case("integrations:all_tokens", ok=roles()),
    Case("integrations:revoke_token", _token_of_a, ok=roles("admin")),
    Case("integrations:revoke_token", _token_of_a, ok=roles("admin"), method="post", label="post"),
    Case("integrations:webhooks", _slug, ok=roles("admin")),
    Case("integrations:webhook", _endpoint_of_a, ok=roles("admin")),
    # The test event itself is sent after the commit (never, in these tests): nothing leaves.
    Case("integrations:webhook_test", _endpoint_of_a, ok=roles("admin"), method="post"),
    Case("integrations:webhook_enable", _endpoint_of_a, ok=roles("admin"), method="post"),
    Case("integrations:webhook_delete", _endpoint_of_a, ok=roles("admin")),
    Case(
        "integrations:webhook_delete",
        _endpoint_of_a,
        ok=roles("admin"),
        method="post",
        label="post",
    ),
]
