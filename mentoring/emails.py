"""E-mail: a subject, a plain-text body and an HTML body, each from its own template."""

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from mentoring import registry
from mentoring.models import Notification


def templated_message(
    *, to: str, template_prefix: str, context: dict, headers: dict | None = None
) -> EmailMultiAlternatives:
    """<prefix>-subject.txt, -body.txt and -body.html rendered into one message (not sent)."""
    subject = render_to_string(f"{template_prefix}-subject.txt", context)
    subject = " ".join(subject.split())  # a header never holds a newline
    text = render_to_string(f"{template_prefix}-body.txt", context)
    html = render_to_string(f"{template_prefix}-body.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to], headers=headers or {})
    message.attach_alternative(html, "text/html")
    return message


def send_templated(
    *, to: str, template_prefix: str, context: dict, headers: dict | None = None
) -> None:
    """Render <prefix>-subject.txt, -body.txt and -body.html and send them as one message."""
    templated_message(
        to=to, template_prefix=template_prefix, context=context, headers=headers
    ).send()


def absolute(url: str) -> str:
    return (
        url if url.startswith(("http://", "https://")) or not url else f"{settings.SITE_URL}{url}"
    )


def reminder_message(notification: Notification) -> EmailMessage:
    """The generic notice: its title, body and link, from emails/reminder-*."""
    context = {
        "notification": notification,
        "recipient": notification.recipient,
        "link": absolute(notification.url),
        "inbox_link": absolute(reverse("notifications:list")),
        "preferences_link": absolute(reverse("notifications:preferences")),
    }
    return templated_message(
        to=notification.recipient.email, template_prefix="emails/reminder", context=context
    )


def notification_message(notification: Notification) -> EmailMessage | None:
    """The message for one notice, built by its kind's renderer (the generic one by default).

    A renderer takes the Notification (recipient loaded) and returns the EmailMessage, or None when
    nothing is left to say (a newer version superseded it): delivery then marks the notice done."""
    spec = registry.KINDS.get(notification.kind)
    render = spec.render if spec is not None and spec.render is not None else reminder_message
    return render(notification)


def send_notification_email(notification: Notification) -> bool:
    """Mail one notice to its recipient; False when its renderer had nothing to send. Raises what
    the mail server said, for the caller to judge."""
    message = notification_message(notification)
    if message is None:
        return False
    # Lets a person (or a test) tell which notice a message carries, and collapse duplicates.
    message.extra_headers["X-Mentoring-Notice"] = notification.dedupe_key
    message.send()
    return True
