"""Who may do what in a conversation: one predicate per action.

Services enforce them (`require(...)` gives 403; a refusal's reason becomes a ValidationError);
pages show a control only when its predicate allows it. Seeing a conversation at all is the
models' `visible_to`: the dyad's two people, never the program's admins.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from conversations.models import EDIT_WINDOW, Message
from programs.models import Dyad

# Messages one person may send in a minute, in all their conversations.
RATE_LIMIT = 30
RATE_WINDOW_SECONDS = 60


def is_partner(user, dyad: Dyad) -> bool:
    return user.pk in (dyad.mentor_id, dyad.mentee_id)


def write_refusal(dyad: Dyad) -> str:
    """Why nobody may write in this conversation now: "" while the dyad is open."""
    if not dyad.is_open:
        return _(
            "This pairing has ended: you can read what was said while it was open, "
            "but no longer write here."
        )
    return ""


def can_write(user, dyad: Dyad) -> bool:
    return is_partner(user, dyad) and not write_refusal(dyad)


def change_refusal(message: Message, *, now=None) -> str:
    """Why the author may not edit or delete this message any more: "" within 15 minutes."""
    now = now or timezone.now()
    if now - message.created_at > EDIT_WINDOW:
        return _("A message can be changed or deleted only within 15 minutes of sending it.")
    return ""


def can_change(user, message: Message, dyad: Dyad, *, now=None) -> bool:
    """The author, within 15 minutes, while the dyad is open."""
    return (
        message.author_id == user.pk
        and not change_refusal(message, now=now)
        and not write_refusal(dyad)
    )


def can_share(user, dyad: Dyad) -> bool:
    """Either of the two may ask the program's admins about one message, also once the dyad ended
    (what was said then is still theirs to read, and to raise)."""
    return is_partner(user, dyad)
