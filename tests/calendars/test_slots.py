"""Common free times: inside each person's working hours in their own zone, outside busy times."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from calendars.slots import Side, free_slots

NOW = datetime(2026, 10, 19, 6, 0, tzinfo=UTC)  # Monday
BERLIN, NEW_YORK = ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")


def _utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_only_times_inside_both_working_days_are_offered():
    berlin = Side(user=None, zone=BERLIN)  # 9-17 CEST = 07-15 UTC
    new_york = Side(user=None, zone=NEW_YORK)  # 9-17 EDT = 13-21 UTC
    slots = free_slots([berlin, new_york], now=NOW, minutes=60, days=1)
    assert slots == [
        (_utc(2026, 10, 19, 13), _utc(2026, 10, 19, 14)),
        (_utc(2026, 10, 19, 13, 30), _utc(2026, 10, 19, 14, 30)),
        (_utc(2026, 10, 19, 14), _utc(2026, 10, 19, 15)),
    ]


def test_busy_times_and_weekends_are_left_out():
    me = Side(
        user=None,
        zone=UTC,
        starts=time(9),
        ends=time(12),
        busy=[(_utc(2026, 10, 19, 10), _utc(2026, 10, 19, 10, 30))],
    )
    partner = Side(
        user=None,
        zone=UTC,
        starts=time(9),
        ends=time(12),
        busy=[(_utc(2026, 10, 19, 11, 15), _utc(2026, 10, 19, 11, 45))],
    )
    monday = free_slots([me, partner], now=NOW, minutes=30, days=1)
    assert [s.time() for s, _e in monday] == [time(9), time(9, 30), time(10, 30)]
    week = free_slots([me, partner], now=NOW, minutes=30, days=7)
    assert {s.weekday() for s, _e in week} == {0, 1, 2, 3, 4}


def test_working_hours_follow_the_zone_across_a_dst_change():
    berlin = Side(user=None, zone=BERLIN, starts=time(9), ends=time(10))
    slots = free_slots([berlin], now=NOW, minutes=60, days=14)
    # 09:00 Berlin is 07:00 UTC in summer time, 08:00 UTC from Monday 26 October.
    assert slots[0] == (_utc(2026, 10, 19, 7), _utc(2026, 10, 19, 8))
    assert (_utc(2026, 10, 26, 8), _utc(2026, 10, 26, 9)) in slots
    assert all(s.astimezone(BERLIN).time() == time(9) for s, _e in slots)


def test_a_meeting_longer_than_the_working_day_finds_nothing():
    short_day = Side(user=None, zone=UTC, starts=time(9), ends=time(10))
    assert free_slots([short_day], now=NOW, minutes=90) == []


def test_no_slot_starts_in_the_past():
    now = _utc(2026, 10, 19, 9, 10)
    slots = free_slots([Side(user=None, zone=UTC)], now=now, minutes=30, days=1)
    assert slots[0][0] == _utc(2026, 10, 19, 9, 30)
    assert all(s >= now for s, _e in slots) and slots[-1][1] <= now + timedelta(days=1)
