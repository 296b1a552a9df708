"""Demo data: the demo pair (mentor@example.com and mentee@example.com) have talked between
meetings; the mentor's latest message waits unread for the mentee. The supervised mentee
(mentee2) asked the program admin about one message of their supervisor-mentor."""

from datetime import timedelta

from django.db.models import Max
from django.utils import timezone

from conversations.models import Conversation, Message, SharedMessage
from conversations.services import send_message, share_message
from programs.models import Dyad

LINES = [
    (
        "mentee",
        50,
        "Hi! I sent the revised aims page for our next meeting. Could you look at aim 2 first?",
    ),
    (
        "mentor",
        46,
        "Got it, I'll read it tonight. Did you talk to Dr. Chen about the research core yet?",
    ),
    ("mentee", 45, "Not yet, I'm meeting her on Thursday."),
    (
        "mentor",
        26,
        "Aim 2 reads much better now. The K23 guide is worth rereading before you finish: "
        "https://grants.nih.gov/grants/guide/pa-files/PA-20-205.html",
    ),
    ("mentee", 25, "Thank you! I'll bring the timeline to submission on Monday."),
    (
        "mentor",
        2,
        "Good. Also: the department's grant-writing retreat opens applications next week.",
    ),
]


def seed(world) -> None:
    _seed_pair(world)
    _seed_share(world)


def _seed_share(world) -> None:
    """mentee2 shares one message of mentor2 (also their supervisor) with a note: it waits on the
    admin's attention list; the rest of their conversation stays theirs."""
    dyad = (
        Dyad.objects.filter(
            program=world.program_a, mentor=world["mentor2"], mentee=world["mentee2"]
        )
        .exclude(status=Dyad.Status.ENDED)
        .first()
    )
    if dyad is None or SharedMessage.objects.filter(message__conversation__dyad=dyad).exists():
        return
    send_message(dyad=dyad, by=dyad.mentee, body="Could we move Thursday's meeting?", max_bytes=0)
    pushy = send_message(
        dyad=dyad,
        by=dyad.mentor,
        body="Fine. And I expect the clinic schedule covered before you take the grant course.",
        max_bytes=0,
    )
    share_message(
        message=pushy,
        by=dyad.mentee,
        note="Is this my mentor or my division director speaking? I'd like your advice.",
    )


def _seed_pair(world) -> None:
    a = world.program_a
    dyad = (
        Dyad.objects.filter(program=a, mentor=world["mentor"], mentee=world["mentee"])
        .exclude(status=Dyad.Status.ENDED)
        .first()
    )
    if dyad is None:
        return
    conversation, _ = Conversation.objects.get_or_create(dyad=dyad)
    if conversation.messages.exists():
        return
    now = timezone.now()
    people = {"mentor": dyad.mentor, "mentee": dyad.mentee}
    Message.objects.bulk_create(
        [
            Message(
                conversation=conversation,
                author=people[who],
                body=body,
                created_at=now - timedelta(hours=hours),
            )
            for who, hours, body in LINES
        ]
    )
    ids = list(conversation.messages.order_by("id").values_list("id", flat=True))
    newest = conversation.messages.aggregate(newest=Max("id"))["newest"]
    # The mentor has read everything; the mentee all but the mentor's latest message.
    conversation.mentor_read_id = newest
    conversation.mentee_read_id = ids[-2]
    conversation.version = len(ids)
    conversation.save(update_fields=["mentor_read_id", "mentee_read_id", "version"])
