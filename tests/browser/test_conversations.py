"""A conversation in Chromium: the mentee writes, the mentor sees it arrive without reloading and
replies with a file, the mentee downloads it; the unread badges count and clear.

With SCREENSHOTS=<folder> in the environment, the conversation page is also photographed at
1280 and 390 px (conv-desktop.png, conv-phone.png) for a person to look at."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.builders import make_admin, make_dyad, make_program, make_user
from tests.conversations.builders import write
from tests.meetings.builders import PDF

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _person(browser, live_server, user):
    context = browser.new_context(
        viewport=DESKTOP, locale="en-US", timezone_id="America/New_York", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, user)
    return page


def _nav_badge(page):
    return page.locator("#nav").get_by_role("link", name="Messages").locator(".badge")


def test_mentee_writes_mentor_sees_it_arrive_and_replies_with_a_file(
    browser, live_server, settings
):
    settings.CONVERSATION_POLL_SECONDS = 1  # the page asks every second instead of every 15
    program = make_program("Pediatrics", slug="peds")
    admin = make_admin(program, email="admin@peds.example")
    mentor = make_user("mentor@peds.example", name="Maria Mentor")
    mentee = make_user("mentee@peds.example", name="Sam Mentee")
    dyad = make_dyad(program, mentor=mentor, mentee=mentee, by=admin)
    url = f"{live_server.url}/conversations/{dyad.pk}/"

    # The mentor has the conversation open; the mentee writes.
    mentor_page = _person(browser, live_server, mentor)
    mentor_page.goto(url)
    expect(mentor_page.locator("#no-messages")).to_be_visible()
    mentee_page = _person(browser, live_server, mentee)
    mentee_page.goto(url)
    mentee_page.get_by_label("Message").fill(
        "Could you read my aims page? https://example.org/aims"
    )
    expect(mentee_page.locator("#body-count, #id_body-count")).to_contain_text("of 4000 characters")
    mentee_page.get_by_role("button", name="Send").click()
    expect(mentee_page.locator("#messages")).to_contain_text("Could you read my aims page?")
    mentee_page.goto(live_server.url)  # and goes on elsewhere (an open conversation reads along)

    # It arrives on the mentor's page without a reload; the link is a safe one.
    expect(mentor_page.locator("#messages")).to_contain_text("Could you read my aims page?")
    link = mentor_page.locator("#messages a[href='https://example.org/aims']")
    expect(link).to_have_attribute("rel", "nofollow noopener")

    # The mentor replies with the revised file.
    mentor_page.get_by_label("Message").fill("Here it is with my comments.")
    mentor_page.set_input_files(
        "#id_upload", {"name": "aims-comments.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    mentor_page.get_by_role("button", name="Send").click()
    expect(mentor_page.locator("#messages")).to_contain_text("aims-comments.pdf")

    # The mentee, elsewhere in the app, sees one unread message in the bar and on the card.
    mentee_page.reload()
    expect(_nav_badge(mentee_page)).to_have_text("1 unread")
    card = mentee_page.locator("article.card", has_text="Maria Mentor")
    expect(card.locator(".badge", has_text="unread")).to_have_text("1 unread")
    card.get_by_role("link", name="Messages").click()
    expect(mentee_page.locator("#messages")).to_contain_text("Here it is with my comments.")
    with mentee_page.expect_download() as download:
        mentee_page.get_by_role("link", name="aims-comments.pdf").click()
    assert download.value.suggested_filename == "aims-comments.pdf"
    assert Path(download.value.path()).read_bytes() == PDF

    # Opened, it is read: the badges are gone.
    mentee_page.goto(live_server.url)
    expect(mentee_page.locator("#nav").get_by_role("link", name="Messages")).to_have_text(
        "Messages"
    )
    expect(mentee_page.locator("article.card", has_text="Maria Mentor")).not_to_contain_text(
        "unread"
    )
    _screenshots(mentee_page, url, dyad)


def _screenshots(page, url, dyad):
    folder = os.environ.get("SCREENSHOTS")
    if not folder:
        return
    for n in range(8):
        write(dyad, dyad.mentor if n % 2 else dyad.mentee, f"Message {n}: " + "words " * (n * 6))
    write(dyad, dyad.mentor, "A very long link https://example.org/" + "x" * 120)
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.goto(url)
        page.screenshot(path=str(Path(folder) / f"conv-{name}-opened.png"))  # as it opens
        page.screenshot(path=str(Path(folder) / f"conv-{name}.png"), full_page=True)


def test_mentee_asks_the_admin_about_one_message_and_the_admin_opens_only_it(browser, live_server):
    """The safe channel: the mentee shares one of the mentor's messages with a note; the admin
    finds it on the attention list and opens it, and nothing else of the conversation.

    Screenshots of the share form and the admin's view at 1280 and 390 px go to SCREENSHOTS
    (share-form-*.png, share-admin-*.png) when set."""
    program = make_program("Pediatrics", slug="peds")
    admin = make_admin(program, email="admin@peds.example", name="Ada Admin")
    mentor = make_user("mentor@peds.example", name="Maria Mentor")
    mentee = make_user("mentee@peds.example", name="Sam Mentee")
    dyad = make_dyad(program, mentor=mentor, mentee=mentee, by=admin)
    write(dyad, mentee, "CANARY-browser: my draft is attached in the next one.")
    write(dyad, mentor, "Put my name first on the paper, or I won't sign your K award letter.")

    mentee_page = _person(browser, live_server, mentee)
    mentee_page.goto(f"{live_server.url}/conversations/{dyad.pk}/")
    mentee_page.locator("li.message", has_text="Put my name first").get_by_role(
        "link", name="Ask the program admin"
    ).click()
    expect(mentee_page.get_by_role("heading", level=1)).to_have_text(
        "Ask the program admin about this message"
    )
    mentee_page.get_by_label("Your note to the program's admins").fill(
        "This felt like pressure. What can I do?"
    )
    _shots(mentee_page, "share-form")
    mentee_page.get_by_role("button", name="Share this message with the admins").click()
    expect(mentee_page.locator(".alert")).to_contain_text("Maria Mentor is not told")

    admin_page = _person(browser, live_server, admin)
    admin_page.goto(f"{live_server.url}/feedback/programs/peds/attention/")
    row = admin_page.locator("tr", has_text="A message shared with you")
    expect(row).to_contain_text("Shared by Sam Mentee")
    row.get_by_role("link", name="Open the shared message").click()
    expect(admin_page.locator("main")).to_contain_text("Put my name first on the paper")
    expect(admin_page.locator("main")).to_contain_text("This felt like pressure.")
    expect(admin_page.locator("main")).not_to_contain_text("CANARY-browser")
    _shots(admin_page, "share-admin")


def _shots(page, name):
    folder = os.environ.get("SCREENSHOTS")
    if not folder:
        return
    for size_name, size in (("1280", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(Path(folder) / f"{name}-{size_name}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
