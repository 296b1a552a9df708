"""The conversations app's part of a person's data export: the messages *they* wrote, with the
files they attached. The partner's messages are the partner's: not their text, not their files."""

from conversations.models import Message
from mentoring import registry
from mentoring.privacy import as_data

FIELDS = ["created_at", "edited_at", "body", "original_name"]


@registry.personal_data("conversations")
def conversations_data(user) -> registry.PersonalData:
    mine = list(
        Message.objects.filter(author=user)
        .select_related("conversation__dyad__mentor", "conversation__dyad__mentee")
        .order_by("id")
    )
    return registry.PersonalData(
        data={
            "my_messages": [
                {
                    "id": m.pk,
                    "to": str(m.conversation.dyad.partner_of(user)),
                    **as_data(m, FIELDS),
                }
                for m in mine
            ]
        },
        files=[
            (f"message-{m.pk}-{m.original_name or 'attachment'}", m.file) for m in mine if m.file
        ],
    )
