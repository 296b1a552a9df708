from django.dispatch import receiver

from meetings.signals import meeting_changed
from mentoring.privacy import account_deleted


@receiver(meeting_changed, dispatch_uid="calendars.write_meeting")
def write_changed_meeting(sender, meeting, **kwargs) -> None:
    """The new version goes into both people's CalDAV calendars after the commit (nothing is
    enqueued when neither has one)."""
    from calendars.models import Connection
    from calendars.tasks import later, write_meeting

    people = [meeting.dyad.mentor_id, meeting.dyad.mentee_id]
    if Connection.objects.filter(user_id__in=people, kind=Connection.Kind.CALDAV).exists():
        later(write_meeting, meeting.pk)


@receiver(account_deleted, dispatch_uid="calendars.forget_connections")
def forget_connections_of_deleted_account(sender, user, **kwargs) -> None:
    """A deleted account's calendars go: addresses, passwords and busy times."""
    from calendars.models import Connection, WorkingHours

    Connection.objects.filter(user=user).delete()
    WorkingHours.objects.filter(user=user).delete()
