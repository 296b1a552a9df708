"""The permission matrix: every URL of the app × every role of the world → allowed or 403/404."""

import importlib

import pytest
from django.urls import get_resolver, reverse

from tests.access import ROLES, Case

CASE_MODULES = [
    "tests.mentoring.access_cases",
    "tests.programs.access_cases",
    "tests.meetings.access_cases",
    "tests.conversations.access_cases",
    "tests.goals.access_cases",
    "tests.feedback.access_cases",
    "tests.reports.access_cases",
    "tests.calendars.access_cases",
    "tests.api.access_cases",
]
# URL names that belong to third-party apps, each tested by its own project.
FOREIGN_NAMESPACES = {"admin"}
# The read API authenticates by token, never by session: its own matrix (every endpoint × a token of
# the program, of another program, revoked, none) is tests/api/test_scoping.py.
TOKEN_NAMESPACES = {"api"}


def _load_cases() -> list[Case]:
    cases = []
    for module_name in CASE_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        cases.extend(module.CASES)
    return cases


CASES = _load_cases()


def _our_url_names() -> set[str]:
    names = set()
    resolver = get_resolver()
    for name in ("home", "profile", "healthz", "set_language"):
        names.add(name)
    for namespace, (_prefix, sub) in resolver.namespace_dict.items():
        if namespace in FOREIGN_NAMESPACES | TOKEN_NAMESPACES:
            continue
        for key in sub.reverse_dict:
            if isinstance(key, str):
                names.add(f"{namespace}:{key}")
    return names


def test_every_url_is_in_the_matrix():
    covered = {case.name for case in CASES}
    missing = sorted(_our_url_names() - covered)
    assert not missing, f"add these URL names to a tests/<app>/access_cases.py: {missing}"


def _request(client, case: Case, world):
    url = reverse(case.name, args=case.args(world))
    if case.method == "post":
        return client.post(url, case.data(world))
    return client.get(url)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_anonymous(client, world, case):
    response = _request(client, case, world)
    if case.public:
        assert response.status_code < 400
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_role(client, world, case, role):
    client.force_login(getattr(world, role))
    response = _request(client, case, world)
    if role in case.ok:
        assert response.status_code in (200, 302), (
            f"{role} should be able to use {case.id}, got {response.status_code}"
        )
    else:
        assert response.status_code in (403, 404), (
            f"{role} must not use {case.id}, got {response.status_code}"
        )


JUNK_QUERY = "?page=abc&status=zzz&q=%27%22%3Cscript%3E&role=nobody&action=%00&mentee=x&sort=-"


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.method == "get" and c.ok], ids=lambda c: c.id
)
def test_junk_query_parameters_never_cause_a_server_error(client, world, case):
    role = sorted(case.ok)[0]
    client.force_login(getattr(world, role))
    response = client.get(reverse(case.name, args=case.args(world)) + JUNK_QUERY)
    assert response.status_code < 500, f"{case.id} answered {response.status_code}"
