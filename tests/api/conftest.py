import pytest

from api.services import create_token


class Api:
    """A client of the read API with one token."""

    def __init__(self, client, secret: str):
        self.client, self.secret = client, secret

    def get(self, url: str, **headers):
        return self.client.get(url, HTTP_AUTHORIZATION=f"Bearer {self.secret}", **headers)


@pytest.fixture
def token_a(world):
    token, secret = create_token(
        programs=[world.program], by=world.admin, name="Dashboard A", expires_at=None
    )
    token.secret = secret
    return token


@pytest.fixture
def api(client, token_a):
    return Api(client, token_a.secret)
