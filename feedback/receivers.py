from django.dispatch import receiver

from feedback.services import close_attention_items_of_ended_dyad
from programs.signals import dyad_ended


@receiver(dyad_ended, dispatch_uid="feedback.close_attention_items")
def close_attention_items(sender, dyad, by, **kwargs) -> None:
    close_attention_items_of_ended_dyad(dyad=dyad, by=by)
