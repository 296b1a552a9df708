"""A dyad's next meeting is due by one calendar date, the same for the mentor, the mentee and the
admin wherever each of them is: a day of the program's zone (meetings.selectors.due_date)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from meetings.selectors import dyad_cadence
from mentoring.models import Notification
from mentoring.reminders import sweep
from tests.meetings.builders import held

# The last meeting: Tue 5 Jan 2027, 20:00 UTC, which is Wed 6 Jan 09:00 in Auckland (UTC+13) and
# Tue 5 Jan 12:00 in Los Angeles (UTC-8). A 30-day cadence from there.
HELD_AT = datetime(2027, 1, 5, 20, tzinfo=UTC)


def _people_far_apart(world):
    for person, zone in ((world.mentor, "Pacific/Auckland"), (world.mentee, "America/Los_Angeles")):
        person.time_zone = zone
        person.save(update_fields=["time_zone"])
    world.dyad.cadence_days = 30
    world.dyad.save(update_fields=["cadence_days"])
    with time_machine.travel(HELD_AT + timedelta(days=1), tick=False):
        held(world.dyad, days_ago=1)


def _due_shown(client, person, url) -> str:
    client.force_login(person)
    page = client.get(url).content.decode()
    start = page.index("<time", page.index("due by"))
    return page[start : page.index("</time>", start)]  # the date element after "due by"


@pytest.mark.parametrize(
    ("program_zone", "due_day"),
    [
        ("UTC", "2027-02-04"),  # 5 Jan in UTC + 30 days
        ("Pacific/Auckland", "2027-02-05"),  # 6 Jan in Auckland + 30 days
    ],
)
def test_mentor_mentee_and_admin_see_the_same_due_date(client, world, program_zone, due_day):
    world.program.time_zone = program_zone
    world.program.save(update_fields=["time_zone"])
    _people_far_apart(world)
    meetings_page = reverse("meetings:dyad", args=[world.dyad.pk])

    with time_machine.travel(datetime(2027, 1, 20, 12, tzinfo=UTC), tick=False):
        shown = {
            (person.email, url): _due_shown(client, person, url)
            for person in (world.mentor, world.mentee, world.admin)
            for url in ("/", meetings_page)
            if not (person == world.admin and url == "/")  # the admin's home only links there
        }
        assert len(set(shown.values())) == 1, shown
        assert dyad_cadence(world.dyad).due_by.isoformat() == due_day
    assert all(f'datetime="{due_day}"' in text for text in shown.values()), shown


def test_the_overdue_notice_names_the_same_date_for_both(world):
    _people_far_apart(world)  # the program's zone: UTC, so due by Thu 4 Feb 2027
    # Sweeps through the day after, so that each of them is reached in their own daytime.
    for hour in range(0, 48, 3):
        with time_machine.travel(datetime(2027, 2, 5, tzinfo=UTC) + timedelta(hours=hour)):
            sweep("dyad_overdue")

    titles = {
        n.recipient_id: n.title
        for n in Notification.objects.filter(kind="dyad_overdue", target_id=world.dyad.pk)
    }
    assert titles == {
        world.mentor.pk: "Time to meet Sam Mentee: your next meeting was due by Thu 4 Feb 2027",
        world.mentee.pk: "Time to meet Maria Mentor: your next meeting was due by Thu 4 Feb 2027",
    }
