from django.dispatch import receiver

from mentoring.privacy import account_deleted
from programs.signals import dyad_ended


@receiver(dyad_ended, dispatch_uid="meetings.cancel_future_meetings")
def cancel_meetings_of_ended_dyad(sender, dyad, by=None, **kwargs) -> None:
    """An ended dyad's upcoming meetings are cancelled in the same transaction (nothing waits for
    a broker); the e-mails that take them out of both calendars are notices sent after commit."""
    from meetings.models import PAIRING_ENDED
    from meetings.services import cancel_future_meetings

    cancel_future_meetings(dyad=dyad, reason=PAIRING_ENDED, by=by)


@receiver(account_deleted, dispatch_uid="meetings.revoke_calendar_feeds")
def revoke_feeds_of_deleted_account(sender, user, **kwargs) -> None:
    """A deleted account's calendar feed stops working: its address would still show meetings."""
    from meetings.models import CalendarFeed

    CalendarFeed.objects.filter(user=user).delete()
