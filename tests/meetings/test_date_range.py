"""A meeting date far outside any real calendar (year 1, year 9999) is a form error, never a 500.

Near those ends the person's zone offset pushes the time past what a datetime holds (year 1 at
00:30 in Tokyo is year 0 in UTC; 9999-12-31 23:00 in New York is year 10000), so the range is
checked before the time is converted.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from tests.meetings.builders import at, schedule

EAST, WEST = "Asia/Tokyo", "America/New_York"
YEAR_ONE = {"date": "0001-01-01", "start": "00:30", "end": "01:30"}
LAST_DAY = {"date": "9999-12-31", "start": "23:00", "end": "23:30"}


def _in_zone(user, zone):
    user.time_zone = zone
    user.save(update_fields=["time_zone"])
    return user


def _propose(client, world, who, zone, slot, **extra):
    client.force_login(_in_zone(who, zone))
    data = {f"{key}1": value for key, value in slot.items()}
    return client.post(reverse("meetings:propose", args=[world.dyad.pk]), {**data, **extra})


def _change(client, meeting, who, zone, slot, **extra):
    client.force_login(_in_zone(who, zone))
    return client.post(reverse("meetings:change", args=[meeting.pk]), {**slot, **extra})


@pytest.mark.parametrize(
    ("zone", "slot", "says"),
    [
        (EAST, YEAR_ONE, "in the past"),
        (WEST, LAST_DAY, "at most 10 years ahead"),
    ],
    ids=["year-1-east", "9999-west"],
)
def test_mentee_proposing_an_impossible_date_gets_an_error_and_keeps_what_they_typed(
    client, world, zone, slot, says
):
    response = _propose(client, world, world.mentee, zone, slot, location="Room 4B")
    assert response.status_code == 200
    form = response.context["form"]
    assert says in " ".join(form.errors["date1"])  # next to the date, not only at the top
    assert f'value="{slot["date"]}"' in response.text
    assert "Room 4B" in response.text
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("zone", "slot", "says"),
    [
        (EAST, YEAR_ONE, "in the past"),
        (WEST, LAST_DAY, "at most 10 years ahead"),
    ],
    ids=["year-1-east", "9999-west"],
)
def test_mentor_moving_a_meeting_to_an_impossible_date_gets_an_error_and_nothing_moves(
    client, world, zone, slot, says
):
    meeting = schedule(world.dyad, starts_at=at(3, hour=10))
    response = _change(
        client, meeting, world.mentor, zone, slot, location="Library", reason="Clinic ran over"
    )
    assert response.status_code == 200
    assert says in " ".join(response.context["form"].errors["date"])
    assert f'value="{slot["date"]}"' in response.text
    assert "Library" in response.text
    assert "Clinic ran over" in response.text
    before = (meeting.starts_at, meeting.sequence)
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.sequence) == before


def test_a_proposal_a_few_years_ahead_is_still_fine(client, world):
    day = timezone.localdate() + timedelta(days=365 * 9)
    slot = {"date": f"{day:%Y-%m-%d}", "start": "10:00", "end": "11:00"}
    response = _propose(client, world, world.mentee, EAST, slot)
    assert response.status_code == 302
    assert Meeting.objects.get().proposals.count() == 1


def test_a_proposal_more_than_ten_years_ahead_is_refused(client, world):
    day = timezone.localdate() + timedelta(days=365 * 10 + 5)
    slot = {"date": f"{day:%Y-%m-%d}", "start": "10:00", "end": "11:00"}
    response = _propose(client, world, world.mentee, "UTC", slot)
    assert response.status_code == 200
    assert "at most 10 years ahead" in " ".join(response.context["form"].errors["date1"])
    assert not Meeting.objects.exists()
