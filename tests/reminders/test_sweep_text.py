"""The sweeps' cached date texts say exactly what mentoring.moments says, in every zone."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import translation

from mentoring import moments
from mentoring.reminders import Person, day, url_for, when

ZONES = ["UTC", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Kiritimati"]


def test_when_is_moment_text_in_the_recipients_zone_across_a_year_and_dst():
    start = datetime(2026, 1, 1, 0, 7, tzinfo=UTC)
    for zone in ZONES:
        person = Person(1, "Sam", "sam@example.org", zone)
        for hours in range(0, 24 * 366, 37):
            moment = start + timedelta(hours=hours)
            assert when(moment, person) == moments.moment_text(moment, ZoneInfo(zone))


def test_day_follows_the_active_language():
    with translation.override("en"):
        english = day(date(2026, 3, 9))
    assert english == moments.day_text(date(2026, 3, 9)) == "Mon 9 Mar 2026"


def test_url_for_is_reverse_without_reversing_each_row():
    from django.urls import reverse

    assert url_for("meetings:detail", 42) == reverse("meetings:detail", args=[42])
    assert url_for("programs:dyad", 7) == reverse("programs:dyad", args=[7])


def test_when_reads_the_instant_whatever_zone_the_moment_is_given_in():
    moment = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # New York's clocks go back at 06:00 UTC
    for zone in ZONES:
        person = Person(1, "Sam", "sam@example.org", zone)
        for given_in in ZONES:
            for minutes in range(0, 120, 15):
                instant = (moment + timedelta(minutes=minutes)).astimezone(ZoneInfo(given_in))
                assert when(instant, person) == moments.moment_text(instant, ZoneInfo(zone))
