"""How each person wants each kind of notice: by e-mail one by one (the default, which keeps no
row), in their weekly digest, or in-app only; and the rule that decides a notice's channel."""

from django.db import transaction

from mentoring import registry, viewer
from mentoring.models import Notification, NotificationPreference, User


def channel_for(notification: Notification, choice: str | None) -> str:
    """E-mail, digest or in-app only, by the recipient's choice for this kind (None: the default).

    The rule: a notice that *is* the message (a calendar invitation or cancellation, a reminder a
    program admin chose to send) is always e-mailed; the preference governs only notices *about*
    something, which the sweeps find. A digest or in-app choice must not swallow an invitation.
    """
    spec = registry.KINDS.get(notification.kind)
    if spec is not None and spec.always_emailed:
        return Notification.Channel.EMAIL
    if choice == NotificationPreference.Email.OFF:
        return Notification.Channel.IN_APP
    if choice == NotificationPreference.Email.DIGEST and not (spec and spec.is_digest):
        return Notification.Channel.DIGEST
    if notification.channel:
        return notification.channel  # planned for the digest only
    return Notification.Channel.EMAIL


@transaction.atomic
def set_preferences(*, user: User, choices: dict[str, str]) -> None:
    """Save how the person wants each kind by e-mail; the default (each one) keeps no row."""
    for kind, email in choices.items():
        if email == NotificationPreference.Email.EACH:
            NotificationPreference.objects.filter(user=user, kind=kind).delete()
        else:
            NotificationPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"email": email}
            )


def preferences_of(user: User) -> dict[str, str]:
    """Every kind the person's roles can receive, with their choice (default: each by e-mail)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return {
        kind.name: chosen.get(kind.name, NotificationPreference.Email.EACH)
        for kind in registry.kinds_offered(viewer.roles(user))
    }
