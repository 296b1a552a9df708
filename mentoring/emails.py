"""E-mail: the one way to build a message, and the generic notice e-mail.

Every message is a subject, a plain-text body and an HTML body, each from its own template
(`<template>-subject.txt`, `-body.txt`, `-body.html`; the HTML one extends `emails/base.html`),
rendered in the recipient's time zone and language, with links made absolute from SITE_URL.
A notice's message is rendered, attachments (.ics) and all, in its recipient's language
(`notification_message`); any other message in `language` when given, else the active one.
"""

import hashlib
import re
import zoneinfo
from collections.abc import Iterable
from email.mime.base import MIMEBase
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from mentoring import registry
from mentoring.languages import in_language_of
from mentoring.models import Notification


def absolute(url: str) -> str:
    """A link for an e-mail: a path becomes an address on SITE_URL; an address stays as it is."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return f"{settings.SITE_URL}{url}"


def build_email(
    *,
    to: str,
    template: str,
    context: dict,
    zone: zoneinfo.ZoneInfo | None = None,
    attachments: Iterable[MIMEBase] = (),
    headers: dict | None = None,
    language: str | None = None,
) -> EmailMultiAlternatives:
    """<template>-subject.txt, -body.txt and -body.html rendered into one message (not sent), in
    `zone` (the recipient's) so that every date in it is theirs."""
    context = {"site_url": settings.SITE_URL, **context}
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with timezone.override(zone or timezone.get_current_timezone()), translation.override(language):
        subject = render_to_string(f"{template}-subject.txt", context)
        text = render_to_string(f"{template}-body.txt", context)
        html = render_to_string(f"{template}-body.html", context)
    message = EmailMultiAlternatives(
        subject=one_line(subject),
        body=text,
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(html, "text/html")
    for part in attachments:
        message.attach(part)
    return message


def reminder_message(notification: Notification) -> EmailMessage:
    """The generic notice: its title, body and link, from emails/reminder-*."""
    recipient = notification.recipient
    context = {
        "notification": notification,
        "recipient": recipient,
        "link": absolute(notification.url),
        "inbox_link": absolute(reverse("notifications:list")),
        "preferences_link": absolute(reverse("notifications:preferences")),
    }
    return build_email(
        to=recipient.email, template="emails/reminder", context=context, zone=recipient.zone
    )


def notification_message(notification: Notification) -> EmailMessage | None:
    """The message for one notice, built by its kind's renderer (the generic one by default).

    A renderer takes the Notification (recipient loaded) and returns the EmailMessage, or None when
    nothing is left to say (a newer version superseded it): delivery then marks the notice done."""
    spec = registry.KINDS.get(notification.kind)
    render = spec.render if spec is not None and spec.render is not None else reminder_message
    # Whoever caused it, in whatever language: the recipient reads it in theirs (their .ics too).
    with in_language_of(notification.recipient):
        return render(notification)


def notice_message_id(notification: Notification) -> str:
    """A Message-ID fixed by the notice itself, never by the attempt."""
    digest = hashlib.sha256(notification.dedupe_key.encode()).hexdigest()[:20]
    domain = urlsplit(settings.SITE_URL).hostname or "mentoring.localhost"
    return f"<notice-{notification.pk}-{digest}@{domain}>"


# Any run of white space but a no-break one (French puts one before a colon): a header never holds
# a newline, and a subject's words stay where its translation put them.
_SPACES = re.compile(r"[^\S\u00a0\u202f]+")


def one_line(subject: str) -> str:
    return _SPACES.sub(" ", subject).strip()


def prepare_notification_email(notification: Notification) -> EmailMessage | None:
    """The message for one notice with the headers that name it, not sent (delivery sends a chunk's
    messages over one connection); None when its renderer had nothing to send."""
    message = notification_message(notification)
    if message is None:
        return None
    # Lets a person (or a test) tell which notice a message carries, and collapse duplicates.
    message.extra_headers["X-Mentoring-Notice"] = notification.dedupe_key
    # The same notice always carries the same Message-ID: if a worker dies between the mail
    # server's "accepted" and recording it, the second send is a repeat a receiving server or mail
    # client can drop (the one window no design closes, made as narrow as mail allows).
    message.extra_headers["Message-ID"] = notice_message_id(notification)
    return message
