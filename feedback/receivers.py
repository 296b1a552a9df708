from django.dispatch import receiver

from feedback.services import (
    close_attention_items_of_ended_dyad,
    open_fit_check,
    withdraw_open_requests_of_ended_dyad,
)
from meetings.signals import first_meeting_held
from programs.signals import dyad_ended


@receiver(dyad_ended, dispatch_uid="feedback.close_attention_items")
def close_attention_items(sender, dyad, by, **kwargs) -> None:
    close_attention_items_of_ended_dyad(dyad=dyad, by=by)


@receiver(dyad_ended, dispatch_uid="feedback.withdraw_open_requests")
def withdraw_open_requests(sender, dyad, **kwargs) -> None:
    """A mentee re-paired for poor fit is not asked about the old mentor any more (nor the
    mentor about them); what either already submitted stays readable."""
    withdraw_open_requests_of_ended_dyad(dyad=dyad)


@receiver(first_meeting_held, dispatch_uid="feedback.open_fit_check")
def ask_about_the_fit(sender, dyad, **kwargs) -> None:
    """After the first meeting both sides are asked, briefly, whether the pairing fits."""
    open_fit_check(dyad=dyad)
