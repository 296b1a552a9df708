"""Every CSV download opens in a spreadsheet the same way: one writer (programs.spreadsheet.csv_
download) gives each a byte-order mark (so Excel reads accented names as UTF-8), an attachment
header and cells that run no formula. The downloads are walked from the resolver: every route that
ends in `.csv`, with each value its `<slug:kind>`/`<slug:key>` takes."""

import codecs
import csv
import io

import pytest
from django.urls import reverse

from programs.models import Program
from reports import exports, selectors
from tests.test_crawl import demo  # noqa: F401  (the seeded demo world)
from tests.test_id_overflow import ROUTES

CSV_ROUTES = sorted(name for route, _c, name in ROUTES if route.endswith(".csv"))
VALUES = {"kind": sorted(selectors.LISTS), "key": sorted(exports.EXPORTS)}


def _downloads():
    for name in CSV_ROUTES:
        keyword = next((k for k in VALUES if f"<slug:{k}>" in _route_of(name)), None)
        for value in VALUES[keyword] if keyword else [None]:
            yield name, keyword, value


def _route_of(name: str) -> str:
    return next(route for route, _c, n in ROUTES if n == name)


DOWNLOADS = list(_downloads())


def test_the_walk_finds_every_csv_download():
    assert {"programs:members_csv", "programs:security_csv", "reports:export_csv"} <= set(
        CSV_ROUTES
    )
    assert len(DOWNLOADS) >= 11  # members, security, the tile lists and the exports


@pytest.mark.parametrize(("name", "keyword", "value"), DOWNLOADS)
def test_every_csv_download_starts_with_a_byte_order_mark(client, demo, name, keyword, value):  # noqa: F811
    program = Program.objects.get(slug="pediatrics")
    client.force_login(demo["admin@example.com"])
    kwargs = {"slug": program.slug} | ({keyword: value} if keyword else {})
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(codecs.BOM_UTF8), f"{name} {value}: {body[:40]!r}"
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows and rows[0]  # a header a spreadsheet shows
