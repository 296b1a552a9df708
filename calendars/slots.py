"""Common free times of two people for the next two weeks: inside each one's working hours in
their own zone, outside each one's busy times (their connected calendars and their meetings in
this app). What the partner's side gives the page is only "free" or not: no title, no interval."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from calendars.busy import merge
from calendars.models import WEEKDAYS, BusyInterval, Connection, WorkingHours
from meetings.models import Meeting

DAYS_AHEAD = 14
STEP = timedelta(minutes=30)
LENGTHS = (30, 45, 60, 90)
DEFAULT_LENGTH = 60


@dataclass
class Side:
    """One person as the picker knows them."""

    user: object
    zone: ZoneInfo
    starts: time = time(9)
    ends: time = time(17)
    weekdays: frozenset[int] = frozenset(int(d) for d in WEEKDAYS)
    busy: list[tuple[datetime, datetime]] = field(default_factory=list)
    connected: bool = False
    last_updated: datetime | None = None
    failing: bool = False

    def works(self, start: datetime, end: datetime) -> bool:
        """The whole meeting falls in one of this person's working days, in their zone."""
        local_start, local_end = start.astimezone(self.zone), end.astimezone(self.zone)
        return (
            local_start.date() == local_end.date()
            and local_start.weekday() in self.weekdays
            and local_start.time() >= self.starts
            and local_end.time() <= self.ends
        )


def _first_step(now: datetime) -> datetime:
    start = now.replace(second=0, microsecond=0)
    minutes = (start.minute // 30 + 1) * 30
    return start.replace(minute=0) + timedelta(minutes=minutes)


def free_slots(
    sides: Iterable[Side], *, now: datetime, minutes: int, days: int = DAYS_AHEAD
) -> list[tuple[datetime, datetime]]:
    """Every start on the half hour from now to `days` ahead where the meeting of `minutes` fits
    in everyone's working hours and nobody is busy."""
    sides = list(sides)
    length = timedelta(minutes=minutes)
    busy = merge([interval for side in sides for interval in side.busy])
    slots, cursor, until = [], _first_step(now), now + timedelta(days=days)
    index = 0
    while cursor + length <= until:
        end = cursor + length
        if all(side.works(cursor, end) for side in sides):
            while index < len(busy) and busy[index][1] <= cursor:
                index += 1
            # Merged and sorted: only the first interval ending after the start can overlap.
            if index == len(busy) or busy[index][0] >= end:
                slots.append((cursor, end))
        cursor += STEP
    return slots


def sides_of(people: list, *, now: datetime, days: int = DAYS_AHEAD) -> list[Side]:
    """The two people's hours, busy times and calendar state, in four queries."""
    until = now + timedelta(days=days)
    ids = [person.pk for person in people]
    sides = {person.pk: Side(user=person, zone=person.zone) for person in people}
    for hours in WorkingHours.objects.filter(user_id__in=ids):  # 1
        side = sides[hours.user_id]
        side.starts, side.ends, side.weekdays = hours.starts, hours.ends, frozenset(hours.weekdays)
    for connection in Connection.objects.filter(user_id__in=ids).only(  # 2
        "user_id", "last_success_at", "failing_since"
    ):
        side = sides[connection.user_id]
        side.connected = True
        side.failing = side.failing or connection.failing_since is not None
        if connection.last_success_at and (
            side.last_updated is None or connection.last_success_at < side.last_updated
        ):
            side.last_updated = connection.last_success_at
    for user_id, start, end in BusyInterval.objects.filter(  # 3
        user_id__in=ids, starts_at__lt=until, ends_at__gt=now
    ).values_list("user_id", "starts_at", "ends_at"):
        sides[user_id].busy.append((start, end))
    for mentor_id, mentee_id, start, end in (  # 4: their meetings in this app, any dyad
        Meeting.objects.filter(
            Q(dyad__mentor_id__in=ids) | Q(dyad__mentee_id__in=ids),
            status=Meeting.Status.SCHEDULED,
            starts_at__lt=until,
            ends_at__gt=now,
        ).values_list("dyad__mentor_id", "dyad__mentee_id", "starts_at", "ends_at")
    ):
        for user_id in (mentor_id, mentee_id):
            if user_id in sides:
                sides[user_id].busy.append((start, end))
    return [sides[pk] for pk in ids]


def now() -> datetime:
    return timezone.now()
