"""The personal calendar feed: secret, revocable, only the person's own meetings, right times."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse
from icalendar import Calendar

from meetings import services
from meetings.models import CalendarFeed
from tests.builders import make_dyad
from tests.meetings.builders import schedule

BERLIN = ZoneInfo("Europe/Berlin")


def _feed_url(client, user) -> str:
    client.force_login(user)
    client.post(reverse("meetings:calendar_regenerate"))
    page = client.get(reverse("meetings:calendar"))
    marker = 'id="feed-url" type="text" readonly value="'
    start = page.text.index(marker) + len(marker)
    url = page.text[start : page.text.index('"', start)]
    client.logout()
    return url.removeprefix("http://testserver")


def test_person_subscribes_without_login_and_sees_only_their_meetings(client, world):
    mine = schedule(world.dyad)
    schedule(world.other_dyad)
    url = _feed_url(client, world.mentee)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [f"{mine.uid}@mentoring"]


def test_the_token_is_stored_only_as_a_hash_and_shown_once(client, world):
    url = _feed_url(client, world.mentee)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert not CalendarFeed.objects.filter(token_hash=token).exists()
    client.force_login(world.mentee)
    assert token not in client.get(reverse("meetings:calendar")).text


def test_regenerating_revokes_the_old_address_and_turning_off_revokes_all(client, world):
    old = _feed_url(client, world.mentee)
    new = _feed_url(client, world.mentee)
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    client.force_login(world.mentee)
    client.post(reverse("meetings:calendar_revoke"))
    client.logout()
    assert client.get(new).status_code == 404


def test_an_unknown_token_gets_404(client, db):
    assert client.get(reverse("meetings:feed", args=["not-a-token"])).status_code == 404


def test_admin_feed_does_not_list_the_meetings_they_administer(client, world):
    schedule(world.dyad)
    url = _feed_url(client, world.admin)
    assert Calendar.from_ical(client.get(url).content).walk("VEVENT") == []


def test_feed_times_stay_local_across_the_european_dst_change(client, world):
    world.mentee.time_zone = "Europe/Berlin"
    world.mentee.save()
    side = make_dyad(
        world.program, mentee=world.mentee, kind="supplemental", focus_area="statistics"
    )
    with time_machine.travel(datetime(2031, 3, 10, 12, tzinfo=BERLIN), tick=False):
        # 09:00 Berlin before (CET, UTC+1) and after (CEST, UTC+2) the change of 30 March 2031.
        for day, dyad in ((24, world.dyad), (31, side)):
            starts = datetime(2031, 3, day, 9, tzinfo=BERLIN)
            meeting = services.propose_meeting(
                dyad=dyad, by=world.mentee, times=[(starts, starts + timedelta(hours=1))]
            )
            services.accept_proposal(proposal=meeting.proposals.get(), by=dyad.mentor)
        url = _feed_url(client, world.mentee)
        events = Calendar.from_ical(client.get(url).content).walk("VEVENT")
    starts = sorted(e.decoded("DTSTART") for e in events)
    assert [(s.day, s.hour, s.utcoffset()) for s in starts] == [
        (24, 9, timedelta(hours=1)),
        (31, 9, timedelta(hours=2)),
    ]
    assert all(e["DTSTART"].params["TZID"] == "Europe/Berlin" for e in events)
