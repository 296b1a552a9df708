"""The admin's invite form asks for a capacity only when the role is mentor."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_capacity_is_shown_only_while_mentor_is_chosen(page, live_server, world):
    sign_in(page, live_server, world.admin)
    page.goto(live_server.url + reverse("programs:invite", args=[world.program.slug]))
    capacity = page.locator("input[name=capacity]")
    expect(capacity).to_be_hidden()
    page.get_by_label("Role").select_option("mentor")
    expect(capacity).to_be_visible()
    page.get_by_label("Role").select_option("mentee")
    expect(capacity).to_be_hidden()
