"""Celery entry points of the feedback app: each takes ids and calls one service."""

from celery import shared_task
from django.utils import timezone

from feedback import services


@shared_task
def open_due_feedback_cycles() -> int:
    """Open every program's feedback cycle whose cadence has come round. Idempotent: the beat
    schedule may run it daily (or twice) and a program gets one cycle per period."""
    return len(services.open_due_cycles(timezone.localdate()))
