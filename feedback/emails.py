"""The reminder e-mail a program admin sends to one person who has not given their feedback yet."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from feedback.models import FeedbackRequest


def feedback_reminder_message(notification) -> EmailMultiAlternatives | None:
    """The renderer of the kind feedback_reminder (registered in feedback/reminders.py).
    None when the feedback was given between the admin's click and the delivery."""
    request = (
        FeedbackRequest.objects.select_related("author", "subject", "cycle", "dyad__program")
        .filter(pk=notification.target_id)
        .first()
    )
    if request is None or request.submitted_at is not None:
        return None
    context = {
        "request": request,
        "url": getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
        + request.get_absolute_url(),
    }
    subject = render_to_string("emails/feedback-reminder-subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string("emails/feedback-reminder-body.txt", context),
        to=[notification.recipient.email],
    )
    message.attach_alternative(
        render_to_string("emails/feedback-reminder-body.html", context), "text/html"
    )
    return message
