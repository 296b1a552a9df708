"""Security headers and the template rules that keep the CSP strict."""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def test_every_page_sends_a_strict_content_security_policy(client, db):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["default-src"] == "'self'"
    assert directives["form-action"] == "'self'"
    assert directives["frame-src"] == "'none'"
    assert directives["worker-src"] == "'none'"
    assert "unsafe-inline" not in policy


def test_pages_send_the_other_security_headers(client, db):
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def _templates():
    return sorted((ROOT / "templates").rglob("*.html"))


@pytest.mark.parametrize("path", _templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_no_inline_script_or_style(path):
    text = path.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), (
        "inline <script>: load it from static/"
    )
    assert not re.search(r"\son[a-z]+\s*=", text), "inline event handler: use static/js/app.js"
    assert not re.search(r"\sstyle\s*=", text), "style attribute: the CSP blocks it, use a class"


def _view_modules():
    return sorted(p for p in ROOT.glob("*/views*.py") if ".venv" not in p.parts) + sorted(
        p for p in ROOT.glob("*/views/*.py")
    )


@pytest.mark.parametrize("path", _view_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_views_fetch_objects_only_through_the_scoping_helper(path):
    text = path.read_text()
    assert not re.search(r"\.objects\.get\(", text), "use mentoring.access.get_visible_or_404"
    assert not re.search(r"get_object_or_404\(\s*[A-Z]", text), "use get_visible_or_404"


def test_pages_are_compressed_for_browsers_that_accept_it(client, db):
    from tests.builders import make_user

    client.force_login(make_user("sam@example.org"))
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    plain = client.get("/")
    assert "Content-Encoding" not in plain
