"""Trends: 12 months counted in SQL, drawn as accessible SVG with the numbers in a table."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils.html import escape

from meetings import services as meeting_services
from meetings.models import Meeting
from programs.models import Dyad
from programs.services.dyads import end_dyad
from tests.builders import make_dyad
from tests.meetings.builders import schedule
from tests.reminders.conftest import at

pytestmark = pytest.mark.django_db

NOW = at(2027, 3, 15, 12)


@pytest.fixture
def history(world):
    """In January 2027: one meeting held, one missed, one cancelled; a dyad started and one ended
    for poor fit."""
    with time_machine.travel(at(2027, 1, 5, 9), tick=False):
        fresh = make_dyad(world.program, by=world.admin)
        held = schedule(world.dyad, starts_at=at(2027, 1, 10, 15))
        missed = schedule(world.other_dyad, starts_at=at(2027, 1, 11, 15))
        cancelled = schedule(world.dyad, starts_at=at(2027, 1, 20, 15))
    with time_machine.travel(at(2027, 1, 12, 9), tick=False):
        meeting_services.mark_meeting(meeting=held, by=world.mentor, outcome=Meeting.Status.HELD)
        meeting_services.mark_meeting(
            meeting=missed, by=world.other_mentor, outcome=Meeting.Status.MISSED
        )
        meeting_services.cancel_meeting(meeting=cancelled, by=world.mentee, reason="Ill")
        end_dyad(dyad=world.other_dyad, by=world.admin, reason=Dyad.EndReason.POOR_FIT)
    return fresh


def _trends(client, world):
    with time_machine.travel(NOW, tick=False):
        client.force_login(world.admin)
        return client.get(reverse("reports:trends", args=[world.program.slug]))


def test_each_month_counts_what_happened_in_it(client, world, history):
    page = _trends(client, world)
    trends = page.context["trends"]
    assert [m.isoformat() for m in trends.months][-3:] == ["2027-01-01", "2027-02-01", "2027-03-01"]
    january = dict(trends.chart("meetings").rows)["2027-01"]
    assert january == [1, 1, 1]  # held, missed, cancelled
    dyads = trends.chart("dyads")
    names = [s.name for s in dyads.series]
    row = dict(dyads.rows)["2027-01"]
    assert row[names.index("Ended: Poor fit")] == 1
    assert row[names.index("Started")] >= 1
    assert trends.totals["dyads_ended_poor_fit"] == 1
    assert dict(dyads.rows)["2027-02"] == [0] * len(names)


def test_every_chart_is_an_accessible_svg_with_its_numbers_in_a_table(client, world, history):
    page = _trends(client, world)
    html = page.text
    for chart in page.context["trends"].charts:
        assert f'aria-labelledby="chart-{chart.key}-title chart-{chart.key}-desc"' in html
        assert f'<title id="chart-{chart.key}-title">{escape(chart.title)}</title>' in html
        assert f'<desc id="chart-{chart.key}-desc">{escape(chart.description)}' in html
        assert (
            f'<caption class="visually-hidden">{escape(chart.title)}: the numbers</caption>' in html
        )
        assert chart.description.startswith(("Counts", "The median", "The share", "For each"))
    assert html.count("<svg class=") == len(page.context["trends"].charts)
    # Nothing the CSP would block: no inline script, no style attribute, no <style>.
    assert "<script>" not in html and " style=" not in html and "<style" not in html


def test_the_annual_report_fits_the_trends_and_prints(client, world, history):
    with time_machine.travel(NOW, tick=False):
        client.force_login(world.admin)
        page = client.get(reverse("reports:annual", args=[world.program.slug]))
    assert page.context["trends"].totals["meetings_held"] == 1
    assert "reports.css" in page.text and 'class="annual-report"' in page.text
    assert 'id="annual-feedback">' in page.text


def test_a_program_without_history_shows_zero_not_an_error(client, world):
    page = _trends(client, world)
    assert page.status_code == 200
    trends = page.context["trends"]
    for key in ("meetings", "milestones", "reports", "materials", "turnaround", "feedback"):
        assert all(v in (0, None) for _label, values in trends.chart(key).rows for v in values)
    assert "No cycle" in page.text


def test_an_admin_of_another_program_gets_404_on_every_report(client, world):
    client.force_login(world.outsider_admin)
    slug = world.program.slug
    urls = [
        reverse("reports:trends", args=[slug]),
        reverse("reports:annual", args=[slug]),
        reverse("reports:exports", args=[slug]),
        reverse("reports:mentor_load", args=[slug]),
        *[
            reverse("reports:export_csv", args=[slug, k])
            for k in ("dyads", "meetings", "goals", "feedback", "mentor-load")
        ],
        *[
            reverse("reports:list", args=[slug, k])
            for k in ("needs-mentor", "upcoming", "materials", "milestones")
        ],
        *[
            reverse("reports:list_csv", args=[slug, k])
            for k in ("needs-mentor", "upcoming", "materials", "milestones")
        ],
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    # Their own department view shows only their program.
    page = client.get(reverse("reports:department"))
    assert [o.program for o in page.context["overviews"]] == [world.program_b]


def test_unknown_lists_and_exports_answer_404(client, world):
    client.force_login(world.admin)
    assert client.get(reverse("reports:list", args=[world.program.slug, "nope"])).status_code == 404
    assert (
        client.get(reverse("reports:export_csv", args=[world.program.slug, "nope"])).status_code
        == 404
    )


def test_a_mentor_who_administers_nothing_gets_404_on_the_department_view(client, world):
    client.force_login(world.mentor)
    assert client.get(reverse("reports:department")).status_code == 404


def test_meetings_cancelled_count_in_the_month_they_were_cancelled(client, world):
    with time_machine.travel(at(2027, 1, 28, 9), tick=False):
        meeting = schedule(world.dyad, starts_at=at(2027, 2, 10, 15))
        meeting_services.cancel_meeting(meeting=meeting, by=world.mentee, reason="Away")
    rows = dict(_trends(client, world).context["trends"].chart("meetings").rows)
    assert rows["2027-01"] == [0, 0, 1] and rows["2027-02"] == [0, 0, 0]


def _material(world, *, shared, reviewed, review_by):
    with time_machine.travel(shared, tick=False):
        meeting = schedule(world.dyad, starts_at=shared + timedelta(days=5))
        material = meeting_services.attach_material(
            meeting=meeting,
            by=world.mentee,
            title="Aims",
            link="https://example.org/aims",
            review_by=review_by,
            max_bytes=10_000_000,
        )
    with time_machine.travel(reviewed, tick=False):
        meeting_services.review_material(material=material, by=world.mentor, comment="Done")


def test_material_turnaround_is_the_months_median_and_late_reviews_are_counted(client, world):
    # February: reviewed after 2, 4 and 9 days (median 4); the 9-day one after its review-by date.
    for days, review_by in ((2, 10), (4, 10), (9, 5)):
        shared = at(2027, 2, 1, 9)
        _material(
            world,
            shared=shared,
            reviewed=shared + timedelta(days=days),
            review_by=(shared + timedelta(days=review_by)).date(),
        )
    trends = _trends(client, world).context["trends"]
    assert dict(trends.chart("turnaround").rows)["2027-02"] == [4.0]
    assert dict(trends.chart("turnaround").rows)["2027-01"] == [None]
    assert dict(trends.chart("materials").rows)["2027-02"] == [3, 1]  # reviewed, late
    assert dict(trends.chart("late_share").rows)["2027-02"] == [33]  # 1 of 3, in per cent
    assert dict(trends.chart("late_share").rows)["2027-01"] == [0]


def test_charts_scale_to_the_screen_and_the_tables_hold_every_month(client, world, history):
    page = _trends(client, world)
    html, charts = page.text, page.context["trends"].charts
    # The SVG is as wide as its column: a viewBox and width 100%, no sideways-scrolling box.
    assert html.count('width="100%" viewBox="0 0 ') == len(charts)
    assert "chart-scroll" not in html
    css = (Path(settings.BASE_DIR) / "static/css/reports.css").read_text()
    assert not re.search(r"svg[^{]*\{[^}]*min-width:\s*[1-9]", css)
    # The numbers scroll inside their card, each monthly table with a short head per month of
    # the window, April 2026 to March 2027 (the screen showed "Jan 2026" heads to June).
    assert html.count('<div class="table-responsive report-numbers">') == len(charts)
    heads = re.findall(
        r'<th scope="col" class="text-end">(\w{3}) <span class="([^"]+)">(\d{4})<', html
    )
    months = [month for month, _cls, _year in heads[:12]]
    assert " ".join(months) == "Apr May Jun Jul Aug Sep Oct Nov Dec Jan Feb Mar"
    shown_years = [(m, y) for m, cls, y in heads[:12] if "visually-hidden" not in cls]
    assert shown_years == [("Apr", "2026"), ("Jan", "2027")]


def test_month_heads_are_in_the_viewers_language_and_the_data_keys_are_not(client, world, history):
    from django.utils import translation

    from reports.trends import month_shown

    world.admin.language = "fr"
    world.admin.save()
    html = _trends(client, world).text
    with translation.override("fr"):
        french = [month_shown(f"2026-{m:02}")[0] for m in range(4, 13)]
    with translation.override("en"):
        english = [month_shown(f"2026-{m:02}")[0] for m in range(4, 13)]
    assert french != english  # Avr, Mai, Jui… against Apr, May, Jun…
    heads = re.findall(
        r'<th scope="col" class="text-end">([^<]+) <span class="([^"]+)">(\d{4})<', html
    )
    assert [month for month, _cls, _year in heads[:9]] == french
    # The year still shows under the first month and under January.
    assert [year for _m, cls, year in heads[:12] if "visually-hidden" not in cls] == [
        "2026",
        "2027",
    ]
    # Under the bars too, and in each bar's title.
    assert f">{french[0]}</text>" in html and f">{english[0]}</text>" not in html
    with translation.override("fr"):
        january = " ".join(month_shown("2027-01"))  # janv. 2027
    assert f"<title>{january}, " in html and "<title>2027-01" not in html  # a bar of January


def test_the_api_gives_month_keys_whatever_language_it_is_asked_in(client, world, history):
    from api.services import create_token

    _token, secret = create_token(
        programs=[world.program], by=world.admin, name="Dashboard", expires_at=None
    )
    url = f"/api/v1/programs/{world.program.pk}/overview/"
    answers = []
    for language in ("en", "fr", "es"):
        with time_machine.travel(NOW, tick=False):
            response = client.get(
                url, HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_ACCEPT_LANGUAGE=language
            )
        assert response.status_code == 200
        answers.append(response.json())
    monthly = next(c for c in answers[0]["trends"] if c["key"] == "meetings")
    assert monthly["labels"] == [f"2026-{m:02}" for m in range(4, 13)] + [
        "2027-01",
        "2027-02",
        "2027-03",
    ]
    for answer in answers[1:]:
        chart = next(c for c in answer["trends"] if c["key"] == "meetings")
        assert chart["labels"] == monthly["labels"]
