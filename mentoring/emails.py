"""E-mail: a subject, a plain-text body and an HTML body, each from its own template."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from mentoring.models import Notification


def send_templated(
    *, to: str, template_prefix: str, context: dict, headers: dict | None = None
) -> None:
    """Render <prefix>-subject.txt, -body.txt and -body.html and send them as one message."""
    subject = render_to_string(f"{template_prefix}-subject.txt", context)
    subject = " ".join(subject.split())  # a header never holds a newline
    text = render_to_string(f"{template_prefix}-body.txt", context)
    html = render_to_string(f"{template_prefix}-body.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to], headers=headers or {})
    message.attach_alternative(html, "text/html")
    message.send()


def absolute(url: str) -> str:
    return (
        url if url.startswith(("http://", "https://")) or not url else f"{settings.SITE_URL}{url}"
    )


def send_notification_email(notification: Notification) -> None:
    """Mail one notice to its recipient. Raises what the mail server said, for the caller to judge."""
    context = {
        "notification": notification,
        "recipient": notification.recipient,
        "link": absolute(notification.url),
        "inbox_link": absolute(reverse("notifications:list")),
        "preferences_link": absolute(reverse("notifications:preferences")),
    }
    send_templated(
        to=notification.recipient.email,
        template_prefix="emails/reminder",
        context=context,
        # Lets a person (or a test) tell which notice a message carries, and collapse duplicates.
        headers={"X-Mentoring-Notice": notification.dedupe_key},
    )
