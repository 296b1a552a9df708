from api.services import create_token
from tests.access import Case, roles


def _token_of_a(world) -> list:
    token, _secret = create_token(
        programs=[world.program], by=world.admin, name="Dashboard", expires_at=None
    )
    return [token.pk]


CASES = [
    Case("api_tokens:program", lambda w: [w.program.slug], ok=roles("admin")),
    Case(
        "api_tokens:program",
        lambda w: [w.program.slug],
        ok=roles("admin"),
        method="post",
        data=lambda w: {"name": "Dashboard", "expires": "90"},
        label="create",
    ),
    # Every token, for superusers only (none in the world's roles).
    Case("api_tokens:all", ok=roles()),
    Case("api_tokens:revoke", _token_of_a, ok=roles("admin")),
    Case("api_tokens:revoke", _token_of_a, ok=roles("admin"), method="post", label="post"),
]
