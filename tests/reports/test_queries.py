"""Every page and export of the overview costs the same few queries (at most 12) for the demo and
for a program of 1,000 dyads with their history (seed_demo --dyads 1000)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring.models import User
from programs.models import Program
from reports.exports import EXPORTS
from reports.selectors import LISTS

pytestmark = pytest.mark.django_db

BUDGET = 12


def _pages(slug: str) -> list[str]:
    return [
        reverse("programs:detail", args=[slug]),
        reverse("programs:detail", args=[slug]) + "?status=all&page=2",
        reverse("programs:detail", args=[slug]) + "?q=mentee",
        reverse("feedback:attention", args=[slug]),
        reverse("reports:department"),
        reverse("reports:trends", args=[slug]),
        reverse("reports:annual", args=[slug]),
        reverse("reports:exports", args=[slug]),
        reverse("reports:mentor_load", args=[slug]),
        *[reverse("reports:list", args=[slug, kind]) for kind in LISTS],
        *[reverse("reports:list_csv", args=[slug, kind]) for kind in LISTS],
        *[reverse("reports:export_csv", args=[slug, key]) for key in EXPORTS],
    ]


def _cost(client, url: str) -> int:
    client.get(url)  # warm-up: caches equal for both worlds
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200, url
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


def test_each_page_costs_the_same_few_queries_for_the_demo_and_1000_dyads(client):
    call_command("seed_demo", stdout=io.StringIO())
    demo = Program.objects.get(memberships__user__email="admin@example.com")
    client.force_login(User.objects.get(email="admin@example.com"))
    small = {url.replace(demo.slug, "<p>"): _cost(client, url) for url in _pages(demo.slug)}

    call_command("seed_demo", "--dyads", "1000", stdout=io.StringIO())
    large_program = Program.objects.get(slug="load-1000")
    assert large_program.dyads.count() == 1000
    client.force_login(User.objects.get(email="load-admin@example.com"))
    large = {
        url.replace(large_program.slug, "<p>"): _cost(client, url)
        for url in _pages(large_program.slug)
    }
    over = {url: n for url, n in large.items() if n > BUDGET}
    assert not over, over
    grew = {url: (small[url], large[url]) for url in small if large[url] > small[url]}
    assert not grew, grew
