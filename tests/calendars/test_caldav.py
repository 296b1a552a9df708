"""A CalDAV account on a real Radicale server on loopback: free/busy read, meetings written into
it as they are scheduled, moved and cancelled (read back with the caldav client and icalendar)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from calendars import services
from calendars.models import BusyInterval, Connection
from meetings import services as meetings
from tests.calendars.servers import CANARY, make_radicale_calendar

pytestmark = pytest.mark.django_db(transaction=True)


def _connect(client, user, url) -> Connection:
    client.force_login(user)
    response = client.post(
        reverse("calendars:connect_caldav"),
        {"server_url": f"{url}/{user.pk}-cal/", "username": f"{user.pk}-cal", "password": "app-pw"},
    )
    assert response.status_code == 302, response.content.decode()
    return Connection.objects.get(user=user, kind=Connection.Kind.CALDAV)


def _events(calendar) -> dict[str, object]:
    found = {}
    for obj in calendar.events():
        for component in Calendar.from_ical(obj.data).walk("VEVENT"):
            found[str(component["UID"])] = component
    return found


def test_free_busy_is_read_and_the_password_is_stored_encrypted(client, world, radicale_server):
    calendar = make_radicale_calendar(radicale_server, f"{world.mentor.pk}-cal")
    start = (timezone.now() + timedelta(days=3)).replace(microsecond=0, second=0, minute=0)
    calendar.save_event(
        dtstart=start, dtend=start + timedelta(hours=2), summary=CANARY, uid="busy-1@test"
    )

    connection = _connect(client, world.mentor, radicale_server)

    assert "app-pw" not in connection.password_encrypted and connection.password == "app-pw"
    assert list(
        BusyInterval.objects.filter(connection=connection).values_list("starts_at", "ends_at")
    ) == [(start, start + timedelta(hours=2))]
    page = client.get(reverse("calendars:mine")).content.decode()
    assert CANARY not in page and "app-pw" not in page


def test_a_wrong_server_is_said_on_the_form(client, world, ics_server):
    client.force_login(world.mentor)
    response = client.post(
        reverse("calendars:connect_caldav"),
        {"server_url": f"{ics_server.url}/nothing/", "username": "x", "password": "y"},
    )
    assert response.status_code == 200
    assert "CalDAV" in response.content.decode()
    assert not Connection.objects.filter(user=world.mentor).exists()


def test_meeting_is_written_moved_and_cancelled_with_the_invitations_uid_and_sequence(
    client, world, radicale_server
):
    calendar = make_radicale_calendar(radicale_server, f"{world.mentor.pk}-cal")
    _connect(client, world.mentor, radicale_server)
    starts = (timezone.now() + timedelta(days=4)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    meeting = meetings.propose_meeting(
        dyad=world.dyad, by=world.mentee, times=[(starts, starts + timedelta(hours=1))]
    )
    uid = f"{meeting.uid}@mentoring"

    meetings.accept_proposal(proposal=meeting.proposals.get(), by=world.mentor)
    written = _events(calendar)[uid]
    assert (int(written["SEQUENCE"]), str(written["STATUS"])) == (0, "CONFIRMED")
    assert written["DTSTART"].dt == starts

    moved = starts + timedelta(days=1)
    meetings.change_meeting(
        meeting=meeting,
        by=world.mentee,
        starts_at=moved,
        ends_at=moved + timedelta(hours=1),
        location="Room 2",
        video_url="",
        reason="Clinic",
    )
    events = _events(calendar)
    assert len(events) == 1
    assert int(events[uid]["SEQUENCE"]) == 1 and events[uid]["DTSTART"].dt == moved

    meetings.cancel_meeting(meeting=meeting, by=world.mentor, reason="Away")
    events = _events(calendar)
    assert len(events) == 1
    assert (int(events[uid]["SEQUENCE"]), str(events[uid]["STATUS"])) == (2, "CANCELLED")


def test_a_meeting_held_back_by_a_failure_is_written_by_the_next_refresh(
    client, world, radicale_server
):
    calendar = make_radicale_calendar(radicale_server, f"{world.mentor.pk}-cal")
    connection = _connect(client, world.mentor, radicale_server)
    good = (connection.server_url, connection.calendar_url)
    Connection.objects.filter(pk=connection.pk).update(
        server_url="http://10.9.9.9/dav/", calendar_url="http://10.9.9.9/dav/cal/"
    )
    starts = (timezone.now() + timedelta(days=5)).replace(hour=9, minute=0, second=0, microsecond=0)
    meeting = meetings.propose_meeting(
        dyad=world.dyad, by=world.mentee, times=[(starts, starts + timedelta(hours=1))]
    )
    meetings.accept_proposal(proposal=meeting.proposals.get(), by=world.mentor)
    connection.refresh_from_db()
    assert connection.last_error and not _events(calendar)

    Connection.objects.filter(pk=connection.pk).update(server_url=good[0], calendar_url=good[1])
    connection.refresh_from_db()
    assert services.refresh(connection)
    assert f"{meeting.uid}@mentoring" in _events(calendar)
    assert services.write_pending_meetings(connection=connection) == 0  # nothing twice


def test_person_chooses_which_calendar_meetings_go_into(client, world, radicale_server):
    import caldav
    from niquests.auth import HTTPBasicAuth

    user = f"{world.mentor.pk}-cal"
    make_radicale_calendar(radicale_server, user)
    dav = caldav.DAVClient(url=f"{radicale_server}/{user}/", auth=HTTPBasicAuth(user, "x"))
    mentoring_calendar = dav.principal().make_calendar(name="Mentoring")
    connection = _connect(client, world.mentor, radicale_server)
    assert len(connection.calendars) == 2
    page = client.get(reverse("calendars:mine")).content.decode()
    assert "Write meetings into" in page

    response = client.post(
        reverse("calendars:choose_calendar", args=[connection.pk]),
        {"calendar": str(mentoring_calendar.url)},
    )
    assert response.status_code == 302
    refused = client.post(
        reverse("calendars:choose_calendar", args=[connection.pk]),
        {"calendar": "http://10.0.0.1/elsewhere/"},
        follow=True,
    )
    assert "Choose one of the calendars" in refused.content.decode()

    starts = (timezone.now() + timedelta(days=6)).replace(
        hour=11, minute=0, second=0, microsecond=0
    )
    meeting = meetings.propose_meeting(
        dyad=world.dyad, by=world.mentee, times=[(starts, starts + timedelta(hours=1))]
    )
    meetings.accept_proposal(proposal=meeting.proposals.get(), by=world.mentor)
    assert f"{meeting.uid}@mentoring" in _events(mentoring_calendar)
