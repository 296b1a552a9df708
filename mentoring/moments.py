"""The one way a moment or a day is shown, on pages and in e-mails alike.

A moment reads "Sun 6 Dec 2026, 15:00 EST": in the active zone (the viewer's, set by
UserTimezoneMiddleware; the recipient's, set by emails.build_email), with that zone named. A day reads
"Sun 6 Dec 2026". On pages both come inside `<time datetime="...">` with a valid machine-readable
value (whole seconds, offset included), from the template filters in
mentoring/templatetags/moments.py; tests/test_dates_shown_one_way.py keeps templates from
formatting dates any other way.

In Spanish and French the day and month names are theirs, lower-case as those languages write
them ("dom 6 dic 2026, 15:00", "dim 6 déc. 2026, 15:00"), from Django's own catalogs; times are on
the 24-hour clock in every language.
"""

import functools
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.utils import formats, timezone
from django.utils.translation import get_language

MOMENT = "D j M Y, H:i"
DAY = "D j M Y"
CLOCK = "H:i"
# Where a language writes a day otherwise than English ("M": "Jun", "Jul", "Aug"). Spanish takes
# "b", its lower-case three letters ("jun", "jul", "ago"). French cannot: cut to three letters, June
# and July are both "jui" and August "aoû"; it takes "N", the abbreviations French writes ("juin",
# "juil.", "août", "déc.").
DAYS = {"es": "D j b Y", "fr": "D j N Y"}
MOMENTS = {"es": "D j b Y, H:i", "fr": "D j N Y, H:i"}


def _base(language: str | None) -> str:
    return (language or "en").split("-")[0].lower()


def local(value: datetime, zone: ZoneInfo | None = None) -> datetime:
    """An aware moment in `zone`, or in the active zone (naive values are taken as in it)."""
    zone = zone or timezone.get_current_timezone()
    if timezone.is_naive(value):
        value = timezone.make_aware(value, zone)
    return value.astimezone(zone)


def zone_name(value: datetime) -> str:
    """The zone's abbreviation at that moment ("EST", "CEST", "JST"), or its offset ("+03")."""
    return value.tzname() or value.strftime("%z")


def moment_text(value: datetime, zone: ZoneInfo | None = None) -> str:
    here = local(value, zone)
    # Keyed by the instant in UTC: two datetimes of one zone compare by their wall clock, so the
    # two 01:30s of a night the clocks go back would share a text.
    return _moment_text(here.astimezone(UTC), here.tzinfo, get_language())


# Formatting translates every day and month name it prints; pages, e-mails and sweeps show the
# same few hundred moments, ranges and days again and again, so each text is made once per process
# (per moment or range, zone and language; per day and language), in bounded LRUs.
@functools.lru_cache(maxsize=4096)
def _moment_text(instant: datetime, zone, language: str | None) -> str:
    here = instant.astimezone(zone)
    return f"{_day_text(here.date(), language)}, {here:%H:%M} {zone_name(here)}"


@functools.lru_cache(maxsize=2048)
def _day_text(value: date, language: str | None) -> str:
    return formats.date_format(value, DAYS.get(_base(language), DAY))


def moment_range_text(starts: datetime, ends: datetime, zone: ZoneInfo | None = None) -> str:
    """ "Sun 6 Dec 2026, 15:00–16:00 EST" (the end's day too when it is another day)."""
    here, there = local(starts, zone), local(ends, zone)
    return _moment_range_text(
        here.astimezone(UTC), there.astimezone(UTC), here.tzinfo, get_language()
    )


@functools.lru_cache(maxsize=4096)
def _moment_range_text(starts: datetime, ends: datetime, zone, language: str | None) -> str:
    here, there = starts.astimezone(zone), ends.astimezone(zone)
    moment = MOMENTS.get(_base(language), MOMENT)
    end = formats.date_format(there, CLOCK if there.date() == here.date() else moment)
    return f"{formats.date_format(here, moment)}–{end} {zone_name(there)}"


def day_text(value: date | datetime, zone: ZoneInfo | None = None) -> str:
    if isinstance(value, datetime):
        value = local(value, zone).date()
    return _day_text(value, get_language())


def machine(value: date | datetime, zone: ZoneInfo | None = None) -> str:
    """The `datetime` attribute: ISO 8601 in whole seconds with the offset, or the bare day."""
    if isinstance(value, datetime):
        return local(value, zone).replace(microsecond=0).isoformat()
    return value.isoformat()


def month_text(value: date) -> str:
    return formats.date_format(value, "F Y")


# A month's short name in a chart (its table head, under its bars), as in a day above: French
# writes "juin", "juil.", "août" (Django's N), not three letters that make June and July both "jui".
SHORT_MONTHS = {"es": "b", "fr": "N"}


def month_abbreviation(value: date) -> str:
    """A month's short name, as a chart's column reads it: "Jan", "ene", "janv."."""
    return formats.date_format(value, SHORT_MONTHS.get(_base(get_language()), "M"))


def short_month_text(value: date) -> str:
    """ "Jul 2026", "jul 2026", "juil. 2026": the month's short name, a space, the year."""
    return f"{month_abbreviation(value)} {value.year}"
