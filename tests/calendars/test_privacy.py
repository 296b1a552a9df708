"""Disconnecting, "Download my data", account deletion, one notice after a day of failures, and
the keys: what happens to a person's calendars."""

import io
import json
from datetime import UTC, datetime, timedelta

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from calendars import crypto, services
from calendars.models import BusyInterval, Connection
from mentoring.models import Notification
from mentoring.privacy import delete_account
from tests.builders import PASSWORD, export_of
from tests.calendars.servers import CANARY, event, ics
from tests.reminders.conftest import run


def _connected(user, url, *, now=None) -> Connection:
    connection = Connection(user=user, kind=Connection.Kind.PUBLISHED)
    connection.address = url
    connection.save()
    services.refresh(connection, now=now)
    return connection


def _calendar_file(start: datetime) -> bytes:
    stamp = start.strftime("%Y%m%dT%H%M%SZ")
    end = (start + timedelta(hours=1)).strftime("%Y%m%dT%H%M%SZ")
    return ics(event("c@test", CANARY, f"DTSTART:{stamp}", f"DTEND:{end}"))


def test_disconnecting_deletes_busy_times_and_secrets_at_once(client, world, ics_server):
    ics_server.files["/m.ics"] = _calendar_file(datetime.now(UTC) + timedelta(days=2))
    connection = _connected(world.mentee, f"{ics_server.url}/m.ics")
    assert BusyInterval.objects.filter(user=world.mentee).count() == 1
    client.force_login(world.mentee)

    response = client.post(reverse("calendars:disconnect", args=[connection.pk]))

    assert response.status_code == 302
    assert not Connection.objects.filter(pk=connection.pk).exists()
    assert not BusyInterval.objects.filter(user=world.mentee).exists()


def test_export_lists_connections_without_password_or_secret_address(world, ics_server):
    ics_server.files["/m.ics"] = _calendar_file(datetime.now(UTC) + timedelta(days=2))
    connection = _connected(world.mentee, f"{ics_server.url}/m.ics?token=s3cret")
    caldav = Connection(user=world.mentee, kind=Connection.Kind.CALDAV, username="sam")
    caldav.server_url, caldav.password = "https://dav.example.org/dav/", "app-password-123"
    caldav.save()

    archive = export_of(world.mentee)
    text = archive.read("calendars.json").decode()
    data = json.loads(text)

    assert [c["kind"] for c in data["connections"]] == [
        "CalDAV account",
        "Published calendar address",
    ]
    assert data["connections"][1]["server"] == "127.0.0.1"
    assert len(data["connections"][1]["busy_intervals"]) == 1
    for secret in (
        "app-password-123",
        "s3cret",
        CANARY,
        caldav.password_encrypted,
        connection.secret_address,
    ):
        assert all(
            secret not in archive.read(name).decode(errors="ignore") for name in archive.namelist()
        )


def test_account_deletion_removes_the_calendars(world, ics_server):
    ics_server.files["/m.ics"] = _calendar_file(datetime.now(UTC) + timedelta(days=2))
    _connected(world.mentee, f"{ics_server.url}/m.ics")
    delete_account(user=world.mentee, password=PASSWORD)
    assert not Connection.objects.filter(user=world.mentee).exists()
    assert not BusyInterval.objects.filter(user=world.mentee).exists()


def test_a_day_of_failures_tells_the_owner_once(world, ics_server, mailoutbox):
    start = datetime(2026, 11, 2, 9, tzinfo=UTC)
    connection = Connection(user=world.mentee, kind=Connection.Kind.PUBLISHED)
    connection.address = f"{ics_server.url}/error.ics"
    connection.save()
    for hours in range(0, 26, 5):
        services.refresh(connection, now=start + timedelta(hours=hours))

    run("calendar_failing", start + timedelta(hours=12))
    assert not Notification.objects.filter(kind="calendar_failing").exists()
    run("calendar_failing", start + timedelta(hours=25))
    run("calendar_failing", start + timedelta(hours=26))

    notice = Notification.objects.get(kind="calendar_failing")
    assert notice.recipient_id == world.mentee.pk
    assert "127.0.0.1" in notice.title and "error 500" in notice.body
    assert len([m for m in mailoutbox if "could not be read" in m.subject]) == 1


def test_keys_rotate_and_old_secrets_still_open(world, settings):
    old, new = "a" * 43 + "=", "b" * 43 + "="
    settings.CALENDAR_KEYS = [old]
    connection = Connection(user=world.mentee, kind=Connection.Kind.CALDAV)
    connection.password = "pw-1"
    connection.save()
    with override_settings(CALENDAR_KEYS=[new, old]):
        assert Connection.objects.get(pk=connection.pk).password == "pw-1"
        call_command("rotate_secret_keys", stdout=io.StringIO())
    with override_settings(CALENDAR_KEYS=[new]):
        assert Connection.objects.get(pk=connection.pk).password == "pw-1"
    with override_settings(CALENDAR_KEYS=[old]):
        assert crypto.decrypt(Connection.objects.get(pk=connection.pk).password_encrypted) == ""
