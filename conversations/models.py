"""Conversations: one per dyad, between its mentor and its mentee only.

Program admins do not read conversations: the access rule (`visible_to`) is the dyad's two people,
never the program's admins, so no page, export or digest of theirs can reach a message. A former
partner (the dyad ended) still reads what was said while it was open, and writes no more
(conversations/rules.py).
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentoring.addresses import address
from programs.models import Dyad, administered_ids

MAX_LENGTH = 4000  # characters of one message; the database holds it too
EDIT_WINDOW = timedelta(minutes=15)  # one's own message may be edited or deleted this long


def partner_of_dyad(user) -> Q:
    """The rule, as a filter on a conversation: the user is the dyad's mentor or its mentee. A join
    on the dyad, no list of the person's dyads fetched first: the polling endpoint asks it in the
    one query it may spend."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return Q(dyad__mentor_id=user.pk) | Q(dyad__mentee_id=user.pk)


def read_field(dyad, user) -> str:
    """The column that holds how far `user` (one of the dyad's two) has read."""
    return "mentor_read_id" if user.pk == dyad.mentor_id else "mentee_read_id"


class ConversationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ConversationQuerySet":
        """The conversations of the dyads the user is or was in; never a program admin's."""
        return self.filter(partner_of_dyad(user))


class Conversation(models.Model):
    """The thread of one dyad. Made when one of the two first opens it or writes."""

    dyad = models.OneToOneField(Dyad, models.PROTECT, related_name="conversation")
    created_at = models.DateTimeField(default=timezone.now)
    # Grows with every message written, edited or deleted: the polling endpoint compares it with
    # the one the page shows, and answers 204 while they agree.
    version = models.PositiveBigIntegerField(default=0)
    # How far each side has read: the id of the newest message they have seen.
    mentor_read_id = models.PositiveBigIntegerField(default=0)
    mentee_read_id = models.PositiveBigIntegerField(default=0)

    objects = ConversationQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Conversation {self.dyad_id}"

    def get_absolute_url(self) -> str:
        return address("conversations:detail", self.dyad_id)

    def read_upto(self, user) -> int:
        """The id of the newest message `user` has seen here."""
        return getattr(self, read_field(self.dyad, user))


class MessageQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MessageQuerySet":
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(
            Q(conversation__dyad__mentor_id=user.pk) | Q(conversation__dyad__mentee_id=user.pk)
        )


def attachment_path(instance: "Message", filename: str) -> str:
    # A random name: the person's file name is kept in `original_name`, never used on disk.
    return f"conversations/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Message(models.Model):
    """One message: plain text, an attachment, or both."""

    conversation = models.ForeignKey(Conversation, models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    body = models.TextField(_("message"), blank=True, max_length=MAX_LENGTH)
    file = models.FileField(_("attachment"), upload_to=attachment_path, blank=True, max_length=200)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), MAX_LENGTH), name="message_length_limit"
            ),
            models.CheckConstraint(
                condition=~Q(body="") | ~Q(file=""), name="message_has_text_or_file"
            ),
            models.CheckConstraint(
                condition=Q(edited_at__isnull=True) | Q(edited_at__gte=F("created_at")),
                name="message_edited_after_written",
            ),
        ]
        indexes = [
            models.Index(fields=["conversation", "id"]),
            models.Index(fields=["created_at"]),
            models.Index(fields=["author", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"Message {self.pk}"

    def get_absolute_url(self) -> str:
        return f"{address('conversations:detail', self.conversation.dyad_id)}#message-{self.pk}"

    @property
    def is_edited(self) -> bool:
        return self.edited_at is not None

    @property
    def has_file(self) -> bool:
        return bool(self.file)


NOTE_MAX_LENGTH = 2000  # characters of the note that goes with a shared message


class SharedMessageQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SharedMessageQuerySet":
        """The program's admins, and only they: the one message shared, never the conversation.
        The partner does not learn of it; the one who shared reads it on their own page."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(
            message__conversation__dyad__program_id__in=administered_ids(user)
        ).exclude(  # an admin in the dyad itself is its mentor or mentee here, not its admin
            Q(message__conversation__dyad__mentor_id=user.pk)
            | Q(message__conversation__dyad__mentee_id=user.pk)
        )


class SharedMessage(models.Model):
    """ "Ask the program admin about this message": one message of a conversation, shared by one of
    the two with their program's admins, with a note. Only this message is shown to the admins;
    the partner is not told."""

    message = models.ForeignKey(Message, models.PROTECT, related_name="shares")
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    note = models.TextField(_("note to the program's admins"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = SharedMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Per person: a second share of the same message is the same share. Not per message:
            # the partner sharing it too must not learn, from a refusal, that it was shared.
            models.UniqueConstraint(fields=["message", "shared_by"], name="one_share_per_person"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("note"), NOTE_MAX_LENGTH),
                name="shared_note_length_limit",
            ),
        ]

    def __str__(self) -> str:
        return f"Shared message {self.message_id}"

    def get_absolute_url(self) -> str:
        return address("conversations:shared", self.pk)
