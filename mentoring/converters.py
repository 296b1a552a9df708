"""Ids from outside: the `<id:...>` path converter, `parse_id` for a query string or a POST, and
`IdChoiceField` for a form. A database id is a number a 64-bit signed integer holds.

Django's `<int:...>` takes any run of digits; one beyond 2**63 - 1 reaches the query and fails
there (sqlite3 raises OverflowError: a 500). Here the route does not match, so it is a plain 404
before any view runs, on every database. Every urls.py imports this module before its patterns.
"""

from django import forms
from django.urls import register_converter

# PostgreSQL bigint and SQLite INTEGER are both 64-bit signed: ids live in 0 .. 2**63 - 1.
MAX_ID = 2**63 - 1


class IdConverter:
    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)  # very long inputs raise ValueError too: still no match
        if number > MAX_ID:
            raise ValueError(f"{value} is beyond a 64-bit id")
        return number

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")


def parse_id(raw: object) -> int | None:
    """The id a person sent (a query string or a POST value), or None when it cannot be one: only
    ASCII digits, 1 .. MAX_ID. Every view that reads an id outside the path reads it here, so a
    number no column holds never reaches a query (sqlite3 raises OverflowError for it: a 500)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if 0 < raw <= MAX_ID else None
    if not isinstance(raw, str) or not raw.isascii() or not raw.isdigit():
        return None
    if len(raw.lstrip("0")) > 19:  # also keeps int() from refusing thousands of digits
        return None
    number = int(raw)
    return number if 0 < number <= MAX_ID else None


class IdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField keyed by id: anything `parse_id` refuses is the field's `invalid_choice`
    error before any query (a foreign key compared with a 20-digit number overflows on SQLite)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if (
            self.to_field_name in (None, "pk", "id")
            and parse_id(value.pk if isinstance(value, self.queryset.model) else value) is None
        ):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)
