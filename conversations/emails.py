"""The e-mail of the kind new_message: the partner's unread messages, their text escaped in the
HTML part (autoescape) and plain in the text part; None when the person read them meanwhile."""

from django.core.mail import EmailMultiAlternatives

from conversations.models import Conversation, Message, read_field
from mentoring.emails import absolute, build_email, site_link

SHOWN = 10  # messages quoted in one e-mail; the rest are counted


def new_message_email(notification) -> EmailMultiAlternatives | None:
    conversation = (
        Conversation.objects.select_related("dyad__mentor", "dyad__mentee", "dyad__program")
        .filter(pk=notification.target_id)
        .first()
    )
    recipient = notification.recipient
    if conversation is None:
        return None
    dyad = conversation.dyad
    if recipient.pk not in (dyad.mentor_id, dyad.mentee_id):
        return None
    seen = getattr(conversation, read_field(dyad, recipient))
    unread = list(
        Message.objects.filter(conversation=conversation, id__gt=seen)
        .exclude(author_id=recipient.pk)
        .only("id", "body", "original_name", "created_at")
        .order_by("id")[: SHOWN + 1]
    )
    if not unread:
        return None  # read in time: nothing left to say
    return build_email(
        to=recipient.email,
        template="emails/new-message",
        context={
            "recipient": recipient,
            "partner": dyad.partner_of(recipient),
            "program": dyad.program,
            "messages": unread[:SHOWN],
            "more": len(unread) > SHOWN,
            "url": absolute(conversation.get_absolute_url()),
            "preferences_link": site_link("notifications:preferences"),
        },
        zone=recipient.zone,
    )
