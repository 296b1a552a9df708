"""The `<id:...>` path converter: a database id, so a number a 64-bit signed integer holds.

Django's `<int:...>` takes any run of digits; one beyond 2**63 - 1 reaches the query and fails
there (sqlite3 raises OverflowError: a 500). Here the route does not match, so it is a plain 404
before any view runs, on every database. Every urls.py imports this module before its patterns.
"""

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
