"""A canary title in both demo people's calendars shows on no page any demo person reaches by
links (the .ics feed and CSVs included), in no e-mail and in no data export."""

import io
from datetime import UTC, datetime, timedelta

from django.core.management import call_command
from django.test import Client

from calendars import services
from calendars.models import Connection
from meetings import services as meetings
from mentoring.models import User
from programs.models import Dyad
from tests.builders import export_of
from tests.calendars.servers import CANARY, event, ics
from tests.reminders.conftest import run
from tests.test_crawl import _crawl


def test_the_canary_title_is_nowhere(
    db, ics_server, mailoutbox, django_capture_on_commit_callbacks
):
    call_command("seed_demo", stdout=io.StringIO())
    soon = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=3)
    ics_server.files["/canary.ics"] = ics(
        event(
            "c@test",
            CANARY,
            f"DTSTART:{soon:%Y%m%dT%H%M%SZ}",
            f"DTEND:{soon + timedelta(hours=2):%Y%m%dT%H%M%SZ}",
        )
    )
    people = User.objects.filter(email__in=["mentor@example.com", "mentee@example.com"])
    for person in people:
        Connection.objects.filter(user=person).delete()
        services.connect_published(user=person, address=f"{ics_server.url}/canary.ics")
        connection = Connection.objects.get(user=person)
        assert services.refresh(connection)
        # A failing calendar's notice (the owner's e-mail) names no title either.
        Connection.objects.filter(pk=connection.pk).update(
            failing_since=datetime.now(UTC) - timedelta(days=2), last_error="x."
        )
    mentor, mentee = people.get(email="mentor@example.com"), people.get(email="mentee@example.com")
    dyad = Dyad.objects.get(mentor=mentor, mentee=mentee, status=Dyad.Status.ACTIVE)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meetings.propose_meeting(
            dyad=dyad,
            by=mentee,
            times=[(soon + timedelta(days=1), soon + timedelta(days=1, hours=1))],
            confirm_overlap=True,
        )
        meetings.accept_proposal(proposal=meeting.proposals.get(), by=mentor, confirm_overlap=True)
    run("calendar_failing", datetime.now(UTC))

    for email in ("mentor@example.com", "mentee@example.com", "admin@example.com"):
        client = Client()
        client.force_login(User.objects.get(email=email))
        seen = []
        _crawl(
            client, on_response=lambda url, response, seen=seen: seen.append((url, _body(response)))
        )
        slots = client.get(f"/calendars/slots/{dyad.pk}/")
        seen.append(("slots", slots.content))
        assert seen and all(CANARY.encode() not in body for _url, body in seen), email
    assert any("could not be read" in m.subject for m in mailoutbox)
    for message in mailoutbox:
        assert CANARY not in message.subject + message.body
        assert all(CANARY not in str(alt[0]) for alt in getattr(message, "alternatives", []))
        assert all(CANARY.encode() not in bytes(str(a), "utf-8") for a in message.attachments)
    for person in (mentor, mentee):
        archive = export_of(person)
        assert all(CANARY.encode() not in archive.read(name) for name in archive.namelist())


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content
