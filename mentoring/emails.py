"""E-mail: the one way to build a message, and the generic notice e-mail.

Every message is a subject, a plain-text body and an HTML body, each from its own template
(`<template>-subject.txt`, `-body.txt`, `-body.html`; the HTML one extends `emails/base.html`),
rendered in the recipient's time zone, with links made absolute from SITE_URL.

A worker builds and flattens thousands of these a minute, so `BuiltEmail` makes one without the
costs Django and the standard library pay per message for nothing here: each text part copies a
part built once per subtype and transfer encoding (only the payload differs), a header that needs
no encoding or folding is stored and written as it is, and the random MIME boundary is tested
with `in` rather than a regular expression compiled for each message. The bytes are the ones
Django's EmailMultiAlternatives gives (tests/mentoring/test_email_bytes.py).
"""

import copy
import functools
import hashlib
import random
import re
import sys
import zoneinfo
from collections.abc import Iterable
from email.message import Message
from email.mime.base import MIMEBase
from email.policy import Compat32
from email.utils import formatdate, make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.message import RFC5322_EMAIL_LINE_LENGTH_LIMIT, SafeMIMEText, utf8_charset_qp
from django.core.mail.utils import DNS_NAME
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


# A printable ASCII header value's shape for folding: its spaces and the characters compat32's
# folding looks at (',' and ';' where it prefers to break, ':' that it checks after a break) kept,
# every other character an 'x'. Folding decides where to break by these and by lengths alone.
_SHAPE = str.maketrans({chr(c): "x" for c in range(33, 127) if chr(c) not in ",;:"})
_WORD = re.compile(r"\S+")
_FOLDED_SHAPES: dict[tuple, str] = {}


class _QuickFolding(Compat32):
    """compat32, the policy of every message Django builds, folding printable ASCII headers for a
    fraction of the cost: one that fits on its line is written as it is (compat32 returns it
    unchanged); a longer one is folded as compat32 folded the last value of its shape (a boundary,
    a notice key, a subject of the same word lengths), its words put back in place. Folding only
    moves whitespace, so the result is checked to hold the value's words and the folded shape's
    whitespace exactly; anything else takes compat32's own path."""

    def _fold(self, name, value, sanitize):
        if value.__class__ is not str or not value.isascii() or not value.isprintable():
            return super()._fold(name, value, sanitize)
        if len(name) + 2 + len(value) <= (self.max_line_length or 1_000_000):
            return f"{name}: {value}{self.linesep}"
        shape = value.translate(_SHAPE)
        key = (name, shape, sanitize, self.linesep, self.max_line_length)
        folded = _FOLDED_SHAPES.get(key)
        if folded is None:
            if len(_FOLDED_SHAPES) >= 4096:
                _FOLDED_SHAPES.clear()
            folded = _FOLDED_SHAPES[key] = super()._fold(name, shape, sanitize)
        head = f"{name}: "
        if not folded.startswith(head):
            return super()._fold(name, value, sanitize)
        words = iter(value.split())
        result = head + _WORD.sub(lambda _word: next(words, ""), folded[len(head) :])
        body = result[len(head) :]
        if body.translate(_SHAPE) != folded[len(head) :] or body.split() != value.split():
            return super()._fold(name, value, sanitize)
        return result


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
        texts += (str(value) for _name, value in part.raw_items())
        if not part.is_multipart():
            payload = part.get_payload()
            if not isinstance(payload, str):
                return None
            texts.append(payload)
    return texts


# What each transfer encoding of a UTF-8 text part looks like when Django builds it.
_TRANSFER_SAMPLES = {"7bit": "a", "8bit": "\u00e9", "quoted-printable": "a" * 999}


@functools.lru_cache(maxsize=32)
def _text_prototype(subtype: str, transfer: str) -> SafeMIMEText:
    part = SafeMIMEText(_TRANSFER_SAMPLES[transfer], subtype, "utf-8")
    if part["Content-Transfer-Encoding"] != transfer:
        raise RuntimeError(f"Django no longer builds {transfer} text parts this way")
    return part


def _text_part(text: str, subtype: str, charset: str) -> SafeMIMEText:
    """SafeMIMEText(text, subtype, charset), for UTF-8 copied from the part built once for its
    subtype and transfer encoding, with the payload Django's set_payload would store: quoted-
    printable when a line is too long for SMTP, else the text itself (7bit when ASCII, else 8bit)."""
    if charset != "utf-8" or not isinstance(text, str):  # Django's own test: exactly "utf-8"
        return SafeMIMEText(text, subtype, charset)
    data = text.encode("utf-8")  # strict, as email.message.Message.set_payload
    long_lines = any(
        len(line.encode(errors="surrogateescape")) > RFC5322_EMAIL_LINE_LENGTH_LIMIT
        for line in text.splitlines()
    )
    if long_lines:
        transfer, payload = "quoted-printable", utf8_charset_qp.body_encode(data)
    else:
        transfer = "7bit" if text.isascii() else "8bit"
        payload = data.decode("ascii", "surrogateescape")
    part = copy.copy(_text_prototype(subtype, transfer))
    part._headers = list(part._headers)
    part.defects = []
    part._payload = payload
    return part


def _set_header(message: Message, name: str, value) -> None:
    """message[name] = value, past Django's header check when it would store the value as it is:
    printable ASCII (no line break to inject), and a Subject short enough that encoding it as a
    header (email.header.Header) leaves it unchanged."""
    if (
        value.__class__ is str
        and value.isascii()
        and value.isprintable()
        and (len(value) <= 78 or name.lower() != "subject")
    ):
        Message.__setitem__(message, name, value)
    else:
        message[name] = value


class BuiltEmail(EmailMultiAlternatives):
    """EmailMultiAlternatives whose MIME message flattens to the same bytes, cheaper (see above)."""

    def message(self):
        # EmailMessage.message() of Django 5.2, building the text parts and setting the headers
        # the cheaper way; tests/mentoring/test_email_bytes.py holds the two to the same bytes.
        encoding = self.encoding or settings.DEFAULT_CHARSET
        message = self._create_message(_text_part(self.body, self.content_subtype, encoding))
        _set_header(message, "Subject", self.subject)
        _set_header(message, "From", self.extra_headers.get("From", self.from_email))
        for header, values in (("To", self.to), ("Cc", self.cc), ("Reply-To", self.reply_to)):
            if header in self.extra_headers:
                _set_header(message, header, self.extra_headers[header])
            elif values:
                _set_header(message, header, ", ".join(str(v) for v in values))
        header_names = [key.lower() for key in self.extra_headers]
        if "date" not in header_names:
            _set_header(message, "Date", formatdate(localtime=settings.EMAIL_USE_LOCALTIME))
        if "message-id" not in header_names:
            _set_header(message, "Message-ID", make_msgid(domain=DNS_NAME))
        for name, value in self.extra_headers.items():
            if name.lower() not in {"from", "to", "cc", "reply-to"}:
                _set_header(message, name, value)
        if _is_multipart(message):
            texts = _texts(message)
            if texts is not None:
                _set_boundaries(message, texts)
        message.policy = QUICK_FOLDING
        return message

    def _create_mime_attachment(self, content, mimetype):
        basetype, subtype = mimetype.split("/", 1)
        if basetype == "text":
            return _text_part(content, subtype, self.encoding or settings.DEFAULT_CHARSET)
        return super()._create_mime_attachment(content, mimetype)


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
