"""Celery entry points of the meetings app. Each takes ids and calls one service."""

from celery import shared_task
from django.db import transaction

from meetings.emails import email_meeting_update
from programs.models import Dyad


@shared_task
def send_meeting_update(meeting_id: int, kind: str, sequence: int) -> int:
    """E-mail both sides about a scheduled, changed or cancelled meeting, .ics attached."""
    return email_meeting_update(meeting_id=meeting_id, kind=kind, sequence=sequence)


@shared_task
def open_first_fit_check(dyad_id: int) -> None:
    """After a dyad's first held meeting, ask both sides whether the pairing fits (idempotent)."""
    from feedback.services import open_fit_check  # feedback builds on meetings, not the reverse

    with transaction.atomic():
        dyad = Dyad.objects.filter(pk=dyad_id).first()
        if dyad is not None:
            open_fit_check(dyad=dyad)


@shared_task
def cancel_future_meetings(dyad_id: int) -> int:
    """A dyad ended: cancel its upcoming meetings and tell both sides (programs enqueues this)."""
    from meetings.services import cancel_future_meetings as cancel

    dyad = Dyad.objects.filter(pk=dyad_id).first()
    if dyad is None:
        return 0
    return cancel(dyad=dyad, reason="The pairing ended.")
