"""Dates in the reader's language (mentoring/moments.py): Spanish and French day and month names,
lower-case as those languages write them, on the 24-hour clock; English exactly as before."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from mentoring import moments

PARIS = ZoneInfo("Europe/Paris")
STARTS = datetime(2026, 12, 6, 15, 0, tzinfo=PARIS)
ENDS = datetime(2026, 12, 6, 16, 30, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("language", "moment", "day", "month"),
    [
        ("en", "Sun 6 Dec 2026, 15:00–16:30 CET", "Sun 6 Dec 2026", "December 2026"),
        ("es", "dom 6 dic 2026, 15:00–16:30 CET", "dom 6 dic 2026", "diciembre 2026"),
        ("fr", "dim 6 déc. 2026, 15:00–16:30 CET", "dim 6 déc. 2026", "décembre 2026"),
    ],
)
def test_a_meeting_reads_in_the_active_language(language, moment, day, month):
    with translation.override(language):
        assert moments.moment_range_text(STARTS, ENDS, PARIS) == moment
        assert moments.day_text(STARTS, PARIS) == day
        assert moments.month_text(date(2026, 12, 1)) == month
        assert moments.moment_text(STARTS, PARIS) == moment.replace("–16:30", "")


def test_the_same_moment_in_two_languages_is_not_cached_as_one():
    with translation.override("fr"):
        french = moments.moment_text(STARTS, PARIS)
    with translation.override("en"):
        english = moments.moment_text(STARTS, PARIS)
    assert (french, english) == ("dim 6 déc. 2026, 15:00 CET", "Sun 6 Dec 2026, 15:00 CET")


def test_an_afternoon_is_on_the_24_hour_clock_in_every_language():
    late = datetime(2026, 5, 3, 21, 45, tzinfo=PARIS)
    for language in ("en", "es", "fr"):
        with translation.override(language):
            assert "21:45" in moments.moment_text(late, PARIS)


@pytest.mark.parametrize(
    ("language", "june", "july", "august"),
    [
        ("en", "Tue 9 Jun 2026", "Thu 9 Jul 2026", "Sun 9 Aug 2026"),
        ("es", "mar 9 jun 2026", "jue 9 jul 2026", "dom 9 ago 2026"),
        ("fr", "mar 9 juin 2026", "jeu 9 juil. 2026", "dim 9 août 2026"),
    ],
)
def test_each_month_has_its_own_short_name_in_each_language(language, june, july, august):
    with translation.override(language):
        days = [moments.day_text(date(2026, month, 9)) for month in (6, 7, 8)]
        moment = moments.moment_text(datetime(2026, 7, 9, 9, 30, tzinfo=PARIS), PARIS)
    assert days == [june, july, august]
    assert moment == f"{july}, 09:30 CEST"


def test_a_charts_month_is_short_in_each_language_and_english_as_before():
    july = date(2026, 7, 1)
    shown = {}
    for language in ("en", "es", "fr"):
        with translation.override(language):
            shown[language] = moments.short_month_text(july)
    assert shown == {"en": "Jul 2026", "es": "jul 2026", "fr": "juil. 2026"}
