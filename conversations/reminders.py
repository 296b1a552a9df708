"""The conversations app's notice: `new_message`, one e-mail per conversation once the partner's
messages have waited unread for 10 minutes (not one per message).

The sweep finds, in one query bounded by dates, the messages older than 10 minutes that their
recipient has not read; the first of them names the occasion, so more messages on top of an unread
one earn no second e-mail, and messages after the person read the first batch earn a new one. The
e-mail reads the messages again when it is sent: if the person read them meanwhile, none is sent.
"""

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.db.models import F, Q
from django.utils.translation import gettext_lazy

from conversations.emails import new_message_email
from conversations.models import Conversation, Message
from mentoring import registry
from mentoring.languages import later
from mentoring.notices.planning import Occasion, Ref
from mentoring.reminders import person_fields, person_of, url_for

UNREAD_FOR = timedelta(minutes=10)
# Messages older than this when first seen unread by a sweep are not e-mailed about any more
# (the sweeps were down for two days): the person sees them in the app.
LOOKBACK = timedelta(days=2)

ROW = (
    "id",
    "author_id",
    "conversation_id",
    "conversation__dyad_id",
    "conversation__dyad__program_id",
    *person_fields("conversation__dyad__mentor"),
    *person_fields("conversation__dyad__mentee"),
)


def unread_rows(now: datetime):
    """Messages unread by their recipient for at least UNREAD_FOR (and at most LOOKBACK)."""
    dyad = "conversation__dyad__"
    return (
        Message.objects.filter(
            created_at__gt=now - LOOKBACK,
            created_at__lte=now - UNREAD_FOR,
        )
        .filter(
            Q(author_id=F(f"{dyad}mentor_id"), id__gt=F("conversation__mentee_read_id"))
            | Q(author_id=F(f"{dyad}mentee_id"), id__gt=F("conversation__mentor_read_id"))
        )
        .order_by("id")
        .values(*ROW)
    )


@registry.notice_kind(
    "new_message",
    gettext_lazy("New messages from your mentor or mentee"),
    roles=("mentor", "mentee"),
    every=2 * 60,
    why="Due once messages wait unread for 10 minutes: every 2 minutes, the e-mail is 10-12 minutes after.",
    render=new_message_email,
)
def new_messages(now: datetime) -> Iterator[Occasion]:
    found: set[tuple[int, int]] = set()
    for row in unread_rows(now):
        mentor = person_of(row, "conversation__dyad__mentor")
        mentee = person_of(row, "conversation__dyad__mentee")
        author, recipient = (mentor, mentee) if row["author_id"] == mentor.pk else (mentee, mentor)
        if (row["conversation_id"], recipient.pk) in found:
            continue  # one e-mail per conversation: the first unread message names it
        found.add((row["conversation_id"], recipient.pk))
        yield Occasion(
            recipient=recipient,
            target=Ref(Conversation, row["conversation_id"]),
            occasion=f"from:{row['id']}",
            title=later(gettext_lazy("New messages from %(person)s"), {"person": author}),
            url=url_for("conversations:detail", row["conversation__dyad_id"]),
            program_id=row["conversation__dyad__program_id"],
        )


MESSAGE_SHARED = registry.event_notice_kind(
    "message_shared",
    gettext_lazy("A mentee or mentor asks you about one message of their conversation (admins)"),
    roles=("admin",),
)
