"""An id beyond what a database integer holds, typed into a query string or a form, is a clear
"not found" (a form error, a page without that choice, a 404), never a 500.

tests/test_id_overflow.py does this for ids in the path. Here every page the demo people reach is
read for the parameters it sends (its links' query strings, its forms' fields), and each is sent
again with a 20-digit number, by GET and by POST. Python's sqlite3 raises OverflowError for such a
number (a 500 on SQLite); PostgreSQL quietly compares it as a numeric. So that a missed parameter
fails on either database, every query the requests run is watched: one that carries an integer a
64-bit column cannot hold fails here as sqlite3 fails.
"""

import io
import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlparse

import pytest
from django import forms
from django.core.management import call_command
from django.db import connection

from mentoring.converters import MAX_ID, IdChoiceField, parse_id
from mentoring.models import User
from tests.page_kinds import pages_by_kind

TOO_BIG = "99999999999999999999"  # 20 digits: > 2**63 - 1
# Names that carry no id, or whose sending would end the walk (signing out, deleting oneself).
NOT_IDS = {"csrfmiddlewaretoken", "next", "q", "page", "mentee_q", "mentor_q", "status", "role"}
SKIP_ACTIONS = re.compile(r"^/accounts/|/delete/?$|^/me/delete")


class _Forms(HTMLParser):
    """(action, method, field names) of each form of a page, and the query names of its links."""

    def __init__(self, url: str):
        super().__init__()
        self.url = url
        self.forms: list[tuple[str, str, set[str]]] = []
        self.links: dict[str, set[str]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = attrs.get("action") or self.url
            self.forms.append((action, (attrs.get("method") or "get").lower(), set()))
        elif tag in ("input", "select", "textarea", "button") and self.forms and attrs.get("name"):
            self.forms[-1][2].add(attrs["name"])
        elif tag == "a" and "?" in (attrs.get("href") or ""):
            href = urlparse(attrs["href"])
            if href.path.startswith("/"):
                names = {name for name, _value in parse_qsl(href.query, keep_blank_values=True)}
                self.links.setdefault(href.path, set()).update(names)


def _overflowing(execute, sql, params, many, context):
    for value in params if isinstance(params, list | tuple) else ():
        if isinstance(value, int) and not -(2**63) <= value <= MAX_ID:
            raise OverflowError("Python int too large to convert to SQLite INTEGER")
    return execute(sql, params, many, context)


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())
    return {u.email: u for u in User.objects.all()}


def _targets(client) -> dict[tuple[str, str], set[str]]:
    """{(path, method): parameter names} that the person's pages send."""
    targets: dict[tuple[str, str], set[str]] = {}
    for url, html in pages_by_kind(client).items():
        parser = _Forms(url.split("?")[0])
        parser.feed(html.decode())
        for action, method, names in parser.forms:
            path = urlparse(action).path or url.split("?")[0]
            targets.setdefault((path, method), set()).update(names)
        for path, names in parser.links.items():
            targets.setdefault((path, "get"), set()).update(names)
    return {
        (path, method): names - NOT_IDS
        for (path, method), names in targets.items()
        if names - NOT_IDS and not SKIP_ACTIONS.search(path)
    }


@pytest.mark.parametrize(
    "email",
    ["admin@example.com", "mentor@example.com", "mentee@example.com"],
)
def test_a_huge_number_in_any_parameter_is_never_a_500(client, demo, email):
    client.force_login(demo[email])
    targets = _targets(client)
    assert targets
    failed = {}
    with connection.execute_wrapper(_overflowing):
        for (path, method), names in sorted(targets.items()):
            data = dict.fromkeys(sorted(names), TOO_BIG)
            for send in ("get", "post") if method == "post" else ("get",):
                try:
                    if send == "get":
                        status = client.get(f"{path}?{urlencode(data)}").status_code
                    else:
                        status = client.post(path, data).status_code
                except OverflowError as error:
                    status = f"{type(error).__name__}: {error}"
                if status == 500 or not isinstance(status, int):
                    failed[f"{send.upper()} {path} {sorted(names)}"] = status
    assert not failed, f"{email}: {failed}"


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("page", ["pair", "supplemental"])
def test_the_pairing_pages_answer_a_huge_mentee_id_with_no_mentee(client, demo, page, method):
    client.force_login(demo["admin@example.com"])
    url = f"/programs/pediatrics/{page}/"
    assert client.get(url).status_code == 200
    with connection.execute_wrapper(_overflowing):
        response = getattr(client, method)(url + f"?mentee={TOO_BIG}", {"mentee": TOO_BIG})
    assert response.status_code == 200
    assert response.context["mentee"] is None  # nobody chosen: the picker, as for an unknown id


def test_the_helper_takes_exactly_the_ids_a_database_holds():
    assert parse_id("1") == 1
    assert parse_id(str(MAX_ID)) == MAX_ID
    assert parse_id(str(MAX_ID + 1)) is None
    assert parse_id(TOO_BIG) is None
    assert parse_id(MAX_ID + 1) is None
    assert parse_id(7) == 7
    for bad in ("", "0", "-1", " 1", "1.0", "١٢", "²", "x", None, "9" * 5000, True):
        assert parse_id(bad) is None, bad


@pytest.mark.django_db
def test_the_form_field_refuses_a_huge_id_with_its_message():
    field = IdChoiceField(
        queryset=User.objects.all(), error_messages={"invalid_choice": "No such person."}
    )
    with connection.execute_wrapper(_overflowing), pytest.raises(forms.ValidationError) as error:
        field.clean(TOO_BIG)
    assert error.value.messages == ["No such person."]
