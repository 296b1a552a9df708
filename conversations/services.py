"""Writes of the conversations app: one function per thing a person does.

Attachments go through the meeting materials' checks (`meetings.files.check_upload`: the real
type read from the bytes, the size limit); nothing of them is copied here.
"""

import time
import unicodedata

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from conversations import rules
from conversations.models import (
    MAX_LENGTH,
    NOTE_MAX_LENGTH,
    Conversation,
    Message,
    SharedMessage,
    read_field,
)
from conversations.reminders import MESSAGE_SHARED
from conversations.signals import message_shared
from meetings.files import check_upload, content_type_of
from mentoring.access import require
from mentoring.addresses import address
from mentoring.languages import later
from mentoring.notices.dispatch import notify
from mentoring.notices.planning import Occasion
from programs.models import Dyad
from programs.selectors import program_admins

# Characters that change the direction of the text after them (RLO, LRO, the isolates): in a file
# name they disguise its ending ("invoice<RLO>fdp.exe"); names keep none of them.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def clean_text(body: str) -> str:
    """The text as typed, without what no person means to send: NUL and other control characters
    (a line break and a tab stay), and blank space at either end."""
    kept = "".join(ch for ch in body if ch in "\n\t" or unicodedata.category(ch) != "Cc").replace(
        "\r", ""
    )
    return kept.strip()


class RateLimited(ValidationError):
    """More messages in a minute than a person writes."""


def _refuse(reason: str) -> None:
    if reason:
        raise ValidationError(reason)


def open_conversation(dyad: Dyad) -> Conversation:
    """The dyad's conversation, made the first time one of the two opens it or writes."""
    conversation, _created = Conversation.objects.get_or_create(dyad=dyad)
    return conversation


def check_rate(user) -> None:
    """About 30 messages a minute per person, in all their conversations: a counter per person
    and minute in the cache (the cache's own expiry forgets it)."""
    key = f"conversations:sent:{user.pk}:{int(time.time() // rules.RATE_WINDOW_SECONDS)}"
    cache.add(key, 0, timeout=rules.RATE_WINDOW_SECONDS * 2)
    try:
        sent = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=rules.RATE_WINDOW_SECONDS * 2)
        sent = 1
    if sent > rules.RATE_LIMIT:
        raise RateLimited(
            _(
                "You have sent %(limit)s messages in the last minute, the most we accept: "
                "wait a minute, then send this one again."
            )
            % {"limit": rules.RATE_LIMIT}
        )


def _check_text(body: str, *, has_file: bool) -> None:
    if not body and not has_file:
        raise ValidationError(_("Write a message or attach a file: an empty message is not sent."))
    if len(body) > MAX_LENGTH:
        raise ValidationError(
            _("A message holds at most %(limit)s characters (this one has %(length)s).")
            % {"limit": MAX_LENGTH, "length": len(body)}
        )


def _bump(conversation_id: int) -> None:
    Conversation.objects.filter(pk=conversation_id).update(version=F("version") + 1)


@transaction.atomic
def send_message(
    *, dyad: Dyad, by, body: str = "", upload: UploadedFile | None = None, max_bytes: int
) -> Message:
    """One of the two writes to the other, while their dyad is open."""
    dyad = Dyad.objects.select_for_update().get(pk=dyad.pk)  # ended a moment ago? then refuse
    require(rules.is_partner(by, dyad))
    _refuse(rules.write_refusal(dyad))
    body = clean_text(body)
    _check_text(body, has_file=bool(upload))
    message = Message(conversation=open_conversation(dyad), author=by, body=body)
    if upload:
        kind = check_upload(upload, max_bytes=max_bytes)
        name = (upload.name or "attachment").translate(_BIDI_CONTROLS)
        message.original_name = clean_text(name)[-200:] or "attachment"
        message.content_type = content_type_of(kind)
        message.size = upload.size
    check_rate(by)
    if upload:
        message.file.save(message.original_name, upload, save=False)
        stored = message.file.name
        try:
            message.save()
        except Exception:
            message.file.storage.delete(stored)
            raise
    else:
        message.save()
    # The writer has seen everything up to their own message.
    Conversation.objects.filter(pk=message.conversation_id).update(
        version=F("version") + 1, **{read_field(dyad, by): message.pk}
    )
    return message


def _locked(message: Message) -> Message:
    return (
        Message.objects.select_for_update(of=("self",))
        .select_related("conversation__dyad")
        .get(pk=message.pk)
    )


@transaction.atomic
def edit_message(*, message: Message, by, body: str) -> Message:
    """The author corrects their message within 15 minutes; it shows "edited"."""
    message = _locked(message)
    dyad = message.conversation.dyad
    require(rules.is_partner(by, dyad) and message.author_id == by.pk)
    _refuse(rules.write_refusal(dyad))
    _refuse(rules.change_refusal(message))
    body = clean_text(body)
    _check_text(body, has_file=message.has_file)
    if body == message.body:
        return message
    message.body, message.edited_at = body, timezone.now()
    message.save(update_fields=["body", "edited_at"])
    _bump(message.conversation_id)
    return message


@transaction.atomic
def delete_message(*, message: Message, by) -> None:
    """The author takes their message back within 15 minutes, its attachment with it."""
    message = _locked(message)
    dyad = message.conversation.dyad
    require(rules.is_partner(by, dyad) and message.author_id == by.pk)
    _refuse(rules.write_refusal(dyad))
    _refuse(rules.change_refusal(message))
    stored, storage = message.file.name, message.file.storage
    conversation_id = message.conversation_id
    message.delete()
    _bump(conversation_id)
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))


def mark_read(*, conversation: Conversation, by, upto: int) -> bool:
    """The person has seen the conversation up to message `upto`: one UPDATE, and only forward."""
    if upto <= 0:
        return False
    field = read_field(conversation.dyad, by)
    if getattr(conversation, field) >= upto:
        return False
    setattr(conversation, field, upto)
    return bool(
        Conversation.objects.filter(pk=conversation.pk, **{f"{field}__lt": upto}).update(
            **{field: upto}
        )
    )


@transaction.atomic
def share_message(*, message: Message, by, note: str) -> SharedMessage:
    """One of the two asks the program's admins about one message, with a note. Only that message
    is shown to them (conversations.views.shared); it goes on their attention list (the
    `message_shared` signal); the partner is not told."""
    message = Message.objects.select_related("conversation__dyad__program").get(pk=message.pk)
    dyad = message.conversation.dyad
    require(rules.can_share(by, dyad))
    note = clean_text(note)
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            _("The note holds at most %(limit)s characters (this one has %(length)s).")
            % {"limit": NOTE_MAX_LENGTH, "length": len(note)}
        )
    try:
        with transaction.atomic():
            shared = SharedMessage.objects.create(message=message, shared_by=by, note=note)
    except IntegrityError as error:
        raise ValidationError(
            _("You have already shared this message with the program's admins: they have it.")
        ) from error
    notify(
        kind=MESSAGE_SHARED,
        due=[
            Occasion(
                recipient=admin,
                target=shared,
                occasion="shared",
                title=later(gettext_lazy("%(person)s asks you about a message"), {"person": by}),
                body=gettext_lazy(
                    "Read the one message they shared (not the conversation) and their note."
                ),
                url=address("conversations:shared", shared.pk),
                program_id=dyad.program_id,
            )
            for admin in program_admins(dyad.program, besides=(dyad.mentor_id, dyad.mentee_id))
        ],
    )
    message_shared.send(sender=SharedMessage, shared=shared)
    return shared
