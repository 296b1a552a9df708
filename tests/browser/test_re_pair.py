"""The demo admin re-pairs a mentee in the browser, and the mentee sees the new mentor at home."""

import pytest
from playwright.sync_api import expect

from programs import demo
from programs.models import Dyad
from tests.browser.conftest import sign_in_with_form

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_re_pairs_the_demo_mentee_for_poor_fit(page, live_server):
    world = demo.seed()
    mentee, old_mentor, new_mentor = world["mentee"], world["mentor"], world["mentor2"]
    old = Dyad.objects.get(mentee=mentee, mentor=old_mentor, status=Dyad.Status.ACTIVE)
    ended_before = Dyad.objects.filter(status=Dyad.Status.ENDED).count()

    sign_in_with_form(page, live_server, "admin@example.com", demo.DEMO_PASSWORD)
    page.get_by_role("link", name="Manage").first.click()
    expect(page.get_by_role("heading", name="Pediatrics Faculty Mentoring")).to_be_visible()
    page.get_by_role("link", name=f"Open the dyad {old}").click()
    expect(page.get_by_role("heading", name=f"{old_mentor} → {mentee}")).to_be_visible()
    page.get_by_role("link", name="Re-pair with another mentor").click()

    expect(page.get_by_role("heading", name=f"Re-pair {mentee}")).to_be_visible()
    page.get_by_role("radio", name=str(new_mentor)).check()  # a ranked suggestion
    expect(page.get_by_label("Poor fit")).to_be_checked()  # proposed for a re-pairing
    page.get_by_role("button", name="Re-pair").click()

    expect(page.get_by_role("heading", name=f"{new_mentor} → {mentee}")).to_be_visible()
    expect(page.get_by_text("The previous dyad stays readable")).to_be_visible()
    page.get_by_role("link", name=f"the dyad with {old_mentor}").click()
    expect(page.locator(".badge", has_text="Ended")).to_be_visible()
    expect(page.get_by_role("definition").filter(has_text="Poor fit")).to_be_visible()

    old.refresh_from_db()
    assert (old.status, old.end_reason) == (Dyad.Status.ENDED, Dyad.EndReason.POOR_FIT)
    new = Dyad.objects.get(mentee=mentee, status=Dyad.Status.ACTIVE, kind=Dyad.Kind.PRIMARY)
    assert new.mentor == new_mentor and new.replaces == old
    # Nothing else ended on the way.
    assert Dyad.objects.filter(status=Dyad.Status.ENDED).count() == ended_before + 1

    page.get_by_role("button", name="Sign out").click()
    sign_in_with_form(page, live_server, "mentee@example.com", demo.DEMO_PASSWORD)
    mentors = page.get_by_role("region", name="My mentors")
    expect(mentors.get_by_role("link", name=str(new_mentor))).to_be_visible()
    expect(mentors.get_by_role("link", name=str(old_mentor))).to_have_count(0)
