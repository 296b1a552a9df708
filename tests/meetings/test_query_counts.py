"""Meeting pages and the home page cost the same number of queries with 1 meeting or with many."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import services
from tests.builders import make_dyad
from tests.meetings.builders import at, held, pdf_upload, schedule


def _fill(meeting, world):
    services.add_agenda_item(meeting=meeting, by=world.mentee, topic="Aims")
    services.add_action_item(
        meeting=meeting, by=world.mentor, description="Do it", owner=world.mentee
    )
    services.attach_material(
        meeting=meeting, by=world.mentee, title="Draft", upload=pdf_upload(), max_bytes=10**6
    )


def _grow(world):
    """Six past meetings with everything in them, a second dyad, and three upcoming meetings each."""
    for i in range(6):
        meeting = held(world.dyad, days_ago=60 - i * 7)
        _fill(meeting, world)
        services.save_private_note(meeting=meeting, by=world.mentee, text="private")
    side = make_dyad(
        world.program,
        mentor=world.other_mentor,
        mentee=world.mentee,
        kind="supplemental",
        focus_area="statistics",
    )
    for days in (3, 5, 7):
        _fill(schedule(world.dyad, starts_at=at(days, hour=9)), world)
        schedule(side, starts_at=at(days, hour=14))


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_meeting_page_queries_do_not_grow(client, world, django_assert_max_num_queries):
    meeting = schedule(world.dyad, starts_at=at(20, hour=9))
    _fill(meeting, world)
    small = {}
    for person in (world.mentee, world.mentor, world.admin):
        client.force_login(person)
        small[person.pk] = _count(client, meeting.get_absolute_url())
    _grow(world)
    for _ in range(4):
        _fill(meeting, world)
    for person in (world.mentee, world.mentor, world.admin):
        client.force_login(person)
        with django_assert_max_num_queries(small[person.pk]):
            client.get(meeting.get_absolute_url())


def test_home_page_queries_do_not_grow(client, world, django_assert_max_num_queries):
    _fill(schedule(world.dyad), world)
    small = {}
    for person in (world.mentee, world.mentor, world.admin):
        client.force_login(person)
        small[person.pk] = _count(client, "/")
    _grow(world)
    for person in (world.mentee, world.mentor, world.admin):
        client.force_login(person)
        with django_assert_max_num_queries(small[person.pk]):
            client.get("/")


def test_dyad_meetings_page_queries_do_not_grow(client, world, django_assert_max_num_queries):
    client.force_login(world.mentor)
    url = reverse("meetings:dyad", args=[world.dyad.pk])
    schedule(world.dyad)
    small = _count(client, url)
    _grow(world)
    with django_assert_max_num_queries(small):
        client.get(url)
