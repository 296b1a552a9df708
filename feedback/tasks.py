"""Celery entry points of the feedback app: each takes ids and calls one service."""

from celery import shared_task

from feedback import services


@shared_task
def deliver_feedback_reminder(request_id: int) -> bool:
    """E-mail one person a reminder an admin asked for. Skips feedback given in the meantime."""
    return services.deliver_reminder_email(request_id=request_id)
