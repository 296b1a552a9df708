"""Celery entry points of the feedback app: each takes ids and calls one service."""

from celery import shared_task
from django.utils import timezone

from feedback import services


@shared_task
def deliver_feedback_reminder(request_id: int) -> bool:
    """E-mail one person a reminder an admin asked for. Skips feedback given in the meantime."""
    return services.deliver_reminder_email(request_id=request_id)


@shared_task
def open_due_feedback_cycles() -> int:
    """Open every program's feedback cycle whose cadence has come round. Idempotent: the beat
    schedule may run it daily (or twice) and a program gets one cycle per period."""
    return len(services.open_due_cycles(timezone.localdate()))
