"""One way to show a moment (mentoring/moments.py): every template formats dates through the
`moments` filters, so a page, a notice and an e-mail read "Sun 6 Dec 2026, 15:00 EST" in the
reader's zone, inside a valid `<time datetime>`."""

import re
import zoneinfo
from datetime import UTC, date, datetime
from pathlib import Path

from django.conf import settings
from django.template import Context, Template
from django.utils import timezone

from mentoring import moments

ROOT = Path(settings.BASE_DIR)
# Any other way a template could turn a date into text.
OTHER_WAYS = re.compile(
    r"\|\s*(date|time|naturaltime|naturalday|timesince|timeuntil)\b|\{%\s*now\b"
)
# A date field printed as it comes (Django's default format, no zone named).
RAW = re.compile(r"\{\{ [\w.]+\.(due|closes|opens|\w+_on|\w+_at|\w+_date)( \}\}|\|default)")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def _templates():
    for base in [ROOT / "templates", *ROOT.glob("*/templates")]:
        if ".venv" in base.parts:
            continue
        yield from (p for p in base.rglob("*") if p.suffix in {".html", ".txt", ".ics", ".xml"})


def test_no_template_formats_a_date_another_way():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}"
        for path in _templates()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if OTHER_WAYS.search(line) or RAW.search(line)
    ]
    assert not found, "format dates with {% load moments %} (|moment, |day):\n" + "\n".join(found)


def test_no_python_formats_a_date_for_people_another_way():
    allowed = {ROOT / "mentoring" / "moments.py"}
    found = [
        str(path.relative_to(ROOT))
        for app in ("mentoring", "programs", "meetings", "goals", "feedback", "reports", "matching")
        for path in (ROOT / app).rglob("*.py")
        if path not in allowed
        and re.search(r"\bdate_format\(|formats\.date_format", path.read_text())
    ]
    assert not found, f"use mentoring.moments for dates people read: {found}"


def test_a_moment_reads_in_the_viewers_zone_with_the_zone_named():
    moment = datetime(2026, 12, 6, 20, 0, 0, 123456, tzinfo=UTC)
    with timezone.override(NEW_YORK):
        html = Template("{% load moments %}{{ m|moment }}").render(Context({"m": moment}))
    assert html == '<time datetime="2026-12-06T15:00:00-05:00">Sun 6 Dec 2026, 15:00 EST</time>'
    with timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        assert moments.moment_text(moment) == "Mon 7 Dec 2026, 05:00 JST"


def test_a_day_and_a_meeting_span():
    with timezone.override(NEW_YORK):
        page = Template(
            "{% load moments %}{{ d|day }} | {% moment_range a b %} | {{ a|day_text }}"
        ).render(
            Context(
                {
                    "d": date(2026, 12, 15),
                    "a": datetime(2026, 12, 6, 20, tzinfo=UTC),
                    "b": datetime(2026, 12, 6, 21, tzinfo=UTC),
                }
            )
        )
    assert page == (
        '<time datetime="2026-12-15">Tue 15 Dec 2026</time> | '
        '<time datetime="2026-12-06T15:00:00-05:00">Sun 6 Dec 2026, 15:00–16:00 EST</time> | '
        "Sun 6 Dec 2026"
    )


def test_a_hostile_value_never_reaches_the_page_unescaped():
    assert Template("{% load moments %}{{ v|moment }}{{ v|day }}").render(Context({"v": ""})) == ""


def test_a_span_made_once_is_still_told_in_each_zone():
    """Span texts are kept once made (per instants, zone and language): another zone gets its own."""
    starts, ends = datetime(2026, 12, 6, 20, tzinfo=UTC), datetime(2026, 12, 7, 1, tzinfo=UTC)
    expected = {
        "America/New_York": "Sun 6 Dec 2026, 15:00–20:00 EST",
        "Asia/Tokyo": "Mon 7 Dec 2026, 05:00–10:00 JST",
        "Europe/Berlin": "Sun 6 Dec 2026, 21:00–Mon 7 Dec 2026, 02:00 CET",
    }
    for _ in range(2):
        for zone, text in expected.items():
            with timezone.override(zoneinfo.ZoneInfo(zone)):
                assert moments.moment_range_text(starts, ends) == text
    assert (
        moments.moment_range_text(starts, ends, zoneinfo.ZoneInfo("Asia/Tokyo"))
        == (expected["Asia/Tokyo"])
    )
