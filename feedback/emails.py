"""The reminder e-mail a program admin sends to one person who has not given their feedback yet."""

from django.core.mail import EmailMultiAlternatives

from feedback.models import FeedbackRequest
from mentoring.emails import absolute, build_email


def feedback_reminder_message(notification) -> EmailMultiAlternatives | None:
    """The renderer of the kind feedback_reminder (registered in feedback/reminders.py).
    None when the feedback was given between the admin's click and the delivery."""
    feedback_request = (
        FeedbackRequest.objects.select_related("author", "subject", "cycle", "dyad__program")
        .filter(pk=notification.target_id)
        .first()
    )
    if feedback_request is None or feedback_request.submitted_at is not None:
        return None
    recipient = notification.recipient
    return build_email(
        to=recipient.email,
        template="emails/feedback-reminder",
        context={
            "feedback_request": feedback_request,
            "url": absolute(feedback_request.get_absolute_url()),
        },
        zone=recipient.zone,
    )
