"""The slot picker of the proposal page: only free times, never what the partner is doing; the
page works whatever the calendars do; a fixed number of queries."""

from datetime import timedelta

import pytest
from django.db import connection as db
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from calendars.models import BusyInterval, Connection, WorkingHours
from tests.calendars.servers import CANARY


def _calendar(user, *, busy=(), failing=False) -> Connection:
    connection = Connection(user=user, kind=Connection.Kind.PUBLISHED)
    connection.address = "https://calendar.invalid/x.ics"
    connection.last_success_at = timezone.now() - timedelta(hours=3)
    if failing:
        connection.failing_since = timezone.now() - timedelta(hours=2)
        connection.last_error = f"The server at {CANARY} could not be reached."
    connection.save()
    BusyInterval.objects.bulk_create(
        BusyInterval(connection=connection, user=user, starts_at=s, ends_at=e) for s, e in busy
    )
    return connection


def _all_week(user):
    WorkingHours.objects.create(user=user, days="0123456")


def test_mentee_sees_common_free_times_and_nothing_of_the_mentors_calendar(client, world):
    _all_week(world.mentor)
    _all_week(world.mentee)
    tomorrow = (timezone.now() + timedelta(days=1)).astimezone(world.mentor.zone)
    busy_from = tomorrow.replace(hour=9, minute=0, second=0, microsecond=0)
    _calendar(world.mentor, busy=[(busy_from, busy_from + timedelta(hours=8))])
    client.force_login(world.mentee)

    page = client.get(reverse("calendars:slots", args=[world.dyad.pk])).content.decode()

    assert "When you are both free" in page
    assert "Maria Mentor's calendar: last updated" in page
    assert "You have not connected a calendar" in page
    day = busy_from.strftime("%Y-%m-%d")
    assert f'data-fill-date="{day}"' not in page  # the mentor's whole working day is busy
    assert "data-fill-date=" in page
    assert CANARY not in page


def test_partner_sees_neither_the_reason_nor_the_error_of_a_failing_calendar(client, world):
    _calendar(world.mentor, failing=True)
    client.force_login(world.mentee)
    page = client.get(reverse("calendars:slots", args=[world.dyad.pk])).content.decode()
    assert CANARY not in page and "last updated" in page
    client.force_login(world.mentor)
    own = client.get(reverse("calendars:mine")).content.decode()
    assert "The last attempt failed" in own


def test_the_length_chosen_changes_the_slots(client, world):
    client.force_login(world.mentee)
    url = reverse("calendars:slots", args=[world.dyad.pk])
    page = client.get(url + "?minutes=90").content.decode()
    assert '<option value="90" selected>' in page
    assert client.get(url + "?minutes=9999").status_code == 200


def test_proposal_page_loads_the_picker(client, world):
    client.force_login(world.mentee)
    page = client.get(reverse("meetings:propose", args=[world.dyad.pk])).content.decode()
    assert f'data-hx-get="{reverse("calendars:slots", args=[world.dyad.pk])}"' in page


def test_picker_queries_do_not_grow_with_busy_times(client, world):
    client.force_login(world.mentee)
    url = reverse("calendars:slots", args=[world.dyad.pk])
    with CaptureQueriesContext(db) as few:
        client.get(url)
    start = timezone.now()
    _calendar(
        world.mentor,
        busy=[
            (start + timedelta(hours=5 * i), start + timedelta(hours=5 * i + 1)) for i in range(60)
        ],
    )
    _calendar(world.mentee, busy=[(start + timedelta(days=2), start + timedelta(days=3))])
    with CaptureQueriesContext(db) as many:
        client.get(url)
    assert len(many) == len(few) <= 12


@pytest.mark.parametrize("who", ["admin", "other_mentee", "outsider"])
def test_nobody_else_sees_the_pairs_free_times(client, world, who):
    client.force_login(getattr(world, who))
    response = client.get(reverse("calendars:slots", args=[world.dyad.pk]))
    assert response.status_code in (403, 404)
