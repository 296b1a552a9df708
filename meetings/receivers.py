from django.dispatch import receiver

from meetings.tasks import cancel_future_meetings
from programs.signals import dyad_ended


@receiver(dyad_ended, dispatch_uid="meetings.cancel_future_meetings")
def cancel_meetings_of_ended_dyad(sender, dyad, **kwargs) -> None:
    """An ended dyad's upcoming meetings are cancelled (and leave both calendars) after commit."""
    cancel_future_meetings.delay_on_commit(dyad.pk)
