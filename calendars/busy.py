"""Busy intervals from iCalendar data: a published calendar (VEVENTs, recurring ones expanded with
their exceptions and zones) or a free/busy answer (VFREEBUSY). Only the two ends of each busy time
leave this module: never a title, a place or an attendee.

As calendars do: an event marked TRANSP:TRANSPARENT ("show as free"), or free in Outlook's own
X-MICROSOFT-CDO-BUSYSTATUS, or cancelled, is not busy. An all-day event is busy for its whole days
in the owner's zone (a date has no zone), unless marked free, as Google and Outlook mark most
all-day events. A time without a zone ("floating") is read in the owner's zone.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import recurring_ical_events
from django.utils.translation import gettext as _
from icalendar import Calendar

HORIZON = timedelta(weeks=8)
Interval = tuple[datetime, datetime]


class NotACalendar(ValueError):
    """The answer is not iCalendar data; `str()` is a message for the person."""


def _aware(value, zone: ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    return datetime.combine(value, time(0), tzinfo=zone)


def _is_free(component) -> bool:
    transp = str(component.get("TRANSP", "OPAQUE")).upper()
    status = str(component.get("STATUS", "")).upper()
    outlook = str(component.get("X-MICROSOFT-CDO-BUSYSTATUS", "")).upper()
    return transp == "TRANSPARENT" or status == "CANCELLED" or outlook == "FREE"


def merge(intervals: list[Interval]) -> list[Interval]:
    """Sorted, with overlapping and touching intervals joined."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def parse(data: bytes, *, zone: ZoneInfo, now: datetime, horizon: timedelta = HORIZON):
    """The busy intervals between now and now + horizon, merged. Raises NotACalendar."""
    try:
        calendar = Calendar.from_ical(data)
    except Exception as error:  # icalendar raises ValueError and others on garbage
        raise NotACalendar(_("The address did not answer with a calendar (.ics) file.")) from error
    if not isinstance(calendar, Calendar) or calendar.name != "VCALENDAR":
        raise NotACalendar(_("The address did not answer with a calendar (.ics) file."))
    until = now + horizon
    busy: list[Interval] = []
    try:
        events = recurring_ical_events.of(calendar).between(now, until)
    except Exception as error:  # a broken RRULE or zone: refuse the whole file, clearly
        raise NotACalendar(
            _("The calendar file could not be read (a broken repeating event).")
        ) from error
    for event in events:
        if event.name != "VEVENT" or _is_free(event) or "DTSTART" not in event:
            continue
        start = event["DTSTART"].dt
        end = event["DTEND"].dt if "DTEND" in event else None
        if end is None:
            duration = event.get("DURATION")
            if duration is not None:
                end = start + duration.dt
            elif isinstance(start, datetime):
                continue  # RFC 5545: a timed event without end or duration takes no time
            else:
                end = start + timedelta(days=1)
        busy.append((_aware(start, zone), _aware(end, zone)))
    for freebusy in calendar.walk("VFREEBUSY"):
        periods = freebusy.get("FREEBUSY", [])
        for period in periods if isinstance(periods, list) else [periods]:
            if str(period.params.get("FBTYPE", "BUSY")).upper() == "FREE":
                continue
            start, end = period.dt
            if isinstance(end, timedelta):
                end = start + end
            busy.append((_aware(start, zone), _aware(end, zone)))
    clipped = [(max(s, now), min(e, until)) for s, e in busy if e > now and s < until]
    return merge([(s, e) for s, e in clipped if e > s])


def day_bounds(day: date, zone: ZoneInfo) -> Interval:
    return _aware(day, zone), _aware(day + timedelta(days=1), zone)
