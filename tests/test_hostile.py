"""The hostile world: every text a person can type holds an attack, and nothing runs.

The demo world is seeded, then every free-text column of every feature model (names, titles, agenda
items, notes, goals, milestones, reports, reasons, program names, interests, file names, invitation
names, ...) is overwritten with template syntax, HTML that would act if unescaped, a formula for a
spreadsheet and a line break that would start a new calendar property. Every page each demo person
reaches by links, every e-mail and `.ics` the world sends, and the CSV they download are then read:
the text must come back as text, never as a template that ran, a tag that acts, or a new line of a
calendar.
"""

import csv
import io
import re
from email.mime.base import MIMEBase

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from meetings import services as meeting_services
from meetings.models import Meeting
from mentoring.models import SecurityEvent, User
from programs.invitations import invite_member
from programs.models import Program
from tests.test_crawl import PEOPLE, _crawl

# Template syntax first (a compiled template would print 49, the request, or the debug dump), then
# tags that act when unescaped, then a line break that would start a calendar property of its own.
PAYLOAD = (
    "={{7*7}} {{request.META}} {% debug %} <meta http-equiv=refresh content=0;url=//evil.example/>"
    '<img src=x onerror=alert(1)>"><svg onload=alert(1)>\nX-INJECTED:1'
)
SHORT_PAYLOAD = "={{7*7}}<svg onload=alert(1)>"

# Columns the code writes, not people: secrets, keys, machine codes.
NOT_TYPED = {
    ("mentoring", "user", "password"),
    ("mentoring", "notification", "dedupe_key"),
    ("mentoring", "notification", "url"),
    ("mentoring", "notification", "last_error"),
    ("programs", "invitation", "token_hash"),
    ("programs", "auditentry", "action"),
    ("programs", "auditentry", "target_type"),
    ("meetings", "material", "content_type"),
    ("conversations", "message", "content_type"),
    ("meetings", "calendarfeed", "token_hash"),
    # Encrypted secrets, HTTP validators and a day list the database checks (calendars).
    ("calendars", "connection", "secret_address"),
    ("calendars", "connection", "password_encrypted"),
    ("calendars", "connection", "etag"),
    ("calendars", "connection", "last_modified"),
    ("calendars", "writtenmeeting", "status"),
    ("calendars", "workinghours", "days"),
}
FEATURE_APPS = (
    "mentoring",
    "programs",
    "meetings",
    "goals",
    "feedback",
    "conversations",
    "calendars",
)

# What a template that ran, or a tag that acts, leaves in a page. (An id 49 in an attribute, as in
# `<option value="49">` before a typed title, is not a template that ran.)
LEAKS = re.compile(
    r"HTTP_COOKIE|sessionid|wsgi\.|CSRF_COOKIE|md5\$|pbkdf2_|\b49\b(?!\").{0,3}\{\{|"
    r"<meta http-equiv=refresh|<img src=x|<svg onload|\"><svg",
    re.IGNORECASE,
)


def typed_columns():
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label not in FEATURE_APPS:
            continue
        for field in meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField) or field.choices:
                continue
            if isinstance(field, models.EmailField | models.URLField | models.SlugField):
                continue
            if (meta.app_label, meta.model_name, field.name) in NOT_TYPED:
                continue
            yield model, field


def _fit(field) -> str:
    if field.max_length is None or field.max_length >= len(PAYLOAD) + 10:
        return PAYLOAD
    return SHORT_PAYLOAD[: field.max_length - 4]


def poison_every_typed_column() -> int:
    """Overwrite each free-text column of every row with the payload (plus the row id, so that
    unique columns stay unique; joined by "_", so that a row id of 49 is never read as the 49 of
    a template that ran). Returns how many columns were poisoned."""
    count = 0
    for model, field in typed_columns():
        text = _fit(field)
        if model is SecurityEvent:
            # Append-only: no row changes, so each person gets a new event carrying the payload
            # (what an attacker types as a login, sends as a browser name).
            for user in User.objects.all():
                SecurityEvent.objects.create(
                    kind=SecurityEvent.Kind.SIGN_IN_FAILED,
                    user=user,
                    **{field.name: f"{text}_{user.pk}"},
                )
            count += 1
            continue
        for pk in model.objects.values_list("pk", flat=True):
            model.objects.filter(pk=pk).update(**{field.name: f"{text}_{pk}"})
        count += 1
    return count


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _attachments(message):
    for attachment in message.attachments:
        if isinstance(attachment, MIMEBase):
            content = attachment.get_payload(decode=True) or b""
            yield attachment.get_filename(), content.decode(), attachment.get_content_type()
        else:
            name, content, mimetype = attachment
            text = content.decode() if isinstance(content, bytes) else content
            yield name, text, mimetype or ""


def assert_inert(where: str, text: str, *, html: bool = True) -> None:
    """Nothing of the payload ran: no template output, no tag that acts, no injected line."""
    pattern = LEAKS if html else re.compile(r"HTTP_COOKIE|sessionid|wsgi\.|CSRF_COOKIE|md5\$")
    found = pattern.search(text)
    assert found is None, (
        f"{where}: {found.group(0)!r} in …{text[found.start() - 80 : found.end() + 80]}…"
    )
    assert "'django': <module" not in text and "&#x27;django&#x27;: &lt;module" not in text, where


def assert_calendar_inert(where: str, text: str) -> None:
    lines = text.replace("\r\n ", "").splitlines()  # unfolded
    injected = [line for line in lines if line.startswith("X-INJECTED")]
    assert not injected, f"{where}: the payload started its own calendar line: {injected}"


def assert_csv_inert(where: str, text: str) -> None:
    for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (
                f"{where}: a cell a spreadsheet would run as a formula: {cell[:60]!r}"
            )


@pytest.fixture
def hostile(db):
    call_command("seed_demo", stdout=io.StringIO())
    assert poison_every_typed_column() >= 50
    return {u.email: u for u in User.objects.all()}


def _check_response(url, response):
    kind = response.get("Content-Type", "")
    assert response.status_code != 500, url
    text = _body(response)
    if "text/calendar" in kind:
        assert_calendar_inert(url, text)
        assert_inert(url, text, html=False)
    elif "text/csv" in kind:
        assert_csv_inert(url, text)
        assert_inert(url, text, html=False)
    elif "text/html" in kind:
        assert_inert(url, text)


@pytest.mark.parametrize("email", [person for person, _ in PEOPLE])
def test_every_page_shows_typed_text_as_text(client, hostile, email):
    client.force_login(hostile[email])
    shown = []

    def check(url, response):
        _check_response(url, response)
        if "&lt;svg onload=alert(1)&gt;" in _body(response):
            shown.append(url)

    seen = _crawl(client, on_response=check)
    broken = {url: status for url, status in seen.items() if status != 200}
    assert not broken, f"{email} follows links to pages that answer: {broken}"
    # The payload reached pages (escaped): the check above looked at real user text.
    assert len(shown) >= 3, f"{email}: payload shown on {shown}"


def test_feedback_form_names_the_partner_as_text(client, hostile):
    """The reported hole: the partner's name was compiled as a template in the form's legend."""
    mentee = hostile["mentee@example.com"]
    client.force_login(mentee)
    feedback_request = mentee.feedback_requests.filter(submitted_at__isnull=True).first()
    assert feedback_request is not None
    response = client.get(feedback_request.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert_inert("feedback form", page)
    assert "{{request.META}}" in page  # shown literally, as typed


def test_emails_and_calendar_attachments_carry_text_as_text(client, hostile, settings):
    settings.SITE_URL = "https://mentoring.example.org"
    mail.outbox.clear()
    program = Program.objects.get(slug="pediatrics")
    admin = hostile["admin@example.com"]
    mentee = hostile["mentee@example.com"]
    # Invitations with a hostile name, one by one and as CSV cells of a bulk invite.
    invite_member(
        program=program, by=admin, email="new.one@example.org", role="mentee", name=PAYLOAD[:150]
    )
    client.force_login(admin)
    cells = f'"{PAYLOAD}",csv.person@example.org,mentee\n'
    preview = client.post(f"/programs/{program.slug}/invite/bulk/", {"text": cells})
    assert preview.status_code == 200
    assert_inert("bulk invite preview", preview.content.decode())
    # Meeting mails with their .ics: change a scheduled meeting's place and reason, cancel it.
    meeting = (
        Meeting.objects.filter(
            dyad__mentee=mentee, status=Meeting.Status.SCHEDULED, starts_at__gt=timezone.now()
        )
        .select_related("dyad")
        .first()
    )
    assert meeting is not None
    meeting_services.change_meeting(
        meeting=meeting,
        by=mentee,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        location=PAYLOAD[:190],
        video_url="",
        reason=PAYLOAD[:290],
    )
    meeting_services.cancel_meeting(meeting=meeting, by=mentee, reason=PAYLOAD)
    # Every reminder the world is due.
    call_command("run_reminders", stdout=io.StringIO())
    assert len(mail.outbox) >= 4
    calendars, html_with_payload = 0, 0
    for message in mail.outbox:
        where = f"e-mail {message.subject!r} to {message.to}"
        assert_inert(where, message.subject, html=False)
        assert_inert(where, message.body, html=False)
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                assert_inert(where, content)
                html_with_payload += "&lt;svg onload=alert(1)&gt;" in content
        for name, text, mimetype in _attachments(message):
            if "calendar" in mimetype:
                calendars += 1
                assert_calendar_inert(f"{where} {name}", text)
                assert_inert(f"{where} {name}", text, html=False)
    assert calendars >= 2
    assert html_with_payload >= 3  # the mails did carry the typed text, escaped


def test_members_csv_keeps_formulas_out_of_spreadsheets(client, hostile):
    client.force_login(hostile["admin@example.com"])
    response = client.get("/programs/pediatrics/members.csv")
    assert response.status_code == 200
    text = _body(response)
    assert "{{7*7}}" in text  # the names are in it
    assert_csv_inert("members.csv", text)


def test_security_events_csv_keeps_formulas_out_of_spreadsheets(client, hostile):
    client.force_login(hostile["admin@example.com"])
    response = client.get("/programs/pediatrics/security.csv")
    assert response.status_code == 200
    text = _body(response)
    assert "{{7*7}}" in text  # the typed logins and browser names are in it
    assert_csv_inert("security.csv", text)


def test_the_world_poisons_names_people_see():
    """Guard for the fixture itself: the columns people type the most are in the poisoned set."""
    poisoned = {(m._meta.model_name, f.name) for m, f in typed_columns()}
    for column in [
        ("user", "name"),
        ("program", "name"),
        ("agendaitem", "topic"),
        ("goal", "title"),
        ("milestone", "title"),
        ("progressreport", "accomplishments"),
        ("material", "original_name"),
        ("invitation", "name"),
        ("feedbackresponse", "strengths"),
        ("dyad", "end_note"),
        ("message", "body"),
        ("message", "original_name"),
    ]:
        assert column in poisoned


def test_the_note_of_a_shared_message_reaches_the_admin_as_text(client, hostile):
    """The note a mentee writes when asking the admin about a message: shown escaped on the
    admin's view of the shared message (the demo's mentee2 shared one)."""
    from conversations.models import SharedMessage

    shared = SharedMessage.objects.select_related("message").get()
    assert shared.note.startswith(PAYLOAD) and shared.message.body.startswith(PAYLOAD)
    client.force_login(hostile["admin@example.com"])
    response = client.get(f"/conversations/shared/{shared.pk}/")
    assert response.status_code == 200
    page = _body(response)
    assert_inert("shared message", page)
    assert "&lt;svg onload=alert(1)&gt;" in page and "{{7*7}}" in page
