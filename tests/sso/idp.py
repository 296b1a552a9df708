"""Real identity providers on 127.0.0.1, and the app configured to sign in through them as the
environment would configure it: an OpenID Connect provider (the npm package oidc-provider,
tests/sso/oidc_idp.mjs) and a SAML IdP shaped like a university's Shibboleth (samlify,
tests/sso/saml_idp.mjs). Both are installed from tests/sso/package-lock.json."""

import datetime
import fcntl
import os
import re
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings as django_settings

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
    reason = "Node.js and npm are needed for the identity providers (apt-get install nodejs npm)"
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def _install_once() -> None:
    # Test workers start together: one installs, the others wait for it.
    lock_path = Path(tempfile.gettempdir()) / "mentoring-tests-sso-npm.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        modules = SSO_DIR / "node_modules"
        if not all((modules / name).is_dir() for name in ("oidc-provider", "samlify")):
            subprocess.run(
                ["npm", "ci", "--prefix", str(SSO_DIR), "--no-audit", "--no-fund"],
                check=True,
                capture_output=True,
            )


def signed_in_user(client):
    """Who the test client's session is signed in as (None: nobody)."""
    from mentoring.models import User

    user_id = client.session.get("_auth_user_id")
    return User.objects.filter(pk=user_id).first() if user_id else None


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


def login_url(provider_id: str = PROVIDER_ID) -> str:
    return f"/accounts/oidc/{provider_id}/login/"


def sign_in_through_idp(client, idp: Idp, email: str, provider_id: str = PROVIDER_ID):
    """The whole authorization-code flow: the Django test client is the app's side, a `requests`
    session is the person's browser at the identity provider. Returns the app's answer to the
    callback."""
    start = client.get(login_url(provider_id))
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


# --- SAML ----------------------------------------------------------------------------------------

SAML_ORGANIZATION = "test-university"
SAML_EMAIL_DOMAINS = ["a.example", "b.example", "example.com", "university.example"]


@dataclass(frozen=True)
class SamlIdp:
    entity_id: str

    @property
    def metadata_url(self) -> str:
        return self.entity_id  # the IdP's entity id is its metadata URL, as Shibboleth's often is


def signing_key_pair(directory: Path) -> tuple[Path, Path]:
    """A throwaway RSA key and self-signed certificate for the IdP to sign its assertions with."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test University IdP")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = directory / "idp.key", directory / "idp.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file


@pytest.fixture(scope="session")
def saml_idp(tmp_path_factory):
    node = _node_or_fail()
    _install_once()
    directory = tmp_path_factory.mktemp("saml-idp")
    key_file, cert_file = signing_key_pair(directory)
    port = _free_port()
    log = directory / "idp.log"  # what the IdP says on stderr, to read when a test fails
    process = subprocess.Popen(
        [node, str(SSO_DIR / "saml_idp.mjs")],
        env={
            **os.environ,
            "PORT": str(port),
            "KEY_FILE": str(key_file),
            "CERT_FILE": str(cert_file),
        },
        stdout=subprocess.PIPE,
        stderr=log.open("w"),
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.startswith("ready "), f"the SAML IdP did not start: {log.read_text()[-2000:]}"
        yield SamlIdp(entity_id=line.split()[1])
    finally:
        process.terminate()
        process.wait(timeout=10)


def saml_app_settings(idp: SamlIdp) -> dict:
    """What SAML_METADATA_URL, SAML_ENTITY_ID and SAML_EMAIL_DOMAINS make of a SAML app's settings
    (mentoring/settings.py), and what an admin pastes into a SAML app's settings in /admin/."""
    return {
        **django_settings.SAML_APP_SETTINGS,
        "idp": {"entity_id": idp.entity_id, "metadata_url": idp.metadata_url},
        "verified_email": SAML_EMAIL_DOMAINS,
    }


@pytest.fixture
def saml_app(saml_idp, settings):
    """The app set up as SAML_NAME=... SAML_ORGANIZATION=test-university SAML_METADATA_URL=...
    SAML_ENTITY_ID=... SAML_EMAIL_DOMAINS=... would set it up."""
    settings.SOCIALACCOUNT_PROVIDERS = {
        "saml": {
            "APPS": [
                {
                    "name": "Test University (SAML)",
                    "client_id": SAML_ORGANIZATION,
                    "settings": saml_app_settings(saml_idp),
                }
            ]
        }
    }
    return saml_idp


def saml_login_url(organization: str = SAML_ORGANIZATION) -> str:
    return f"/accounts/saml/{organization}/login/"


def _form(html: str) -> tuple[str, dict[str, str]]:
    action = re.search(r'<form[^>]*action="([^"]+)"', html)
    assert action, html[:500]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    return unescape(action[1]), {name: unescape(value) for name, value in fields.items()}


def sign_in_through_saml(client, idp: SamlIdp, email: str, organization: str = SAML_ORGANIZATION):
    """SP-initiated Web SSO: the Django test client is the app's side, a `requests` session is the
    person's browser at the IdP (its sign-in page, then the form it POSTs back to the app's
    assertion consumer service). Returns the app's answer at the end."""
    # python3-saml reads the Host header (every browser sends one) and wants a dotted name or an
    # address in its URLs, which "testserver" is not.
    host = {"HTTP_HOST": "127.0.0.1"}
    start = client.get(saml_login_url(organization), **host)
    assert start.status_code == 302, start
    at_idp = requests.Session()
    sign_in_page = at_idp.get(start["Location"], timeout=10)
    assert sign_in_page.status_code == 200, sign_in_page.text[:500]
    action, fields = _form(sign_in_page.text)
    answer = at_idp.post(
        urljoin(sign_in_page.url, action),
        data={**fields, "login": email, "password": "anything"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text[:500]
    acs, response_fields = _form(answer.text)
    assert acs.startswith("http://127.0.0.1/"), acs
    response = client.post(acs.removeprefix("http://127.0.0.1"), response_fields, **host)
    assert response.status_code == 302, response  # allauth: on to its finish-acs view
    return client.get(response["Location"], **host)
