"""A real OpenID Connect provider (the npm package oidc-provider, tests/sso/oidc_idp.mjs) on
127.0.0.1, and the app configured to sign in through it as the environment would configure it."""

import fcntl
import os
import re
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

SSO_DIR = Path(__file__).resolve().parent
PROVIDER_ID = "idp"
CALLBACK_PREFIX = "http://testserver"


@dataclass(frozen=True)
class Idp:
    issuer: str
    client_id: str = "mentoring"
    secret: str = "test-only-client-secret"


def _node_or_fail() -> str:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node and npm:
        return node
    reason = (
        "Node.js and npm are needed for the OpenID Connect provider (apt-get install nodejs npm)"
    )
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def _install_once() -> None:
    # Test workers start together: one installs, the others wait for it.
    lock_path = Path(tempfile.gettempdir()) / "mentoring-tests-sso-npm.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (SSO_DIR / "node_modules" / "oidc-provider").is_dir():
            subprocess.run(
                ["npm", "ci", "--prefix", str(SSO_DIR), "--no-audit", "--no-fund"],
                check=True,
                capture_output=True,
            )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_idp():
    node = _node_or_fail()
    _install_once()
    port = _free_port()
    idp = Idp(issuer=f"http://127.0.0.1:{port}")
    process = subprocess.Popen(
        [node, str(SSO_DIR / "oidc_idp.mjs")],
        env={
            **os.environ,
            "PORT": str(port),
            "CLIENT_ID": idp.client_id,
            "CLIENT_SECRET": idp.secret,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.startswith("ready"), f"the OpenID Connect provider did not start: {line!r}"
        yield idp
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def oidc_app(oidc_idp, settings):
    """The app set up as OIDC_PROVIDER_ID=idp OIDC_NAME=... OIDC_SERVER_URL=... would set it up."""
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": PROVIDER_ID,
                    "name": "Test University",
                    "client_id": oidc_idp.client_id,
                    "secret": oidc_idp.secret,
                    "settings": {"server_url": oidc_idp.issuer},
                }
            ],
        }
    }
    return oidc_idp


def login_url() -> str:
    return f"/accounts/oidc/{PROVIDER_ID}/login/"


def sign_in_through_idp(client, idp: Idp, email: str):
    """The whole authorization-code flow: the Django test client is the app's side, a `requests`
    session is the person's browser at the identity provider. Returns the app's answer to the
    callback."""
    start = client.get(login_url())
    assert start.status_code == 302, start
    at_idp = requests.Session()
    response = at_idp.get(start["Location"], allow_redirects=False, timeout=10)
    while response.is_redirect and response.headers["Location"].startswith(("/", idp.issuer)):
        location = urljoin(response.url, response.headers["Location"])
        response = at_idp.get(location, allow_redirects=False, timeout=10)
    action = re.search(r'<form[^>]*action="([^"]+)"', response.text)
    assert action, response.text[:500]
    response = at_idp.post(
        urljoin(response.url, action[1]),
        data={"prompt": "login", "login": email, "password": "anything"},
        allow_redirects=False,
        timeout=10,
    )
    location = urljoin(response.url, response.headers["Location"])
    while location.startswith(idp.issuer):
        response = at_idp.get(location, allow_redirects=False, timeout=10)
        location = urljoin(response.url, response.headers["Location"])
    assert location.startswith(CALLBACK_PREFIX), location
    return client.get(location.removeprefix(CALLBACK_PREFIX))
