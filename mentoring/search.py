"""The one rule of searching people by what they typed: a query matches a field that contains it,
ignoring case and accents, so that "nunez" finds Núñez and "olund" finds Ölund.

PostgreSQL compares through its `unaccent` extension (django.contrib.postgres's `__unaccent`
lookup; mentoring/migrations/0006 creates the extension). The embedded SQLite database has no such
function: `register_sqlite_unaccent` gives each of its connections one of the same name, written
here, so that the same query runs on both.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.db.models import Q

# Letters that carry no combining mark to strip, written as PostgreSQL's unaccent rules write them.
_LETTERS = str.maketrans(
    {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae", "Æ": "AE"}
)


def unaccented(text: str | None) -> str | None:
    """The text without accents: é → e, Ñ → N, Ö → O (NFKD, combining marks dropped)."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def matching(query: str, fields: Iterable[str]) -> Q:
    """Rows where any of `fields` contains `query`, case and accents aside. `fields` are lookups
    such as "user__name"; the query's own accents go too ("Núñez" finds "Nunez")."""
    return reduce(or_, (Q(**{f"{field}__unaccent__icontains": query}) for field in fields))


def _folded(text: str) -> str:
    return (unaccented(text) or "").casefold()


def contains(query: str, *texts: str) -> bool:
    """The same rule in Python, for a list already in memory: does any text contain the query?"""
    wanted = _folded(query)
    return any(wanted in _folded(text) for text in texts if text)


def register_sqlite_unaccent(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: SQLite connections learn `unaccent(text)`."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("unaccent", 1, unaccented, deterministic=True)
