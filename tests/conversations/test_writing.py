"""Writing: plain text within a limit, links that are only links, attachments through the meeting
materials' checks, one's own message changed or deleted within 15 minutes, nothing written once
the pairing ended, and no more than about 30 messages a minute."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from conversations import services
from conversations.models import MAX_LENGTH, Conversation, Message
from conversations.rules import RATE_LIMIT
from conversations.templatetags.conversation_text import linkify
from programs.models import Dyad
from programs.services.dyads import end_dyad
from tests.conversations.builders import write, write_with_pdf
from tests.meetings.builders import PDF, pdf_upload


def _url(dyad):
    return reverse("conversations:detail", args=[dyad.pk])


def test_mentee_writes_and_the_mentor_reads_it(client, world):
    client.force_login(world.mentee)
    response = client.post(_url(world.dyad), {"body": "Could you read my aims page?"})
    assert response.status_code == 302
    message = Message.objects.get()
    assert (message.author, message.body) == (world.mentee, "Could you read my aims page?")
    client.force_login(world.mentor)
    assert "Could you read my aims page?" in client.get(_url(world.dyad)).content.decode()


def test_an_empty_message_is_refused_with_a_message(client, world):
    client.force_login(world.mentee)
    page = client.post(_url(world.dyad), {"body": "   \n  "}).content.decode()
    assert "an empty message is not sent" in page
    assert not Message.objects.exists()


def test_a_message_over_the_limit_is_refused_not_cut(client, world):
    client.force_login(world.mentee)
    page = client.post(_url(world.dyad), {"body": "x" * 10_000}).content.decode()
    assert f"at most {MAX_LENGTH} characters (it has 10000)" in page
    assert 'maxlength="4000"' in page  # the counter's limit (static/js/app.js)
    assert not Message.objects.exists()


def test_the_database_refuses_an_overlong_message_too(world):
    conversation = Conversation.objects.create(dyad=world.dyad)
    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.create(conversation=conversation, author=world.mentee, body="x" * 4001)
    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.create(conversation=conversation, author=world.mentee, body="")


def test_links_are_clickable_only_for_http_and_https():
    html = str(
        linkify(
            "See https://example.org/a?b=1&c=<2>. Or javascript:alert(1) and "
            "data:text/html,<b>x</b> and ftp://example.org/f."
        )
    )
    assert (
        '<a href="https://example.org/a?b=1&amp;c=" rel="nofollow noopener" target="_blank">'
        in html
    )
    assert "&lt;2&gt;." in html  # the rest of the sentence stays text
    assert html.count("<a ") == 1
    assert "javascript:alert(1)" in html and "&lt;b&gt;x&lt;/b&gt;" in html


def test_a_link_keeps_its_sentences_full_stop_outside():
    html = str(linkify("Read (https://example.org/page_(x)) now: https://example.org/b."))
    assert 'href="https://example.org/page_(x)"' in html
    assert 'href="https://example.org/b"' in html


def test_hostile_text_is_shown_as_text(client, world):
    hostile = '{{ 7|add:42 }} {% debug %} <script>alert(1)</script> =HYPERLINK("x") \u202etxt.exe'
    write(world.dyad, world.mentee, hostile)
    client.force_login(world.mentor)
    page = client.get(_url(world.dyad)).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "{{ 7|add:42 }}" in page and "{% debug %}" in page
    assert 'dir="auto">' in page  # the direction override stays inside its message


def test_control_characters_are_dropped_and_nul_never_reaches_the_database(client, world):
    client.force_login(world.mentee)
    assert client.post(_url(world.dyad), {"body": "a\x00b\x07c"}).status_code == 200
    write(world.dyad, world.mentee, "a\x07b\r\nc")
    assert Message.objects.get().body == "ab\nc"


def test_an_attachment_is_checked_like_a_meeting_material(client, world):
    client.force_login(world.mentee)
    renamed = pdf_upload("photo.png")
    page = client.post(_url(world.dyad), {"body": "", "upload": renamed}).content.decode()
    assert "do not match its name" in page
    exe = pdf_upload("tool.pdf", content=b"MZ\x90\x00 not a pdf")
    page = client.post(_url(world.dyad), {"upload": exe}).content.decode()
    assert "is not a PDF, Word, Excel, PowerPoint or image file" in page
    assert not Message.objects.exists()
    assert client.post(_url(world.dyad), {"upload": pdf_upload("aims.pdf")}).status_code == 302
    message = Message.objects.get()
    assert (message.original_name, message.content_type) == ("aims.pdf", "application/pdf")


def test_an_attachment_over_the_size_limit_is_refused(world):
    with pytest.raises(ValidationError, match="the limit is"):
        services.send_message(dyad=world.dyad, by=world.mentee, upload=pdf_upload(), max_bytes=10)


def test_a_disguised_file_name_loses_its_direction_override(world):
    message = write_with_pdf(world.dyad, world.mentee, name="invoice\u202egnp.pdf")
    assert message.original_name == "invoicegnp.pdf"


def test_the_partner_downloads_an_attachment_as_a_file_never_as_a_page(client, world):
    message = write_with_pdf(world.dyad, world.mentee)
    client.force_login(world.mentor)
    response = client.get(reverse("conversations:attachment", args=[message.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_author_edits_within_15_minutes_and_it_shows_edited(client, world):
    message = write(world.dyad, world.mentee, "Monday?")
    client.force_login(world.mentee)
    url = reverse("conversations:edit", args=[message.pk])
    assert client.post(url, {"body": "Tuesday?"}).status_code == 302
    message.refresh_from_db()
    assert message.body == "Tuesday?" and message.is_edited
    client.force_login(world.mentor)
    assert "edited" in client.get(_url(world.dyad)).content.decode()


def test_after_15_minutes_a_message_stays(client, world):
    message = write(world.dyad, world.mentee, "Monday?")
    client.force_login(world.mentee)
    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        page = client.get(_url(world.dyad)).content.decode()
        assert reverse("conversations:edit", args=[message.pk]) not in page
        assert reverse("conversations:delete", args=[message.pk]) not in page
        client.post(reverse("conversations:edit", args=[message.pk]), {"body": "Tuesday?"})
        client.post(reverse("conversations:delete", args=[message.pk]))
    message.refresh_from_db()
    assert message.body == "Monday?" and not message.is_edited


def test_author_deletes_within_15_minutes_with_the_attachment(
    client, world, django_capture_on_commit_callbacks
):
    message = write_with_pdf(world.dyad, world.mentee)
    stored = message.file.name
    storage = message.file.storage
    client.force_login(world.mentee)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("conversations:delete", args=[message.pk]))
    assert response.status_code == 302
    assert not Message.objects.exists()
    assert not storage.exists(stored)


def test_the_partner_may_not_edit_or_delete_someone_elses_message(client, world):
    message = write(world.dyad, world.mentee, "mine")
    client.force_login(world.mentor)
    assert (
        client.post(reverse("conversations:edit", args=[message.pk]), {"body": "x"}).status_code
        == 403
    )
    assert client.post(reverse("conversations:delete", args=[message.pk])).status_code == 403
    assert Message.objects.get().body == "mine"


def test_a_former_partner_reads_but_cannot_write(client, world):
    write(world.dyad, world.mentee, "before the end")
    end_dyad(dyad=world.dyad, by=world.admin, reason=Dyad.EndReason.GOALS_MET)
    client.force_login(world.mentor)
    page = client.get(_url(world.dyad)).content.decode()
    assert "before the end" in page
    assert "This pairing has ended" in page and 'id="compose"' not in page
    page = client.post(_url(world.dyad), {"body": "after the end"}).content.decode()
    assert "no longer write here" in page
    assert Message.objects.count() == 1


def test_about_30_messages_a_minute_then_a_clear_message(client, world):
    client.force_login(world.mentee)
    # Within one minute whatever the machine's speed: the counter is per minute, and 31 posts on
    # a busy machine could straddle the turn of a minute.
    with time_machine.travel(timezone.now().replace(second=5), tick=False):
        for n in range(RATE_LIMIT):
            assert client.post(_url(world.dyad), {"body": f"spam {n}"}).status_code == 302
        response = client.post(_url(world.dyad), {"body": "one too many"})
    assert response.status_code == 429
    assert "wait a minute, then send this one again" in response.content.decode()
    assert Message.objects.count() == RATE_LIMIT
    with time_machine.travel(timezone.now() + timedelta(minutes=2), tick=False):
        assert client.post(_url(world.dyad), {"body": "later"}).status_code == 302
