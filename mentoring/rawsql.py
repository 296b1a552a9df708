"""Helpers for the few hot reads written once as SQL (issue 21).

The pages everybody opens all the time (home, the navigation, the person's own lists) read a
handful of rows with a handful of queries, and on this stack building and compiling a query
through the ORM costs several times what PostgreSQL spends running it. Those reads are written as
SQL, each row mapped to a model instance as `Manager.raw()` maps it, with Django's field
conversions (`_read`, which does that work once per query shape instead of once per read); the columns of a joined model come aliased `<relation>__<field>` and become that
relation's instance here, with every other field deferred (loaded if ever read). Only columns
that need no conversion (text, integers) are read that way: a joined date is read through its
own model. Placeholders are `%s`; the SQL stays within what PostgreSQL and SQLite share.

`rows()` runs such a read. On PostgreSQL, planning these joins cost more than running them (the
person's dyads: 0.40 ms a read, 0.13 ms once its plan is kept), and psycopg2 plans every query
anew, so each read is a statement prepared once per database connection and executed after that
(`PREPARE`, then `EXECUTE`): the first read sends both in one round trip, so a page's query count
does not depend on what the connection ran before, and each `EXECUTE` carries its SQL as a
comment, so the queries a test or a log captures still say what they read. Prepared statements
outlive a rolled-back transaction and end with their connection (CONN_MAX_AGE). A pooler in
transaction mode (PgBouncer) shares connections between clients: PREPARED_STATEMENTS=False.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models
from django.utils import timezone

# `%s` (a parameter) or `%%` (a literal percent sign) in a query written for cursor.execute.
_FORMAT = re.compile(r"%[s%]")


def rows(model: type[models.Model], sql: str, params=(), using: str = DEFAULT_DB_ALIAS) -> list:
    """What `list(model.objects.raw(sql, params))` gives, read faster (`_read`); on PostgreSQL, as
    a prepared statement (see the module's docstring)."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not settings.PREPARED_STATEMENTS:
        return _read(model, connection, sql, params)
    name, statement, execute = _statement(sql)
    for attempt in range(2):
        names = _prepared_names(connection)
        first = name not in names
        text = f"PREPARE {name} AS {statement}; {execute}" if first else execute
        try:
            found = _read(model, connection, text, params)
        except DatabaseError as error:
            if first:  # whether PREPARE took is unknown: asked of the server next time
                _forget_prepared(connection)
            code = getattr(error.__cause__, "pgcode", None)
            if attempt or connection.in_atomic_block or code not in _RECOVERABLE:
                raise
            if code == _CHANGED:  # a table changed under a kept plan (a migration meanwhile)
                _forget_prepared(connection)
                with connection.cursor() as cursor:
                    cursor.execute("DEALLOCATE ALL")
            continue
        if first:
            names.add(name)
        return found
    raise AssertionError("unreachable")


@dataclass(frozen=True, slots=True)
class _Plan:
    """How the columns of a read become instances, worked out once per (model, columns)."""

    names: list[str]  # the model's fields read, as `from_db` takes them (the model's order)
    order: list[int]  # where each of those is among the columns
    converters: list[tuple[int, list, Any]]  # (column, the field's converters, its Col)
    extras: list[tuple[int, str]]  # columns that are no field of the model: set as attributes


_PLANS: dict[tuple, _Plan] = {}


def _plan(model: type[models.Model], connection, columns: tuple[str, ...]) -> _Plan:
    key = (model, connection.alias, columns)
    plan = _PLANS.get(key)
    if plan is None:
        fields = [f for f in model._meta.concrete_fields if f.column in columns]
        if model._meta.pk not in fields:
            raise FieldDoesNotExist("Raw query must include the primary key")
        order = [columns.index(f.column) for f in fields]
        converters = []
        for position, field in zip(order, fields, strict=True):
            col = field.get_col(model._meta.db_table)
            found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if found:
                converters.append((position, found, col))
        known = {f.column for f in model._meta.concrete_fields}
        extras = [(i, column) for i, column in enumerate(columns) if column not in known]
        plan = _PLANS[key] = _Plan([f.attname for f in fields], order, converters, extras)
    return plan


def _read(model: type[models.Model], connection, text: str, params) -> list:
    """The rows of `text` as instances of `model`, as Manager.raw() makes them (the model's
    fields through their database converters, deferred when not read; other columns as
    attributes), without RawQuerySet's work per read: it cost twice the query's own round trip
    (0.26 ms against 0.09 ms for the memberships read), on every read of every page."""
    with connection.cursor() as cursor:
        cursor.execute(text, params)
        columns = tuple(column[0] for column in cursor.description)
        data = cursor.fetchall()
    plan = _plan(model, connection, columns)
    found = []
    for row in data:
        if plan.converters:
            row = list(row)
            for position, converters, col in plan.converters:
                value = row[position]
                for converter in converters:
                    value = converter(value, col, connection)
                row[position] = value
        instance = model.from_db(connection.alias, plan.names, [row[i] for i in plan.order])
        for position, column in plan.extras:
            setattr(instance, column, row[position])
        found.append(instance)
    return found


# What a read recovers from outside a transaction, by running again: a statement prepared
# already (duplicate_prepared_statement: the names are asked of the server again) and "cached plan
# must not change result type" (the statements are dropped).
_CHANGED = "0A000"
_RECOVERABLE = {"42P05", _CHANGED}


@functools.lru_cache(maxsize=1024)  # a read's SQL: a few dozen texts (and IN lists of a few sizes)
def _statement(sql: str) -> tuple[str, str, str]:
    """For `sql` (`%s` placeholders, `%%` for a percent sign): its statement's name, the text to
    prepare (`$1`, `$2`, ...) and the text that executes it (`%s` where the parameters go) with
    the SQL as a comment. Both texts go through the parameters' formatting: percent signs doubled."""
    name = "rawsql_" + hashlib.sha1(sql.encode()).hexdigest()[:24]
    count = 0

    def number(match: re.Match) -> str:
        nonlocal count
        if match.group() == "%%":
            return "%%"
        count += 1
        return f"${count}"

    statement = _FORMAT.sub(number, sql)
    execute = f"EXECUTE {name}" + (f"({placeholders(range(count))})" if count else "")
    return name, statement, f"{execute} /* {statement.replace('*/', '* /')} */"


def _prepared_names(connection) -> set[str]:
    """The statements prepared on the connection's current database session: asked of the server
    once per session (and after an error left it unknown), on the driver's own cursor, so that the
    question is no query of a page's; kept after that."""
    connection.ensure_connection()
    session, names = getattr(connection, "_rawsql_prepared", (None, set()))
    if session is not connection.connection:
        session = connection.connection
        with session.cursor() as cursor:
            cursor.execute("SELECT name FROM pg_prepared_statements")
            names = {name for (name,) in cursor.fetchall()}
        connection._rawsql_prepared = (session, names)
    return names


def _forget_prepared(connection) -> None:
    if hasattr(connection, "_rawsql_prepared"):
        del connection._rawsql_prepared


def placeholders(values) -> str:
    """`%s, %s, …` for an IN list of these values (never empty: the caller skips the query)."""
    return ", ".join(["%s"] * len(values))


def attach(row: models.Model, relation: str, fields: tuple[str, ...]) -> None:
    """Set `row.<relation>` to its model's instance built from the columns `<relation>__<field>`
    of `row` (a `rows()` result); the relation's other fields are deferred."""
    if getattr(row, f"{relation}__{fields[0]}") is None:  # an outer join found nothing
        return
    model, names, columns = _attached(type(row), relation, fields)
    values = [getattr(row, column) for column in columns]
    setattr(row, relation, model.from_db(row._state.db, names, values))


@functools.cache
def _attached(model: type[models.Model], relation: str, fields: tuple[str, ...]) -> tuple:
    """The related model, the names `from_db` takes (in the model's field order) and the aliased
    columns they come from: worked out once per (model, relation, fields)."""
    related = model._meta.get_field(relation).related_model
    names = [f.attname for f in related._meta.concrete_fields if f.attname in fields]
    return related, names, [f"{relation}__{name}" for name in names]


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
