"""The 15-minute refresh joins the beat schedule, reads what is due, and leaves sample data and
fresh calendars alone; working hours decide which times are offered."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from calendars.models import Connection, WorkingHours
from calendars.tasks import refresh_due_calendars
from mentoring.registry import beat_schedule
from tests.calendars.servers import event, ics


def test_the_refresh_is_in_the_beat_schedule_every_15_minutes():
    entry = beat_schedule("mentoring.tasks.sweep")["refresh-calendars"]
    assert entry == {"task": "calendars.tasks.refresh_due_calendars", "schedule": 15 * 60}
    assert beat_schedule("mentoring.tasks.sweep")["calendar-failing"]["args"] == [
        "calendar_failing"
    ]


def test_due_calendars_are_read_and_others_left_alone(world, ics_server):
    start = timezone.now() + timedelta(days=1)
    ics_server.files["/c.ics"] = ics(
        event(
            "x@test",
            "x",
            f"DTSTART:{start:%Y%m%dT%H%M%SZ}",
            f"DTEND:{start + timedelta(hours=1):%Y%m%dT%H%M%SZ}",
        )
    )
    due = Connection(user=world.mentee, kind=Connection.Kind.PUBLISHED)
    due.address = f"{ics_server.url}/c.ics"
    due.last_attempt_at = timezone.now() - timedelta(minutes=20)
    due.save()
    fresh = Connection(user=world.mentor, kind=Connection.Kind.PUBLISHED)
    fresh.address = f"{ics_server.url}/c.ics"
    fresh.last_attempt_at = timezone.now() - timedelta(minutes=2)
    fresh.save()
    sample = Connection.objects.create(user=world.other_mentee, kind="published", is_sample=True)

    assert refresh_due_calendars() == 1

    assert Connection.objects.get(pk=due.pk).busy.count() == 1
    assert not Connection.objects.get(pk=fresh.pk).busy.exists()
    assert Connection.objects.get(pk=sample.pk).last_attempt_at is None


def test_working_hours_decide_which_times_are_offered(client, world):
    client.force_login(world.mentee)
    response = client.post(
        reverse("calendars:hours"),
        {"starts": "08:00", "ends": "09:00", "days": ["0", "1", "2", "3", "4", "5", "6"]},
    )
    assert response.status_code == 302
    WorkingHours.objects.create(user=world.mentor, starts="07:00", ends="20:00", days="0123456")
    page = client.get(
        reverse("calendars:slots", args=[world.dyad.pk]) + "?minutes=30"
    ).content.decode()
    starts = set(re.findall(r'data-fill-start="([\d:]+)"', page))
    assert starts and starts <= {"08:00", "08:30"}


def test_an_end_before_the_start_is_refused_with_a_message(client, world):
    client.force_login(world.mentee)
    response = client.post(
        reverse("calendars:hours"), {"starts": "17:00", "ends": "09:00", "days": ["0"]}
    )
    assert response.status_code == 200
    assert "must come after its start" in response.content.decode()
    assert not WorkingHours.objects.filter(user=world.mentee).exists()
