import pytest
from playwright.sync_api import expect

from programs import demo
from tests.browser.conftest import sign_in_with_form

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("email", "heading"),
    [
        ("admin@example.com", "Pediatrics Faculty Mentoring"),
        ("mentor@example.com", "My mentees"),
        ("mentee@example.com", "My mentors"),
    ],
)
def test_demo_person_signs_in_and_sees_home(page, live_server, email, heading):
    demo.seed()
    sign_in_with_form(page, live_server, email, demo.DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    expect(page.get_by_text(heading).first).to_be_visible()


def test_wrong_password_is_refused_with_a_message(page, live_server):
    demo.seed()
    sign_in_with_form(page, live_server, "mentee@example.com", "not-the-password")
    expect(page.get_by_text("not correct")).to_be_visible()
    assert page.url.endswith("/accounts/login/")
