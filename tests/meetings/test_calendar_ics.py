"""The .ics of a meeting parses with icalendar and keeps the local time across a DST change."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse
from icalendar import Calendar

from meetings import services
from tests.meetings.builders import schedule

NEW_YORK = ZoneInfo("America/New_York")


def _event(body: bytes):
    calendar = Calendar.from_ical(body)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return calendar, events[0]


def _new_yorkers(world):
    for person in (world.mentor, world.mentee):
        person.time_zone = "America/New_York"
        person.save()


def test_invite_has_a_stable_uid_a_growing_sequence_and_new_york_times_across_dst(client, world):
    _new_yorkers(world)
    # Proposed in February for 10:00 on 6 March (EST, UTC-5), moved to 10:00 on 13 March (EDT, UTC-4):
    # the clocks change on 9 March 2031.
    with time_machine.travel(datetime(2031, 2, 20, 12, tzinfo=NEW_YORK), tick=False):
        before = datetime(2031, 3, 6, 10, tzinfo=NEW_YORK)
        meeting = schedule(world.dyad, starts_at=before, minutes=60)
        client.force_login(world.mentee)
        url = reverse("meetings:invite", args=[meeting.pk])
        calendar, first = _event(client.get(url).content)
        assert calendar["METHOD"] == "REQUEST"
        assert first["STATUS"] == "CONFIRMED"
        assert first["SEQUENCE"] == 0
        start = first.decoded("DTSTART")
        assert start == before
        assert start.utcoffset() == timedelta(hours=-5)
        assert (start.hour, start.minute) == (10, 0)
        assert first["DTSTART"].params["TZID"] == "America/New_York"
        assert any(tz["TZID"] == "America/New_York" for tz in calendar.walk("VTIMEZONE"))

        after = datetime(2031, 3, 13, 10, tzinfo=NEW_YORK)
        services.change_meeting(
            meeting=meeting,
            by=world.mentor,
            starts_at=after,
            ends_at=after + timedelta(minutes=90),
            location="Room 4",
            video_url="",
            reason="Grand rounds",
        )
        calendar, second = _event(client.get(url).content)
    assert second["UID"] == first["UID"]
    assert second["SEQUENCE"] == 1
    start, end = second.decoded("DTSTART"), second.decoded("DTEND")
    assert (start.hour, start.minute) == (10, 0)
    assert start.utcoffset() == timedelta(hours=-4)
    assert end - start == timedelta(minutes=90)
    assert second["LOCATION"] == "Room 4"


def test_cancelled_meeting_invite_says_cancel(client, world):
    meeting = schedule(world.dyad)
    services.cancel_meeting(meeting=meeting, by=world.mentor, reason="Away")
    client.force_login(world.mentee)
    calendar, event = _event(client.get(reverse("meetings:invite", args=[meeting.pk])).content)
    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1


def test_utc_organiser_gets_utc_times(client, world):
    meeting = schedule(world.dyad)
    client.force_login(world.mentor)
    _calendar, event = _event(client.get(reverse("meetings:invite", args=[meeting.pk])).content)
    assert event.decoded("DTSTART") == meeting.starts_at
    attendees = sorted(str(a) for a in event["ATTENDEE"])
    assert attendees == sorted(f"mailto:{p.email}" for p in (world.mentor, world.mentee))
