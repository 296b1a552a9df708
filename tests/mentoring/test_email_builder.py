"""One way to build an e-mail: subject, text and HTML on the base e-mail template, in the
recipient's zone, links absolute from SITE_URL, attachments optional."""

import random
import re
import string
import zoneinfo
from datetime import UTC, datetime
from email.mime.text import MIMEText
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from mentoring import emails
from mentoring.emails import absolute, build_email, site_link

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
            if re.search(
                r"(?<!class )\b(EmailMultiAlternatives|EmailMessage|Email)\(", path.read_text()
            ):
                builders.append(str(path.relative_to(ROOT)))
    assert builders == ["mentoring/emails.py"]


BOUNDARY = re.compile(rb"={15}\d{19}==(\.\d+)?")


def _message_with_everything():
    ics = MIMEText("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "calendar", "utf-8")
    ics.add_header("Content-Disposition", "attachment", filename="meeting.ics")
    long_title = "Réunion demain avec Zoë Ångström — " + "très " * 30  # non-ASCII, folded
    return build_email(
        to="Zoë <zoe@example.org>",
        template="emails/reminder",
        context={
            "notification": type("N", (), {"title": long_title, "body": "x" * 1200, "kind": "x"})(),
            "recipient": type("R", (), {"get_short_name": "Zoë"})(),
            "link": absolute("/meetings/1/"),
        },
        attachments=[ics],
        headers={
            "Date": "Mon, 07 Dec 2026 12:00:00 -0000",
            "Message-ID": "<notice-1-abc@mentoring.example.org>",
            "X-Mentoring-Notice": "meeting_tomorrow:1:meetings.meeting:1:2026-12-08T09:00:00+00:00",
        },
    )


def test_a_message_goes_out_byte_for_byte_as_django_makes_it_but_for_the_boundary_tokens():
    message = _message_with_everything()
    for linesep in ("\n", "\r\n"):  # the file backend's and SMTP's
        ours = message.message().as_bytes(linesep=linesep)
        djangos = EmailMultiAlternatives.message(message).as_bytes(linesep=linesep)
        assert BOUNDARY.sub(b"B", ours) == BOUNDARY.sub(b"B", djangos)
        assert len({m.group() for m in BOUNDARY.finditer(ours)}) == 2  # mixed, alternative


def test_a_boundary_found_in_the_message_is_drawn_again(monkeypatch):
    taken, fresh = 1234567890123456789, 42
    message = build_email(
        to="person@example.org",
        template="emails/reminder",
        context={
            "notification": type(
                "N", (), {"title": "t", "body": f"--{'=' * 15}{taken:019d}==", "kind": "x"}
            )(),
            "recipient": type("R", (), {"get_short_name": "Sam"})(),
        },
    )
    draws = iter([taken, fresh])
    monkeypatch.setattr(emails.random, "randrange", lambda _top: next(draws))
    mime = message.message()
    assert mime.get_boundary() == f"{'=' * 15}{fresh:019d}=="


def test_site_links_follow_the_site_address(settings):
    settings.SITE_URL = "https://one.example.org"
    assert site_link("notifications:list") == "https://one.example.org/notifications/"
    settings.SITE_URL = "https://two.example.org"
    assert site_link("notifications:list") == "https://two.example.org/notifications/"


def test_every_header_is_folded_as_compat32_folds_it():
    """Headers that fit one line skip email.header.Header; each must come out as compat32 makes
    it, at the line's length limit and past it, with white space, tabs, encoded-word lookalikes,
    non-ASCII and control characters (which still take the stdlib's way)."""
    from email.policy import compat32

    rng = random.Random(7)
    alphabet = string.ascii_letters + string.digits + " \t<>@.,;:=?-_[]()\"'/\\é\x01"
    values = ["", " ", "x", " padded ", "=?utf-8?q?x?=", "a\tb", "Zoë", "a  b"]
    values += ["y" * n for n in range(60, 90)]
    values += [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 100))) for _ in range(3000)
    ]
    names = ["Subject", "To", "Message-ID", "X-Mentoring-Notice", "Content-Type"]
    for linesep in ("\n", "\r\n"):
        ours, theirs = (
            emails._ONE_LINE_FOLDING.clone(linesep=linesep),
            compat32.clone(linesep=linesep),
        )
        for value in values:
            for name in names:
                assert ours.fold_binary(name, value) == theirs.fold_binary(name, value), (
                    name,
                    value,
                )
