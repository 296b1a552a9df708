"""The program admin's dashboard: dyads with status filters and search, counts, mentors' load."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from programs.models import Dyad
from programs.services.dyads import end_dyad
from tests.builders import add_dyads
from tests.programs.helpers import count_queries, new_mentor, open_request

pytestmark = pytest.mark.django_db


def _url(w):
    return reverse("programs:detail", args=[w.program.slug])


def test_admin_sees_the_open_dyads_with_counts(client, world):
    end_dyad(dyad=world.other_dyad, by=world.admin, reason=Dyad.EndReason.POOR_FIT)
    client.force_login(world.admin)
    response = client.get(_url(world))
    html = response.content.decode()
    assert response.context["dyads"] == [world.dyad]
    assert "1 active, 0 proposed, 0 paused, 1 ended." in html


def test_admin_filters_dyads_by_status(client, world):
    end_dyad(dyad=world.other_dyad, by=world.admin, reason=Dyad.EndReason.POOR_FIT)
    client.force_login(world.admin)
    assert client.get(_url(world), {"status": "ended"}).context["dyads"] == [world.other_dyad]
    assert len(client.get(_url(world), {"status": "all"}).context["dyads"]) == 2
    # An unknown filter falls back to the open dyads, not an error.
    assert client.get(_url(world), {"status": "bogus"}).context["dyads"] == [world.dyad]


def test_admin_searches_dyads_by_name_email_or_focus(client, world):
    client.force_login(world.admin)
    assert client.get(_url(world), {"q": "sam"}).context["dyads"] == [world.dyad]
    assert client.get(_url(world), {"q": "other.mentee@"}).context["dyads"] == [world.other_dyad]
    response = client.get(_url(world), {"q": "nobody-like-this"})
    assert response.context["dyads"] == []
    assert "No dyad matches" in response.content.decode()


def test_admin_sees_each_mentors_load_against_capacity(client, world):
    new_mentor(world, capacity=2, name="Capped Mentor")
    client.force_login(world.admin)
    # On its own (paginated) page, linked from the program page's Reports menu.
    page = reverse("reports:mentor_load", args=[world.program.slug])
    assert f'href="{page}"' in client.get(_url(world)).text
    mentors = client.get(page).context["mentors"]
    loads = {m.user.name: (m.primary, m.capacity) for m in mentors}
    assert loads["Maria Mentor"] == (1, None)
    assert loads["Capped Mentor"] == (0, 2)


def test_admin_finds_a_link_to_every_admin_page(client, world):
    open_request(world)
    client.force_login(world.admin)
    html = client.get(_url(world)).content.decode()
    slug = world.program.slug
    for name in (
        "pair",
        "add_supplemental",
        "requests",
        "members",
        "invite",
        "invite_bulk",
        "audit",
    ):
        try:
            url = reverse(f"programs:{name}", args=[slug])
        except Exception:  # the people helper's pages may not exist yet
            continue
        assert f'href="{url}"' in html, name
    assert "Mentor requests <span" in html  # a badge counts what waits
    history = reverse("programs:mentee_history", args=[slug, world.other_mentee.pk])
    assert f'href="{history}"' in html


def test_dashboard_costs_the_same_queries_for_10_or_50_dyads(client, world):
    client.force_login(world.admin)
    add_dyads(world.program, 10)
    small = count_queries(client, _url(world))
    add_dyads(world.program, 40)
    # session, user, program, admin check, status counts, a page of dyads, the overview's counts,
    # the overdue dyads, the navigation's memberships, the unread-notification badge.
    assert count_queries(client, _url(world)) == small <= 12


def test_admin_sees_dyads_overdue_for_a_meeting(client, world):
    type(world.program).objects.filter(pk=world.program.pk).update(default_cadence_days=5)
    client.force_login(world.admin)
    page = client.get(world.program.get_absolute_url())
    assert page.context["overview"].tile("overdue_dyads").count == 0
    later = timezone.now() + timezone.timedelta(days=7)
    with time_machine.travel(later, tick=False):
        page = client.get(world.program.get_absolute_url())
    tile = page.context["overview"].tile("overdue_dyads")
    assert tile.count == 2
    # The tile is a link to the list of them, on the attention list.
    assert f'href="{tile.url}"' in page.text and "Dyads overdue for a meeting" in page.text
    with time_machine.travel(later, tick=False):
        listed = client.get(tile.url.split("#")[0]).text
    assert str(world.mentee) in listed


def test_the_program_menus_reach_every_pairing_and_people_page(client, world):
    """Cohort matching, profiles to complete and the supervisors' import are reached from the
    program page, not only from inside the pair page."""
    client.force_login(world.admin)
    html = client.get(_url(world)).content.decode()
    slug = world.program.slug
    for name in ("cohort", "profile_status", "supervisors_import", "pair", "add_supplemental"):
        assert f'href="{reverse(f"programs:{name}", args=[slug])}"' in html, name
