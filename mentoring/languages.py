"""The language a person reads: their own choice, else the site's (README "Languages").

Pages follow the request (mentoring.middleware.UserLanguageMiddleware); everything a person
*receives* (e-mails, digests, notices, .ics) is rendered inside `in_language_of(recipient)`, at the
one place each kind of thing is rendered, whatever the language of whoever caused it.
"""

from django.conf import settings
from django.utils import translation


def language_of(person) -> str:
    """`person`'s chosen language, else LANGUAGE_CODE. Anything without a `language` (an invitee
    with no account, a sweep's lightweight Person) reads the site's language."""
    return getattr(person, "language", "") or settings.LANGUAGE_CODE


def in_language_of(person) -> translation.override:
    """A context manager: what is rendered inside it is in `person`'s language."""
    return translation.override(language_of(person))
