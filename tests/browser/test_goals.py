from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _day(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def test_mentee_and_mentor_work_a_goal_through_review_milestones_and_a_report(
    page, live_server, world
):
    plan_url = live_server.url + reverse("goals:plan", args=[world.program.pk, world.mentee.pk])

    # The mentee writes a goal with two milestones.
    sign_in(page, live_server, world.mentee)
    page.goto(plan_url)
    page.get_by_role("link", name="Add a goal").click()
    page.fill("#id_title", "Submit an R03 grant")
    page.select_option("#id_category", "research")
    page.fill("#id_target_date", _day(200))
    page.get_by_role("button", name="Save goal").click()
    expect(page.get_by_role("heading", name="Submit an R03 grant")).to_be_visible()
    goal_url = page.url
    for title, days in (("Draft the aims", 30), ("Send the full draft", 90)):
        page.fill("#id_title", title)
        page.fill("#id_due_date", _day(days))
        page.get_by_role("button", name="Add milestone").click()
        expect(page.get_by_text("Milestone added.")).to_be_visible()

    # The mentor suggests a change.
    sign_in(page, live_server, world.mentor)
    page.goto(goal_url)
    page.get_by_label("Suggest changes").check()
    page.fill("#id_comment", "Aim for an R21 instead: more room for pilot work.")
    page.get_by_role("button", name="Save review").click()
    expect(page.get_by_text("Aim for an R21 instead")).to_be_visible()

    # The mentee revises it; the timeline shows both versions.
    sign_in(page, live_server, world.mentee)
    page.goto(goal_url)
    expect(page.get_by_text("Aim for an R21 instead")).to_be_visible()
    page.get_by_role("link", name="Revise goal").click()
    page.fill("#id_title", "Submit an R21 grant")
    page.get_by_role("button", name="Save changes").click()
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Version 2")
    expect(timeline).to_contain_text("Version 1")
    expect(timeline).to_contain_text("“Submit an R03 grant” → “Submit an R21 grant”")

    # The mentee completes a milestone.
    page.get_by_role("link", name="Mark “Draft the aims” done").click()
    page.fill("#id_evidence", "Aims page sent to my mentor")
    page.get_by_role("button", name="Mark done").click()
    expect(page.locator("#milestones")).to_contain_text("Aims page sent to my mentor")
    expect(page.locator("#milestones")).to_contain_text("1 of 2 done")

    # The mentee submits a report with a barrier.
    page.goto(plan_url)
    page.get_by_role("link", name="Write a progress report").click()
    page.fill("#id_accomplishments", "Finished the specific aims.")
    page.select_option("#id_item-0-kind", "barrier")
    page.fill("#id_item-0-text", "Clinic takes my research afternoons.")
    page.select_option("#id_item-0-goal", label="Submit an R21 grant")
    for state in page.locator("select[name$='-state']").all():  # nothing is chosen in advance
        state.select_option("on_track")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("Report sent.")).to_be_visible()
    report_url = page.url

    # The mentor comments and marks it reviewed.
    sign_in(page, live_server, world.mentor)
    page.goto(report_url)
    expect(page.get_by_text("Clinic takes my research afternoons.")).to_be_visible()
    page.fill("#id_text", "Let's ask your chief for a protected half-day.")
    page.get_by_role("button", name="Add comment").click()
    expect(page.get_by_text("Let's ask your chief for a protected half-day.")).to_be_visible()
    page.get_by_role("button", name="Mark as reviewed").click()
    expect(page.get_by_text("Reviewed by")).to_be_visible()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_plan_prints_with_its_people_and_date_and_without_navigation(
    page, live_server, world, width
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, world.mentor)
    page.goto(live_server.url + reverse("goals:plan", args=[world.program.pk, world.mentee.pk]))
    printed = page.get_by_text("Printed ", exact=False)
    expect(page.get_by_role("button", name="Print")).to_be_visible()  # print.js shows it
    expect(printed).to_be_hidden()  # on screen the date is not needed
    page.evaluate("window.print = () => { window.printCalled = true; }")  # no dialog headless
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.printCalled") is True
    page.emulate_media(media="print")
    expect(printed).to_be_visible()
    expect(page.get_by_text(f"Mentor: {world.mentor}")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Development plan: {world.mentee}")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
