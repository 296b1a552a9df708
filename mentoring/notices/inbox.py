"""What a person does with their notices in the app: mark one, or all, read."""

from django.utils import timezone

from mentoring.access import require
from mentoring.models import Notification, User


def mark_read(*, notification: Notification, by: User) -> Notification:
    """The recipient marks one notice read (marking it again changes nothing)."""
    require(notification.recipient_id == by.pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, by: User) -> int:
    """The person marks every notice of theirs read."""
    return Notification.objects.filter(recipient=by, read_at=None).update(read_at=timezone.now())
