from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.services import open_cycle, open_fit_check
from tests.builders import add_dyads
from tests.feedback.helpers import make_cycle, request_of, submit


def test_mentee_sees_an_open_request_until_answering_it(client, world):
    cycle = make_cycle(world)
    client.force_login(world.mentee)
    assert f"Give feedback to {world.mentor}" in client.get(reverse("home")).content.decode()
    submit(request_of(cycle, world.dyad, "mentee"))
    assert f"Give feedback to {world.mentor}" not in client.get(reverse("home")).content.decode()


def test_mentor_is_asked_about_fit_after_the_first_meeting(client, world):
    open_fit_check(dyad=world.dyad)
    client.force_login(world.mentor)
    page = client.get(reverse("home")).content.decode()
    assert f"Is {world.mentee} a good fit?" in page


def test_a_cycle_that_has_not_opened_asks_nothing_yet(client, world):
    today = timezone.localdate()
    open_cycle(
        program=world.program,
        by=world.admin,
        name="Later",
        opens=today + timedelta(days=5),
        due=today + timedelta(days=10),
        closes=today + timedelta(days=12),
    )
    client.force_login(world.mentee)
    assert "Give feedback to" not in client.get(reverse("home")).content.decode()


def test_admin_sees_the_attention_count(client, world):
    cycle = make_cycle(world)
    submit(request_of(cycle, world.dyad, "mentee"), working="different")
    client.force_login(world.admin)
    page = client.get(reverse("home")).content.decode()
    assert "1 dyad on your attention list." in page
    client.force_login(world.outsider_admin)
    assert "No dyad needs your attention." in client.get(reverse("home")).content.decode()


def test_home_panel_queries_do_not_grow_with_requests(client, world, django_assert_max_num_queries):
    make_cycle(world, name="One")
    client.force_login(world.mentee)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("home"))
    for dyad in add_dyads(world.program, 3):
        open_fit_check(dyad=dyad)
    make_cycle(world, name="Two")
    make_cycle(world, name="Three")
    with django_assert_max_num_queries(len(small)):
        client.get(reverse("home"))
