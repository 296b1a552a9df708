"""An id beyond what a database integer holds is a page that does not exist (404), never a 500.

PostgreSQL's bigint and SQLite's integer are 64-bit signed; Python's sqlite3 raises OverflowError
for a larger int. Every route with a numeric parameter is walked from the project's resolver, so a
new route is covered the day it is added.
"""

import re

import pytest
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RoutePattern

from mentoring.converters import IdConverter

TOO_BIG = "99999999999999999999"  # 20 digits: > 2**63 - 1
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _is_numeric(converter) -> bool:
    try:
        return isinstance(converter.to_python("1"), int)
    except (ValueError, TypeError):
        return False


def _routes(patterns, prefix=(), converters=None):
    """(route text, its converters, its name) of every route under `patterns`."""
    converters = converters or {}
    for entry in patterns:
        if not isinstance(entry.pattern, RoutePattern):
            continue  # regex routes (none of ours) carry no converters
        route = (*prefix, str(entry.pattern))
        found = {**converters, **entry.pattern.converters}
        if isinstance(entry, URLResolver):
            namespace = f"{entry.namespace}:" if entry.namespace else ""
            for text, conv, name in _routes(entry.url_patterns, route, found):
                yield text, conv, f"{namespace}{name}"
        elif isinstance(entry, URLPattern):
            yield "".join(route), found, entry.name


ROUTES = list(_routes(get_resolver().url_patterns))
NUMERIC_ROUTES = sorted(
    (name, route, converters)
    for route, converters, name in ROUTES
    if any(_is_numeric(c) for c in converters.values())
)


def _url(route: str, converters_of_route: dict, world) -> str:
    def value(match):
        if _is_numeric(converters_of_route[match["name"]]):
            return TOO_BIG
        if match["name"] == "slug":
            return world.program.slug
        return "x"

    return "/" + PARAMETER.sub(value, route)


def test_the_walk_finds_the_routes_with_ids():
    names = {name for name, _route, _converters in NUMERIC_ROUTES}
    assert {"programs:mentee_history", "meetings:detail", "goals:detail", "feedback:request"} <= (
        names
    )


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    ("name", "route", "converters"), NUMERIC_ROUTES, ids=[n for n, _r, _c in NUMERIC_ROUTES]
)
def test_admin_gets_404_for_an_id_out_of_range(client, world, name, route, converters, method):
    url = _url(route, converters, world)
    assert TOO_BIG in url
    client.force_login(world.admin)
    response = getattr(client, method)(url)
    assert response.status_code == 404, f"{method.upper()} {url}: {response.status_code}"


def test_every_numeric_route_uses_the_id_converter():
    # On PostgreSQL Django turns most out-of-range lookups into "no rows", so the test above could
    # pass there while SQLite still overflows: the converter is what makes both answer 404.
    loose = [
        f"{name}: {route}"
        for route, converters, name in ROUTES
        for converter in converters.values()
        if _is_numeric(converter) and not isinstance(converter, IdConverter)
    ]
    assert not loose, f"use <id:...> instead of <int:...> in {loose}"


def test_the_largest_64_bit_id_still_reaches_the_view():
    match = resolve("/meetings/0009223372036854775807/")
    assert match.url_name == "detail"
    assert match.kwargs == {"pk": 2**63 - 1}
    with pytest.raises(Resolver404):
        resolve("/meetings/9223372036854775808/")
