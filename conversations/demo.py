"""Demo data: the demo pair (mentor@example.com and mentee@example.com) have talked between
meetings; the mentor's latest message waits unread for the mentee."""

from datetime import timedelta

from django.db.models import Max
from django.utils import timezone

from conversations.models import Conversation, Message
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
