"""Helpers for the few hot reads written once as SQL (issue 21).

The pages everybody opens all the time (home, the navigation, the person's own lists) read a
handful of rows with a handful of queries, and on this stack building and compiling a query
through the ORM costs several times what PostgreSQL spends running it. Those reads are written as
SQL through `Manager.raw()`, which still maps each row to a model instance with Django's field
conversions; the columns of a joined model come aliased `<relation>__<field>` and become that
relation's instance here, with every other field deferred (loaded if ever read). Only columns
that need no conversion (text, integers) are read that way: a joined date is read through its
own model. Placeholders are `%s`; the SQL stays within what PostgreSQL and SQLite share.
"""

from __future__ import annotations

from datetime import UTC

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.utils import timezone


def placeholders(values) -> str:
    """`%s, %s, …` for an IN list of these values (never empty: the caller skips the query)."""
    return ", ".join(["%s"] * len(values))


def attach(row: models.Model, relation: str, fields: tuple[str, ...]) -> None:
    """Set `row.<relation>` to its model's instance built from the columns `<relation>__<field>`
    of `row` (a Manager.raw() result); the relation's other fields are deferred."""
    model = row._meta.get_field(relation).related_model
    if getattr(row, f"{relation}__{fields[0]}") is None:  # an outer join found nothing
        return
    # from_db takes the values in the model's field order.
    names = [f.attname for f in model._meta.concrete_fields if f.attname in fields]
    values = [getattr(row, f"{relation}__{name}") for name in names]
    setattr(row, relation, model.from_db(row._state.db, names, values))


def moment(value, using: str = DEFAULT_DB_ALIAS):
    """A datetime as a query parameter, adapted as the ORM adapts one (on SQLite, a UTC string)."""
    return connections[using].ops.adapt_datetimefield_value(value)


def day(value, using: str = DEFAULT_DB_ALIAS):
    """A date as a query parameter, adapted as the ORM adapts one."""
    return connections[using].ops.adapt_datefield_value(value)


def aware(value):
    """A datetime read from a joined column, as the ORM gives a field's: aware, in UTC (SQLite
    returns joined columns naive)."""
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value, UTC)
    return value
