"""One way to build an e-mail: subject, text and HTML on the base e-mail template, in the
recipient's zone, links absolute from SITE_URL, attachments optional."""

import re
import zoneinfo
from datetime import UTC, datetime
from email.mime.text import MIMEText
from pathlib import Path

from django.conf import settings

from mentoring.emails import absolute, build_email

ROOT = Path(settings.BASE_DIR)


def test_a_message_has_subject_text_html_on_the_base_template_and_attachments(settings):
    settings.SITE_URL = "https://mentoring.example.org"
    ics = MIMEText("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "calendar", "utf-8")
    message = build_email(
        to="person@example.org",
        template="emails/reminder",
        context={
            "notification": type("N", (), {"title": "Time to meet", "body": "", "kind": "x"})(),
            "recipient": type("R", (), {"get_short_name": "Sam"})(),
            "link": absolute("/meetings/1/"),
            "inbox_link": absolute("/notifications/"),
            "preferences_link": absolute("/notifications/preferences/"),
        },
        attachments=[ics],
    )
    assert message.subject == "[Mentoring] Time to meet"
    assert "Hello Sam" in message.body
    html = message.alternatives[0][0]
    assert html.startswith("<!doctype html>")
    assert 'href="https://mentoring.example.org/meetings/1/"' in html
    assert message.attachments == [ics]


def test_dates_render_in_the_zone_given():
    moment = datetime(2027, 3, 1, 14, 0, tzinfo=UTC)
    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    message = build_email(
        to="person@example.org",
        template="emails/reminder",
        context={
            "notification": type("N", (), {"title": moment, "body": "", "kind": "x"})(),
            "recipient": type("R", (), {"get_short_name": "Sam"})(),
        },
        zone=tokyo,
    )
    assert message.subject == "[Mentoring] March 1, 2027, 11 p.m."  # 14:00 UTC in Tokyo


def test_absolute_keeps_addresses_and_prefixes_paths(settings):
    settings.SITE_URL = "https://m.example.org"
    assert absolute("/goals/") == "https://m.example.org/goals/"
    assert absolute("https://elsewhere.example/x") == "https://elsewhere.example/x"
    assert absolute("") == ""


def test_every_html_email_extends_the_base_template():
    for path in (ROOT / "templates" / "emails").glob("*-body.html"):
        assert path.read_text().startswith('{% extends "emails/base.html" %}'), path.name


def test_messages_are_built_in_one_place():
    builders = []
    for app in ("mentoring", "programs", "meetings", "goals", "feedback"):
        for path in (ROOT / app).rglob("*.py"):
            if re.search(r"EmailMultiAlternatives\(|EmailMessage\(", path.read_text()):
                builders.append(str(path.relative_to(ROOT)))
    assert builders == ["mentoring/emails.py"]
