"""Nothing about a pairing happens silently, in the browser: a mentee asks a mentor, the mentor
accepts from the notice, the admin approves from theirs, and both people of the new pair find the
notice in the app and in their e-mail."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from programs.models import Dyad, Membership
from tests.browser.conftest import sign_in
from tests.builders import add_member, make_admin, make_program, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def _as(page, live_server, user) -> None:
    page.context.clear_cookies()
    sign_in(page, live_server, user)
    page.goto(live_server.url + reverse("notifications:list"))


def _open_notice(page, title: str) -> None:
    notice = page.get_by_role("listitem").filter(has_text=title)
    expect(notice).to_be_visible()
    notice.get_by_role("button", name="Open").click()


def test_a_requested_accepted_and_approved_pair_is_told_in_the_app_and_by_mail(
    page, live_server, mailoutbox
):
    program = make_program("Residency Research", slug="residency", requests_need_approval=True)
    admin = make_admin(program, email="admin@r.example", name="Ada Admin")
    mentor = make_user("mentor@r.example", name="Maria Mentor", time_zone="Pacific/Auckland")
    mentee = make_user("mentee@r.example", name="Nia Newcomer")
    add_member(program, mentor, Membership.Role.MENTOR)
    add_member(program, mentee, Membership.Role.MENTEE)

    # The mentee asks.
    sign_in(page, live_server, mentee)
    page.goto(live_server.url + reverse("programs:mentors", args=[program.slug]))
    page.get_by_role("link", name=re.compile("Ask .* to mentor me")).click()
    page.get_by_label("A short note to the mentor").fill("Could you help with my protocol?")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("Your request is on its way")).to_be_visible()

    # The mentor finds the notice, in their zone, and accepts from the page it opens.
    _as(page, live_server, mentor)
    # The notice's date in the mentor's zone: "Asked Tue 8 Dec 2026, 09:00 NZDT."
    expect(
        page.get_by_text(re.compile(r"Asked \w{3} \d+ \w{3} \d{4}, \d\d:\d\d NZDT"))
    ).to_be_visible()
    _open_notice(page, "Nia Newcomer asks you to be their mentor")
    page.get_by_role("button", name=re.compile("^Accept")).click()
    expect(
        page.get_by_text("The program admin approves the pairing before it starts")
    ).to_be_visible()

    # The admin hears a pairing waits, and approves it from the page the notice opens.
    _as(page, live_server, admin)
    _open_notice(page, "approve Nia Newcomer with Maria Mentor")
    expect(page.get_by_role("heading", name="Waiting for your approval")).to_be_visible()
    page.get_by_role("button", name=re.compile("^Approve")).click()
    expect(page.get_by_text("Approved: the dyad is active now.")).to_be_visible()
    dyad = Dyad.objects.get(mentee=mentee, mentor=mentor)
    assert dyad.status == Dyad.Status.ACTIVE

    # Both people find it in the app, and it opens their dyad.
    for person, partner in ((mentee, mentor), (mentor, mentee)):
        _as(page, live_server, person)
        _open_notice(page, f"your pairing with {partner} is approved")
        expect(page.get_by_role("heading", name=f"{mentor} → {mentee}")).to_be_visible()

    # And by e-mail.
    approved = [m for m in mailoutbox if "is approved" in m.subject]
    assert sorted(m.to[0] for m in approved) == [mentee.email, mentor.email]
    assert dyad.get_absolute_url() in approved[0].body
    assert any(
        "asks you to be their mentor" in m.subject for m in mailoutbox if m.to == [mentor.email]
    )
