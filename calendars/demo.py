"""Sample busy times for the demo pair (mentor@ and mentee@example.com), so that the slot picker
of `make run` shows common free times around them. Idempotent: a person who has a calendar
connection (sample or their own) is left alone. The rows are marked `is_sample`: never fetched."""

import zoneinfo
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from calendars.busy import HORIZON
from calendars.models import BusyInterval, Connection

# (weekday, from, until) in the person's zone: a clinic, a lab meeting, teaching.
PATTERNS = {
    "mentor@example.com": [(0, 9, 12), (2, 9, 12), (4, 13, 17), (1, 14, 15)],
    "mentee@example.com": [(1, 8, 13), (3, 8, 13), (0, 15, 16)],
}


@transaction.atomic
def seed(world) -> None:
    now = timezone.now()
    for email, pattern in PATTERNS.items():
        user = world.users.get(email)
        if user is None or Connection.objects.filter(user=user).exists():
            continue
        connection = Connection.objects.create(
            user=user,
            kind=Connection.Kind.PUBLISHED,
            is_sample=True,
            last_success_at=now,
            last_attempt_at=now,
        )
        zone = zoneinfo.ZoneInfo(user.time_zone or "UTC")
        today = now.astimezone(zone).date()
        rows = []
        for offset in range(HORIZON.days):
            day = today + timedelta(days=offset)
            for weekday, start, end in pattern:
                if day.weekday() == weekday:
                    rows.append(
                        BusyInterval(
                            connection=connection,
                            user=user,
                            starts_at=datetime.combine(day, time(start), tzinfo=zone),
                            ends_at=datetime.combine(day, time(end), tzinfo=zone),
                        )
                    )
        BusyInterval.objects.bulk_create(rows)
