"""Query parameters of the API, read strictly: anything unknown, malformed or out of range is a 400
that names the parameter and says what would work. Never a 500, never silently ignored."""

from datetime import UTC, datetime

from django.core import signing
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from api.errors import BadParameter
from mentoring.converters import MAX_ID

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
_CURSOR_SALT = "api.cursor"
_EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)


def check_known(query, allowed: set[str]) -> None:
    unknown = sorted(set(query) - allowed)
    if unknown:
        raise BadParameter(
            unknown[0],
            _("Unknown parameter. This address takes: %(allowed)s.")
            % {"allowed": ", ".join(sorted(allowed)) or _("none")},
        )
    for name in query:
        if len(query.getlist(name)) > 1:
            raise BadParameter(name, _("Give this parameter once."))


def an_id(query, name: str) -> int | None:
    value = query.get(name)
    if value is None:
        return None
    if (
        not value.isascii()
        or not value.isdigit()
        or len(value) > 19
        or not 1 <= int(value) <= MAX_ID
    ):
        raise BadParameter(name, _("Expected an id: a whole number such as 42."))
    return int(value)


def a_limit(query) -> int:
    value = query.get("limit")
    if value is None:
        return DEFAULT_LIMIT
    if (
        not value.isascii()
        or not value.isdigit()
        or len(value) > 4
        or not 1 <= int(value) <= MAX_LIMIT
    ):
        raise BadParameter("limit", _("Expected a number from 1 to %(max)s.") % {"max": MAX_LIMIT})
    return int(value)


def a_moment(query, name: str) -> datetime | None:
    value = query.get(name)
    if value is None:
        return None
    hint = _(
        "Expected a date and time with its zone, e.g. 2026-01-31T08:00:00Z (write a “+” in "
        "the zone as %2B)."
    )
    try:
        moment = parse_datetime(value) if len(value) <= 40 else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise BadParameter(name, hint)
    if not _EARLIEST <= moment <= datetime(9000, 1, 1, tzinfo=UTC):
        raise BadParameter(name, _("That date is out of range."))
    return moment


def a_choice(query, name: str, choices) -> str | None:
    value = query.get(name)
    if value is None:
        return None
    if value not in choices:
        raise BadParameter(
            name, _("Expected one of: %(choices)s.") % {"choices": ", ".join(choices)}
        )
    return value


def make_cursor(resource: str, position: list) -> str:
    return signing.dumps([resource, position], salt=_CURSOR_SALT, compress=True)


def read_cursor(query, resource: str) -> list | None:
    value = query.get("cursor")
    if value is None:
        return None
    try:
        if len(value) > 500:
            raise signing.BadSignature
        kind, position = signing.loads(value, salt=_CURSOR_SALT)
        if kind != resource or not isinstance(position, list):
            raise signing.BadSignature
    except (signing.BadSignature, ValueError, TypeError):
        raise BadParameter(
            "cursor",
            _(
                "This cursor is not valid here. Use the “next” address of the previous page as it is."
            ),
        ) from None
    return position
