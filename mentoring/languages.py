"""The language a person reads: their own choice, else the site's (README "Languages").

Pages follow the request (mentoring.middleware.UserLanguageMiddleware); everything a person
*receives* (e-mails, digests, notices, .ics) is rendered inside `in_language_of(recipient)`, at the
one place each kind of thing is rendered, whatever the language of whoever caused it.
"""

from contextlib import nullcontext

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext


def language_of(person) -> str:
    """`person`'s chosen language, else LANGUAGE_CODE. Anything without a `language` (an invitee
    with no account, a sweep's lightweight Person) reads the site's language."""
    return getattr(person, "language", "") or settings.LANGUAGE_CODE


def in_language_of(person) -> translation.override | nullcontext:
    """A context manager: what is rendered inside it is in `person`'s language."""
    return in_language(language_of(person))


def in_language(language: str) -> translation.override | nullcontext:
    """translation.override(language), or nothing to do when it is the active language already:
    a sweep or a chunk of notices makes thousands of texts, most of them in the site's language,
    and switching the language (twice per text) cost a tenth of planning them."""
    if language == translation.get_language():
        return nullcontext()
    return translation.override(language)


def _interpolated(message, values: dict) -> str:
    if not isinstance(message, Promise):
        message = gettext(message)
    if not values:
        return str(message)
    # `%` on the lazy message itself: a plural whose number is named by its key
    # (ngettext_lazy(..., "count")) picks its form from the values, and is empty made text alone.
    # A lazy value (a date from `mentoring.reminders.day`, another `later`) is made text in the
    # same language; numbers stay numbers for %(count)d.
    return str(
        message
        % {
            name: str(value) if isinstance(value, Promise) else value
            for name, value in values.items()
        }
    )


later = lazy(_interpolated, str)
later.__doc__ = """`message % values` translated when it is made text rather than now: for a notice's
title or body, which planning makes text in the recipient's language
(mentoring.notices.planning). `message` is a lazy translation, which also marks it for
makemessages: `later(gettext_lazy("Meeting with %(partner)s"), {"partner": partner})`, or with a
number `later(ngettext_lazy("%(count)s notice", "%(count)s notices", count), {"count": count})`.
A plain string is looked up with gettext when made text."""


def _joined(separator: str, parts) -> str:
    return separator.join(str(part) for part in parts)


joined = lazy(_joined, str)
joined.__doc__ = """`separator.join(parts)` made text when the whole is: a notice body of several
lines or sentences, each a `later`, a lazy translation or plain text, in the recipient's language."""
