"""Identity providers configured from the environment, as a deployment sets them (docs/sso.md,
"Institutional sign-in"), and the SAML stack's native parts agreeing with each other."""

import json
import os
import subprocess
import sys
from pathlib import Path

import lxml.etree
import xmlsec

ROOT = Path(__file__).resolve().parents[2]


def _providers(**environment) -> dict:
    script = (
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.SOCIALACCOUNT_PROVIDERS))"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("OIDC_", "SAML_", "DJANGO_"))
    }
    env.update(DJANGO_SETTINGS_MODULE="mentoring.settings", **environment)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_variables_there_is_no_identity_provider():
    providers = _providers()
    assert providers["openid_connect"]["APPS"] == []
    assert providers["saml"]["APPS"] == []


def test_saml_idp_from_the_environment():
    (app,) = _providers(
        SAML_NAME="Example University",
        SAML_ORGANIZATION="example-university",
        SAML_METADATA_URL="https://idp.example.edu/idp/shibboleth",
        SAML_ENTITY_ID="https://idp.example.edu/idp/shibboleth",
        SAML_EMAIL_DOMAINS="example.edu,med.example.edu",
    )["saml"]["APPS"]
    assert (app["name"], app["client_id"]) == ("Example University", "example-university")
    assert app["settings"]["idp"] == {
        "entity_id": "https://idp.example.edu/idp/shibboleth",
        "metadata_url": "https://idp.example.edu/idp/shibboleth",
    }
    assert app["settings"]["verified_email"] == ["example.edu", "med.example.edu"]
    assert app["settings"]["advanced"]["want_assertion_signed"] is True
    assert "urn:oid:1.3.6.1.4.1.5923.1.1.1.6" in app["settings"]["attribute_mapping"]["uid"]


def test_saml_needs_both_the_metadata_url_and_the_entity_id():
    providers = _providers(SAML_METADATA_URL="https://idp.example.edu/idp/shibboleth")
    assert providers["saml"]["APPS"] == []


def test_openid_connect_provider_from_the_environment():
    (app,) = _providers(
        OIDC_PROVIDER_ID="university",
        OIDC_NAME="Example University",
        OIDC_SERVER_URL="https://login.example.edu",
        OIDC_CLIENT_ID="mentoring",
        OIDC_CLIENT_SECRET="s3cret",
    )["openid_connect"]["APPS"]
    assert (app["provider_id"], app["name"], app["client_id"]) == (
        "university",
        "Example University",
        "mentoring",
    )
    assert app["settings"] == {"server_url": "https://login.example.edu"}


def test_xmlsec_and_lxml_are_built_on_the_same_libxml2():
    # python3-saml signs and checks with xmlsec on documents parsed by lxml; each wheel carries its
    # own libxml2, and a mismatch breaks every SAML sign-in. Upgrade the two together in the lock.
    assert xmlsec.get_libxml_version() == lxml.etree.LIBXML_VERSION
