from django.dispatch import receiver

from feedback.services import close_attention_items_of_ended_dyad, open_fit_check
from meetings.signals import first_meeting_held
from programs.signals import dyad_ended


@receiver(dyad_ended, dispatch_uid="feedback.close_attention_items")
def close_attention_items(sender, dyad, by, **kwargs) -> None:
    close_attention_items_of_ended_dyad(dyad=dyad, by=by)


@receiver(first_meeting_held, dispatch_uid="feedback.open_fit_check")
def ask_about_the_fit(sender, dyad, **kwargs) -> None:
    """After the first meeting both sides are asked, briefly, whether the pairing fits."""
    open_fit_check(dyad=dyad)
