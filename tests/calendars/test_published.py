"""A published calendar address, read from a real HTTP server on loopback: recurring events with
their exceptions and zones, all-day and free events, conditional GET, and what is refused."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from calendars import services
from calendars.models import BusyInterval, Connection
from tests.builders import make_user
from tests.calendars.servers import CANARY, event, ics

NOW = datetime(2026, 10, 19, 8, 0, tzinfo=UTC)  # a Monday; Berlin leaves DST on Sun 25 Oct

CALENDAR = ics(
    # Tuesdays 10:00-11:00 Berlin from 6 Oct; 20 Oct skipped; 27 Oct moved to 14:00.
    event(
        "weekly@test",
        CANARY,
        "DTSTART;TZID=Europe/Berlin:20261006T100000",
        "DTEND;TZID=Europe/Berlin:20261006T110000",
        "RRULE:FREQ=WEEKLY;COUNT=6",
        "EXDATE;TZID=Europe/Berlin:20261020T100000",
    ),
    event(
        "weekly@test",
        CANARY,
        "RECURRENCE-ID;TZID=Europe/Berlin:20261027T100000",
        "DTSTART;TZID=Europe/Berlin:20261027T140000",
        "DTEND;TZID=Europe/Berlin:20261027T150000",
    ),
    # An all-day conference on Thursday 22 Oct: busy all day in the owner's zone.
    event("allday@test", "Conference", "DTSTART;VALUE=DATE:20261022", "DTEND;VALUE=DATE:20261023"),
    # "Show as free": not busy.
    event(
        "free@test",
        "Lunch (free)",
        "DTSTART:20261021T110000Z",
        "DTEND:20261021T120000Z",
        "TRANSP:TRANSPARENT",
    ),
    # Cancelled: not busy.
    event(
        "gone@test",
        "Cancelled",
        "DTSTART:20261023T090000Z",
        "DTEND:20261023T100000Z",
        "STATUS:CANCELLED",
    ),
)


def _utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _busy(connection) -> list[tuple[datetime, datetime]]:
    return list(
        BusyInterval.objects.filter(connection=connection)
        .order_by("starts_at")
        .values_list("starts_at", "ends_at")
    )


@pytest.fixture
def owner(db):
    return make_user("owner@cal.example", time_zone="Europe/Berlin")


def _connect(owner, url) -> Connection:
    connection = Connection(user=owner, kind=Connection.Kind.PUBLISHED)
    connection.address = url
    connection.save()
    return connection


def test_busy_times_follow_recurrence_exceptions_zones_and_free_events(owner, ics_server):
    ics_server.files["/me.ics"] = CALENDAR
    connection = _connect(owner, f"{ics_server.url}/me.ics")

    assert services.refresh(connection, now=NOW)

    assert _busy(connection) == [
        # 20 Oct skipped (EXDATE). 22 Oct: the all-day event, midnight to midnight in Berlin (CEST).
        (_utc(2026, 10, 21, 22), _utc(2026, 10, 22, 22)),
        # 27 Oct moved to 14:00 Berlin, now CET (UTC+1) after the DST change.
        (_utc(2026, 10, 27, 13), _utc(2026, 10, 27, 14)),
        # The rule's 10:00 Berlin is 09:00 UTC in winter.
        (_utc(2026, 11, 3, 9), _utc(2026, 11, 3, 10)),
        (_utc(2026, 11, 10, 9), _utc(2026, 11, 10, 10)),
    ]
    connection.refresh_from_db()
    assert connection.last_success_at == NOW and not connection.last_error
    assert CANARY not in str(Connection.objects.filter(pk=connection.pk).values().get())


def test_second_read_is_a_conditional_get_and_keeps_the_busy_times(owner, ics_server):
    ics_server.files["/me.ics"] = CALENDAR
    connection = _connect(owner, f"{ics_server.url}/me.ics")
    services.refresh(connection, now=NOW)
    before = _busy(connection)

    assert services.refresh(connection, now=NOW + timedelta(minutes=15))

    headers = ics_server.seen[-1][1]
    assert headers.get("If-None-Match") == connection.etag
    assert _busy(connection) == before
    connection.refresh_from_db()
    assert connection.last_success_at == NOW + timedelta(minutes=15)


def test_only_eight_weeks_are_kept(owner, ics_server):
    ics_server.files["/daily.ics"] = ics(
        event(
            "daily@test",
            "x",
            "DTSTART:20261019T120000Z",
            "DTEND:20261019T130000Z",
            "RRULE:FREQ=DAILY",
        )
    )
    connection = _connect(owner, f"{ics_server.url}/daily.ics")
    services.refresh(connection, now=NOW)
    busy = _busy(connection)
    assert len(busy) == 56
    assert busy[-1][1] <= NOW + timedelta(weeks=8)


@pytest.mark.parametrize(
    ("path", "said"),
    [
        ("/fifty-mb.ics", "larger than"),
        ("/fifty-mb-declared.ics", "larger than"),
        ("/garbage.ics", "did not answer with a calendar"),
        ("/error.ics", "error 500"),
        ("/to-private.ics", "private network"),
        ("/to-metadata.ics", "private network"),
    ],
)
def test_a_broken_calendar_is_refused_with_a_message_and_keeps_what_was_known(
    owner, ics_server, path, said
):
    ics_server.files["/me.ics"] = CALENDAR
    connection = _connect(owner, f"{ics_server.url}/me.ics")
    services.refresh(connection, now=NOW)
    known = _busy(connection)
    connection.address = f"{ics_server.url}{path}"
    connection.save()

    assert not services.refresh(connection, now=NOW + timedelta(hours=1))

    connection.refresh_from_db()
    assert said in connection.last_error
    assert connection.failing_since == NOW + timedelta(hours=1)
    assert connection.last_success_at == NOW
    assert _busy(connection) == known


def test_person_connects_an_address_and_sees_when_it_was_read(
    client, owner, ics_server, django_capture_on_commit_callbacks
):
    ics_server.files["/me.ics"] = CALENDAR
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("calendars:connect_published"),
            {"address": f"{ics_server.url}/me.ics"},
        )
    assert response.status_code == 302
    connection = Connection.objects.get(user=owner)
    assert connection.last_success_at is not None
    assert f"{ics_server.url}/me.ics" not in connection.secret_address  # stored encrypted
    page = client.get(reverse("calendars:mine")).content.decode()
    assert "Last updated" in page and "127.0.0.1" in page and CANARY not in page


def test_refresh_now_reads_the_calendar_in_a_worker_and_the_page_shows_it(
    client, owner, ics_server, django_capture_on_commit_callbacks
):
    ics_server.files["/me.ics"] = CALENDAR
    connection = _connect(owner, f"{ics_server.url}/me.ics")
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse("calendars:refresh", args=[connection.pk]), follow=True)
    # Nothing read during the request: the read is queued for after the commit.
    assert ics_server.seen == [] and len(queued) == 1
    assert "being read now" in response.content.decode()
    with time_machine.travel(NOW, tick=False):  # the calendar's weeks
        queued[0]()  # the worker
    connection.refresh_from_db()
    assert connection.last_success_at is not None and _busy(connection)
    ics_server.files["/me.ics"] = b"not a calendar"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("calendars:refresh", args=[connection.pk]))
    page = client.get(reverse("calendars:mine")).content.decode()
    connection.refresh_from_db()
    assert connection.last_error and connection.last_error in page


def test_a_private_address_is_refused_on_the_form(client, owner):
    client.force_login(owner)
    response = client.post(
        reverse("calendars:connect_published"), {"address": "http://10.0.0.7/calendar.ics"}
    )
    assert response.status_code == 200
    assert "private network" in response.content.decode()
    assert not Connection.objects.filter(user=owner).exists()


def test_loopback_is_refused_unless_the_setting_allows_it(client, owner, ics_server):
    client.force_login(owner)
    with override_settings(OUTBOUND_ALLOW_LOOPBACK=False):
        response = client.post(
            reverse("calendars:connect_published"), {"address": f"{ics_server.url}/me.ics"}
        )
    assert response.status_code == 200
    assert not Connection.objects.filter(user=owner).exists()


def test_only_http_addresses_are_taken(client, owner):
    client.force_login(owner)
    response = client.post(
        reverse("calendars:connect_published"), {"address": "file:///etc/passwd"}
    )
    assert response.status_code == 200
    assert "Only http:// and https://" in response.content.decode()


def test_a_webcal_address_is_read_over_https():
    from calendars.forms import PublishedCalendarForm

    form = PublishedCalendarForm({"address": " webcal://p01-caldav.icloud.com/published/2/abc "})
    assert form.is_valid()
    assert form.cleaned_data["address"] == "https://p01-caldav.icloud.com/published/2/abc"
