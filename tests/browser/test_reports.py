"""The demo admin reads the overview, follows a tile to its list, downloads it and an export as
CSV, and opens the Reports menu with the keyboard."""

import csv
import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from programs import demo
from programs.models import Program
from tests.browser.conftest import sign_in_with_form

pytestmark = pytest.mark.django_db(transaction=True)


def _download(page, link) -> tuple[list[str], list[list[str]]]:
    with page.expect_download() as info:
        link.click()
    with open(info.value.path(), "rb") as downloaded:
        body = downloaded.read()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    return rows[0], rows[1:]


def test_admin_follows_a_tile_and_downloads_its_list_and_an_export(page, live_server):
    call_command("seed_demo", stdout=io.StringIO())
    program = Program.objects.get(slug="pediatrics")
    sign_in_with_form(page, live_server, "admin@example.com", demo.DEMO_PASSWORD)
    page.goto(f"{live_server.url}{program.get_absolute_url()}")
    overview = page.get_by_role("region", name="Overview")
    tile = overview.get_by_role("link", name="Milestones overdue")
    count = int(tile.locator(".fs-4").text_content())
    assert count >= 1  # the demo mentee has one
    tile.click()

    expect(page.get_by_role("heading", name="Milestones overdue")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(count)
    header, rows = _download(page, page.get_by_role("link", name="Download this list (CSV)"))
    assert header == ["milestone_id", "milestone", "mentee", "due_date"]
    assert len(rows) == count

    page.goto(f"{live_server.url}{program.get_absolute_url()}")
    menu = page.get_by_role("button", name="Reports")
    menu.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="CSV exports")).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="CSV exports")).to_be_visible()
    header, rows = _download(page, page.get_by_role("link", name="Download Meetings (CSV)"))
    assert header[:3] == ["meeting_id", "dyad_id", "mentee"]
    assert rows, "the demo has meetings"


def test_trends_draw_charts_with_their_numbers_on_a_phone(page, live_server):
    call_command("seed_demo", stdout=io.StringIO())
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in_with_form(page, live_server, "admin@example.com", demo.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/reports/programs/pediatrics/trends/")
    chart = page.get_by_role("img", name="Meetings held, missed and cancelled, per month")
    expect(chart).to_be_visible()
    expect(
        page.get_by_role(
            "table", name="Meetings held, missed and cancelled, per month: the numbers"
        )
    ).to_be_attached()
    # Nothing sticks out of a phone's width but the tables, which scroll in their own box.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390


def _box(locator) -> dict:
    return locator.evaluate(
        "e => { const r = e.getBoundingClientRect(); return {left: r.left, right: r.right}; }"
    )


def _months_in_sight(page, table) -> list[str]:
    """The month heads of a table that show inside its scroll box, without scrolling."""
    return table.evaluate(
        """t => { const box = t.closest('.table-responsive').getBoundingClientRect();
        return [...t.querySelectorAll('thead th[scope=col]')].filter(th => {
          const r = th.getBoundingClientRect();
          return r.left >= box.left - 1 && r.right <= box.right + 1;
        }).map(th => th.textContent.replace(/\\s+/g, ' ').trim()); }"""
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_trends_open_on_the_latest_months_at_any_width(page, live_server, width):
    call_command("seed_demo", stdout=io.StringIO())
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_with_form(page, live_server, "admin@example.com", demo.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/reports/programs/pediatrics/trends/")
    page.wait_for_load_state("load")
    name = "Meetings held, missed and cancelled, per month"
    chart = page.get_by_role("img", name=name)
    # The chart scales to the screen: all 12 months in sight, nothing to scroll sideways.
    assert _box(chart)["right"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    table = page.get_by_role("table", name=f"{name}: the numbers")
    months = _months_in_sight(page, table)
    this_month = page.evaluate(
        "new Date().toLocaleString('en-US', {month: 'short', timeZone: 'UTC'})"
    )
    assert any(m.startswith(this_month) for m in months), months  # the latest month first
    if width >= 1200:  # a desktop shows every month of the window and the total
        assert len(months) == 1 + 12 + 1, months  # the series' names, 12 months, the total
