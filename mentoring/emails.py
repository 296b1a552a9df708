"""E-mail: the one way to build a message, and the generic notice e-mail.

Every message is a subject, a plain-text body and an HTML body, each from its own template
(`<template>-subject.txt`, `-body.txt`, `-body.html`; the HTML one extends `emails/base.html`),
rendered in the recipient's time zone, with links made absolute from SITE_URL.

A worker flattens thousands of these a minute, so `BuiltEmail` turns one into bytes without the two
costs the standard library pays per message for nothing here: folding headers that fit on their
line, and compiling a regular expression to test the random MIME boundary. The bytes are the
ones Django's message would give (tests/mentoring/test_email_bytes.py).
"""

import functools
import hashlib
import random
import sys
import zoneinfo
from collections.abc import Iterable
from email.message import Message
from email.mime.base import MIMEBase
from email.policy import Compat32
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import timezone

from mentoring import registry
from mentoring.models import Notification


def absolute(url: str) -> str:
    """A link for an e-mail: a path becomes an address on SITE_URL; an address stays as it is."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return f"{settings.SITE_URL}{url}"


class _QuickFolding(Compat32):
    """compat32, the policy of every message Django builds, writing a header that fits on its line
    as it is: printable ASCII without a line break, which compat32's folding (email.header) returns
    unchanged, at a fraction of the cost. Everything else takes compat32's own path."""

    def _fold(self, name, value, sanitize):
        if (
            value.__class__ is str
            and len(name) + 2 + len(value) <= (self.max_line_length or 1_000_000)
            and value.isascii()
            and value.isprintable()
        ):
            return f"{name}: {value}{self.linesep}"
        return super()._fold(name, value, sanitize)


QUICK_FOLDING = _QuickFolding()
_BOUNDARY_DIGITS = f"%0{len(repr(sys.maxsize - 1))}d"  # email.generator's boundary format


def _set_boundaries(message: Message, texts: list[str]) -> None:
    """The boundary email.generator would choose for each multipart, in its order (the innermost
    first) and its format ('=' * 15, random digits, '=='), tested against the parts' text with `in`
    rather than a regular expression compiled anew for each message; a part that already has one
    keeps it."""
    for part in message.get_payload():
        if _is_multipart(part):
            _set_boundaries(part, texts)
    if message.get_boundary():
        return
    boundary = ("=" * 15) + (_BOUNDARY_DIGITS % random.randrange(sys.maxsize)) + "=="
    candidate, counter = boundary, 0
    while any(candidate in text for text in texts):
        candidate = f"{boundary}.{counter}"
        counter += 1
    message.set_boundary(candidate)
    texts.append(candidate)


def _is_multipart(message: Message) -> bool:
    return message.is_multipart() and message.get_content_maintype() == "multipart"


def _texts(message: Message) -> list[str] | None:
    """Every header value and text payload of the message's parts; None if one is not a str."""
    texts = []
    for part in message.walk():
        texts += (str(value) for value in part.values())
        if not part.is_multipart():
            payload = part.get_payload()
            if not isinstance(payload, str):
                return None
            texts.append(payload)
    return texts


class BuiltEmail(EmailMultiAlternatives):
    """EmailMultiAlternatives whose MIME message flattens to the same bytes, cheaper (see above)."""

    def message(self):
        message = super().message()
        if _is_multipart(message):
            texts = _texts(message)
            if texts is not None:
                _set_boundaries(message, texts)
        message.policy = QUICK_FOLDING
        return message


def build_email(
    *,
    to: str,
    template: str,
    context: dict,
    zone: zoneinfo.ZoneInfo | None = None,
    attachments: Iterable[MIMEBase] = (),
    headers: dict | None = None,
) -> EmailMultiAlternatives:
    """<template>-subject.txt, -body.txt and -body.html rendered into one message (not sent), in
    `zone` (the recipient's) so that every date in it is theirs."""
    context = {"site_url": settings.SITE_URL, **context}
    with timezone.override(zone or timezone.get_current_timezone()):
        subject = render_to_string(f"{template}-subject.txt", context)
        text = render_to_string(f"{template}-body.txt", context)
        html = render_to_string(f"{template}-body.html", context)
    message = BuiltEmail(
        subject=" ".join(subject.split()),  # a header never holds a newline
        body=text,
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(html, "text/html")
    for part in attachments:
        message.attach(part)
    return message


@functools.lru_cache(maxsize=64)
def _reversed(name: str, prefix: str) -> str:
    return reverse(name)


def _url(name: str) -> str:
    """reverse(name) of a URL without arguments, once per name and script prefix."""
    return _reversed(name, get_script_prefix())


def reminder_message(notification: Notification) -> EmailMessage:
    """The generic notice: its title, body and link, from emails/reminder-*."""
    recipient = notification.recipient
    context = {
        "notification": notification,
        "recipient": recipient,
        "link": absolute(notification.url),
        "inbox_link": absolute(_url("notifications:list")),
        "preferences_link": absolute(_url("notifications:preferences")),
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
    return render(notification)


def notice_message_id(notification: Notification) -> str:
    """A Message-ID fixed by the notice itself, never by the attempt."""
    digest = hashlib.sha256(notification.dedupe_key.encode()).hexdigest()[:20]
    domain = urlsplit(settings.SITE_URL).hostname or "mentoring.localhost"
    return f"<notice-{notification.pk}-{digest}@{domain}>"


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
