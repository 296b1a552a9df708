"""A program admin makes an API token and registers a webhook endpoint in the browser, at a
desktop's and a phone's width: the secret is shown once, revoking asks first."""

import os

import pytest
from playwright.sync_api import expect

from api.models import ApiToken, WebhookEndpoint
from tests.browser.conftest import sign_in

SHOTS = os.environ.get("API_SHOTS")  # a folder: screenshots to look at, when set


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_admin_creates_and_revokes_a_token(page, live_server, world, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, world.admin)
    page.goto(f"{live_server.url}/programs/{world.program.slug}/")
    # From the program's admin menu (behind the menu button on a phone).
    toggler = page.get_by_role("button", name="Toggle navigation")
    if toggler.is_visible():
        toggler.click()
    page.get_by_role("button", name="Program A").click()
    page.get_by_role("link", name="API tokens").click()
    _shot(page, f"tokens-empty-{width}")
    page.get_by_label("Name").fill("Faculty affairs dashboard")
    page.get_by_label("In a year").check()
    page.get_by_role("button", name="Create token").click()
    secret = page.get_by_label("Token “Faculty affairs dashboard”").input_value()
    assert secret.startswith("mtk_")
    _shot(page, f"token-created-{width}")
    page.get_by_role("link", name="Done: back to the tokens").click()
    expect(page.get_by_role("cell", name="Faculty affairs dashboard", exact=True)).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(secret)
    _shot(page, f"tokens-list-{width}")
    page.get_by_role("link", name="Revoke Faculty affairs dashboard").click()
    _shot(page, f"token-revoke-{width}")
    page.get_by_role("button", name="Revoke the token").click()
    expect(page.get_by_text("is revoked")).to_be_visible()
    assert ApiToken.objects.get().revoked_at is not None


@pytest.mark.parametrize("width", [1280, 390])
def test_admin_registers_a_webhook_endpoint(page, live_server, world, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, world.admin)
    page.goto(f"{live_server.url}/programs/{world.program.slug}/webhooks/")
    _shot(page, f"webhooks-empty-{width}")
    page.get_by_label("Address").fill("https://127.0.0.1/hooks")
    page.get_by_label("A pairing ended").check()
    page.get_by_role("button", name="Add endpoint").click()
    secret = page.locator("#webhook-secret").input_value()
    assert secret.startswith("whsec_")
    _shot(page, f"webhook-created-{width}")
    page.get_by_role("link", name="Done: to the endpoint").click()
    expect(page.get_by_role("heading", name="https://127.0.0.1/hooks")).to_be_visible()
    _shot(page, f"webhook-detail-{width}")
    assert WebhookEndpoint.objects.get().events == ["dyad.ended"]


def test_the_api_reference_renders_from_our_own_files(page, live_server, world):
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "script" in message.text.lower() and message.type == "error"
            else None
        ),
    )
    page.goto(f"{live_server.url}/api/v1/docs/")
    expect(page.get_by_text("/api/v1/dyads/", exact=True).first).to_be_visible()
    _shot(page, "docs-1280")
    assert not refused, refused
