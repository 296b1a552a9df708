"""Reads of the conversations app, each a fixed number of queries whatever the thread's length.

- the conversation page: the conversation with its dyad, program and people (one query), then one
  page of messages by the (conversation, id) index (one query), the newest at the bottom;
- the unread counts of the person, per dyad: read with the person (conversations/panels.py), else
  one query per request, shared by the navigation's badge, the home page's dyad cards and the list
  of conversations (a memo on the user, like mentoring.viewer's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Q
from django.utils import timezone

from conversations import rules
from conversations.models import Conversation, Message, read_field
from programs.models import Dyad
from programs.viewer import own_dyad_ids

PAGE_SIZE = 30
_UNREAD_MEMO = "_viewer_unread_messages"
UNREAD_BY_DYAD = "unread_message_dyads"  # the attribute the person is loaded with ("7:2,9:0")


def for_page():
    """The queryset a view fetches a conversation from (through `visible_to`)."""
    return Conversation.objects.select_related("dyad__program", "dyad__mentor", "dyad__mentee")


def unread_counts(user) -> dict[int, int]:
    """{dyad id: messages from the partner the person has not seen}: counted in the query that
    loaded the person for this request, else one query, once a request."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, _UNREAD_MEMO, None)
    loaded = getattr(user, UNREAD_BY_DYAD, None)
    if cached is None and loaded is not None:
        cached = {}
        for pair in filter(None, loaded.split(",")):
            dyad_id, count = pair.split(":")
            if int(count):
                cached[int(dyad_id)] = int(count)
        setattr(user, _UNREAD_MEMO, cached)
    if cached is None:
        rows = (
            Message.objects.filter(
                Q(conversation__dyad__mentor_id=user.pk, id__gt=F("conversation__mentor_read_id"))
                | Q(
                    conversation__dyad__mentee_id=user.pk,
                    id__gt=F("conversation__mentee_read_id"),
                )
            )
            .exclude(author_id=user.pk)
            .values_list("conversation__dyad_id")
            .annotate(unread=Count("id"))
            .order_by()
        )
        cached = dict(rows)
        setattr(user, _UNREAD_MEMO, cached)
    return cached


def unread_total(user) -> int:
    """The navigation's badge."""
    return sum(unread_counts(user).values())


def forget_unread(user) -> None:
    """After marking read within a request: count again when asked."""
    if hasattr(user, _UNREAD_MEMO):
        delattr(user, _UNREAD_MEMO)
    if getattr(user, UNREAD_BY_DYAD, None) is not None:
        setattr(user, UNREAD_BY_DYAD, None)


@dataclass(frozen=True, slots=True)
class Shown:
    """One message as the page shows it."""

    pk: int
    author: object
    mine: bool
    body: str
    created_at: datetime
    edited: bool
    original_name: str
    size: int | None
    has_file: bool
    can_change: bool


@dataclass(frozen=True, slots=True)
class ThreadPage:
    conversation: Conversation
    dyad: Dyad
    partner: object
    messages: list[Shown]
    earlier_before: int | None  # the `before` of the link to earlier messages, None: none earlier
    is_newest: bool  # the page ends with the newest message (polling runs, reading marks read)
    can_write: bool
    newest_id: int


def _shown(message: Message, dyad: Dyad, user, now, writable: bool) -> Shown:
    author = dyad.mentor if message.author_id == dyad.mentor_id else dyad.mentee
    mine = message.author_id == user.pk
    return Shown(
        pk=message.pk,
        author=author,
        mine=mine,
        body=message.body,
        created_at=message.created_at,
        edited=message.is_edited,
        original_name=message.original_name,
        size=message.size,
        has_file=bool(message.file),
        can_change=mine and writable and not rules.change_refusal(message, now=now),
    )


def thread_page(conversation: Conversation, user, *, before: int | None = None) -> ThreadPage:
    """One page of the conversation: the newest PAGE_SIZE messages, or those before `before`."""
    dyad = conversation.dyad
    messages = Message.objects.filter(conversation=conversation).only(
        "id", "author_id", "body", "created_at", "edited_at", "file", "original_name", "size"
    )
    if before is not None:
        messages = messages.filter(id__lt=before)
    found = list(messages.order_by("-id")[: PAGE_SIZE + 1])
    earlier = found[PAGE_SIZE] if len(found) > PAGE_SIZE else None
    found = found[:PAGE_SIZE][::-1]
    now = timezone.now()
    writable = rules.can_write(user, dyad)
    return ThreadPage(
        conversation=conversation,
        dyad=dyad,
        partner=dyad.partner_of(user),
        messages=[_shown(m, dyad, user, now, writable) for m in found],
        earlier_before=found[0].pk if earlier is not None and found else None,
        is_newest=before is None,
        can_write=writable,
        newest_id=found[-1].pk if found else 0,
    )


def read_upto(conversation: Conversation, user) -> int:
    return getattr(conversation, read_field(conversation.dyad, user))


@dataclass(frozen=True, slots=True)
class Listed:
    dyad: Dyad
    partner: object
    unread: int


def conversations_of(user) -> list[Listed]:
    """Every dyad the person is or was in, open ones first, with its unread count (two queries:
    the dyads with their people, and the counts; the person's dyad ids come from the request's
    one fetch)."""
    ids = own_dyad_ids(user)
    if not ids:
        return []
    dyads = Dyad.objects.filter(id__in=ids).select_related("program", "mentor", "mentee")
    counts = unread_counts(user)
    listed = [Listed(d, d.partner_of(user), counts.get(d.pk, 0)) for d in dyads]
    listed.sort(key=lambda item: (not item.dyad.is_open, -item.unread, str(item.partner)))
    return listed
