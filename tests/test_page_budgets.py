"""Pages cost at most 12 queries and a bounded page of HTML, for every role, with the demo data and
with a program of 200 dyads and their history (`seed_demo --dyads 200`): the same figures at both
sizes, so the pages do not grow with the program (issue 11)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import Meeting
from mentoring.models import User
from programs.models import Dyad, Membership, Program
from tests.builders import add_member

BUDGET = 12
LARGE = 200
MAX_HTML = 48 * 1024  # a paginated page stays well under this, whatever the program's size

DEMO = "pediatrics"


def _budget_pages(program: Program, admin_email: str) -> list[tuple[str, str]]:
    """(who, url) of every page whose budget this file holds, in a program and for its admin."""
    dyad = Dyad.objects.filter(program=program, status="active").order_by("pk").first()
    meeting = Meeting.objects.filter(dyad=dyad).exclude(starts_at=None).order_by("-pk").first()
    cycle = program.feedback_cycles.order_by("-pk").first()
    mentee, mentor = dyad.mentee.email, dyad.mentor.email
    plan = f"/goals/plan/{program.pk}/{dyad.mentee_id}/"
    pages = [
        (mentee, "/"),
        (mentor, "/"),
        (admin_email, "/"),
        (mentee, plan),
        (mentor, plan),
        (admin_email, plan),
        (mentee, f"/meetings/{meeting.pk}/"),
        (mentor, f"/meetings/{meeting.pk}/"),
        (admin_email, f"/meetings/{meeting.pk}/"),
        (admin_email, f"/feedback/programs/{program.slug}/mentors/"),
        (admin_email, f"/feedback/programs/{program.slug}/"),
        (admin_email, f"/programs/{program.slug}/members/"),
        (admin_email, f"/programs/{program.slug}/audit/"),
        (admin_email, f"/programs/{program.slug}/notices/"),
        (admin_email, f"/programs/{program.slug}/requests/"),
        (admin_email, f"/programs/{program.slug}/security/"),
    ]
    if cycle is not None:
        pages.append((admin_email, f"/feedback/cycles/{cycle.pk}/"))
    return pages


def _measure(client, pages) -> dict[tuple[str, str], tuple[int, int]]:
    figures = {}
    users = {u.email: u for u in User.objects.filter(email__in={who for who, _ in pages})}
    for who, url in pages:
        client.force_login(users[who])
        client.get(url)  # the first request of a session may set things up
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (who, url, response.status_code)
        figures[(who, url)] = (len(queries), len(response.content))
    return figures


def _over(figures) -> list[str]:
    return [
        f"{who} {url}: {count} queries, {size // 1024} KiB"
        for (who, url), (count, size) in figures.items()
        if count > BUDGET or size > MAX_HTML
    ]


@pytest.fixture
def several_roles(db):
    """A person who mentors, is mentored and administers: every home panel at once."""
    call_command("seed_demo", stdout=io.StringIO())
    person = User.objects.get(email="mentor@example.com")
    other = Program.objects.exclude(slug=DEMO).order_by("pk").first()
    add_member(other, person, Membership.Role.ADMIN)
    add_member(other, person, Membership.Role.MENTEE)
    return person


def test_pages_within_budget_with_the_demo_data(client, several_roles):
    program = Program.objects.get(slug=DEMO)
    pages = [*_budget_pages(program, "admin@example.com"), (several_roles.email, "/")]
    assert _over(_measure(client, pages)) == []


@pytest.mark.postgres
def test_pages_within_budget_with_a_large_program(client, several_roles):
    call_command("seed_demo", dyads=LARGE, stdout=io.StringIO())
    large = Program.objects.get(memberships__user__email="load-admin@example.com")
    assert large.dyads.filter(status="active").count() >= LARGE
    pages = [*_budget_pages(large, "load-admin@example.com"), (several_roles.email, "/")]
    add_member(large, several_roles, Membership.Role.ADMIN)  # the person also runs the large one
    assert _over(_measure(client, pages)) == []


# The plan page of a mentee of a 1,000-dyad program, for the mentee, their mentor and the program's
# admin: the person (with their unread count), their memberships, their dyads (access), the mentee
# (the plan's owner), the goals, their milestones, each goal's latest review, the latest report,
# its items, its comments, the opportunities, the mentee's mentors (named on the printout). The
# mentee needs no mentee lookup.
PLAN_BUDGET = 12
THOUSAND = 1_000


@pytest.mark.postgres
def test_plan_page_within_its_budget_at_a_thousand_dyads(client, db):
    call_command("seed_demo", dyads=THOUSAND, stdout=io.StringIO())
    large = Program.objects.get(memberships__user__email="load-admin@example.com")
    assert large.dyads.filter(status="active").count() >= THOUSAND
    dyad = Dyad.objects.filter(program=large, status="active").order_by("pk")[5]
    assert dyad.mentee.goals.filter(program=large).exists()  # a plan with something in it
    url = f"/goals/plan/{large.pk}/{dyad.mentee_id}/"
    people = [dyad.mentee, dyad.mentor, User.objects.get(email="load-admin@example.com")]
    figures = _measure(client, [(person.email, url) for person in people])
    assert {who: count for (who, _), (count, _) in figures.items()} == {
        dyad.mentee.email: PLAN_BUDGET - 1,
        dyad.mentor.email: PLAN_BUDGET,
        "load-admin@example.com": PLAN_BUDGET,
    }


PAGED = [
    "/feedback/cycles/{cycle}/",
    "/feedback/programs/{slug}/mentors/",
    "/feedback/programs/{slug}/attention/",
    "/programs/{slug}/members/",
    "/programs/{slug}/audit/",
    "/programs/{slug}/notices/",
    "/programs/{slug}/requests/",
    "/programs/{slug}/security/",
]


@pytest.mark.postgres
def test_long_lists_come_in_pages_with_links_and_junk_page_numbers_are_harmless(client, db):
    call_command("seed_demo", dyads=120, stdout=io.StringIO())
    large = Program.objects.get(memberships__user__email="load-admin@example.com")
    client.force_login(User.objects.get(email="load-admin@example.com"))
    cycle = large.feedback_cycles.order_by("-pk").first()
    for url in PAGED:
        url = url.format(cycle=cycle.pk, slug=large.slug)
        for junk in ("x", "-1", "0", "99999", "1e9", "%00", "2&page=3"):
            response = client.get(f"{url}?page={junk}&overdue={junk}&failed={junk}")
            assert response.status_code == 200, (url, junk)
    # 120 dyads, 50 a page: the cycle page links on to its next page, a real link (keyboard).
    first = client.get(f"/feedback/cycles/{cycle.pk}/").content.decode()
    assert 'rel="next" href="?page=2"' in first
    second = client.get(f"/feedback/cycles/{cycle.pk}/?page=2").content.decode()
    assert 'aria-current="page"><span class="page-link">Page 2 of 3' in second


def test_templates_are_compiled_once_per_process_when_debug_is_off(settings):
    """Django's cached template loader is on (no `loaders` option overrides it): crispy's and
    the pages' templates are read and compiled once, not at every render."""
    from django.template import engines
    from django.template.loaders.cached import Loader

    assert "loaders" not in settings.TEMPLATES[0]["OPTIONS"]
    assert isinstance(engines["django"].engine.template_loaders[0], Loader)


def test_every_page_of_the_benchmark_is_a_page_of_the_app():
    """`make bench` asks for each person's PERSON_PAGES and the admin's ADMIN_PAGES
    (benchmarks/pages.py): each URL resolves to a view, and each page is in a measured family."""
    import string

    from django.urls import Resolver404, resolve

    from benchmarks.pages import ADMIN_PAGES, FAMILIES, PERSON_PAGES

    pages = PERSON_PAGES + ADMIN_PAGES
    filler = {
        name: "some-slug" if name == "slug" else "1"
        for _, url in pages
        for _, name, _, _ in string.Formatter().parse(url)
        if name
    }
    for page, url in pages:
        path = url.format(**filler)
        try:
            resolve(path)
        except Resolver404:
            pytest.fail(f"{page}: {path} is no page")
        assert page == "home" or page in FAMILIES, page
