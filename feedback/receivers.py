from django.dispatch import receiver

from conversations.signals import message_shared
from feedback.models import AttentionItem
from feedback.services import (
    close_attention_items_of_ended_dyad,
    open_fit_check,
    withdraw_open_requests_of_ended_dyad,
)
from meetings.signals import first_meeting_held
from programs.signals import dyad_ended, re_pair_requested


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


@receiver(re_pair_requested, dispatch_uid="feedback.attention_for_re_pair_request")
def attention_for_re_pair_request(sender, re_pair_request, **kwargs) -> None:
    """A mentee or mentor asked for a different pairing outside a feedback cycle: the dyad goes on
    the admins' attention list (the reason stays on the request, which only admins read)."""
    dyad = re_pair_request.dyad
    if not AttentionItem.objects.filter(
        dyad=dyad, reason=AttentionItem.Reason.DIFFERENT_PAIRING, response=None, resolved_at=None
    ).exists():
        AttentionItem.objects.create(dyad=dyad, reason=AttentionItem.Reason.DIFFERENT_PAIRING)


@receiver(message_shared, dispatch_uid="feedback.attention_for_shared_message")
def attention_for_shared_message(sender, shared, **kwargs) -> None:
    """One of the two asked the admins about one message: it goes on the attention list (its row
    opens that message only, conversations:shared)."""
    AttentionItem.objects.create(
        dyad_id=shared.message.conversation.dyad_id,
        reason=AttentionItem.Reason.SHARED_MESSAGE,
        shared_message=shared,
    )
