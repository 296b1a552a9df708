"""Who the signed-in person is in the programs: fetched once per request and shared by the home
panels, the navigation bar and the pages that ask "what are my roles?".

The memo lives on the user object that Django's authentication middleware loads for the request
(`request.user`), so it lasts exactly one request: the next request loads a new user object.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import connections

from mentoring import rawsql

_MEMBERSHIPS = "_viewer_memberships"
# Other apps' per-request memos on the user (e.g. programs.selectors.viewer_dyads), dropped by forget.
DYADS_MEMO = ("_viewer_dyads", "_viewer_administered", "_viewer_own_dyads", "_viewer_goal_shares")


def memberships(user) -> list[Any]:
    """The person's memberships with their programs, by program name then role (one query, once)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _MEMBERSHIPS, None)
    if cached is None:
        cached = sorted(_fetch_memberships(user), key=lambda m: (m.program.name, m.role))
        setattr(user, _MEMBERSHIPS, cached)
    return cached


# What pages read of a membership's program (the navigation, the cards, the cadence's default and
# the zone of its due dates);
# anything else is loaded when read.
PROGRAM_FIELDS = ("id", "name", "slug", "default_cadence_days", "time_zone")


def _fetch_memberships(user) -> list[Any]:
    """The memberships, each with its program, in one query written as SQL (`Manager.raw`, which
    converts the membership's fields as the ORM does): every page's navigation reads them, and
    building the join through the ORM cost more than running it (issue 21). The models come from
    the relation, so the core names no feature app."""
    membership = user._meta.get_field("memberships").related_model
    found = rawsql.rows(membership, _memberships_sql(membership), [user.pk])
    for row in found:
        rawsql.attach(row, "program", PROGRAM_FIELDS)
    return found


@functools.cache  # the same text for every read: built once per process
def _memberships_sql(membership) -> str:
    program = membership._meta.get_field("program").related_model
    quote = connections[membership.objects.db].ops.quote_name
    columns = {name: program._meta.get_field(name).column for name in PROGRAM_FIELDS}
    sql = (
        "SELECT m.*, "
        + ", ".join(
            f"p.{quote(column)} AS {quote('program__' + name)}" for name, column in columns.items()
        )
        + f" FROM {quote(membership._meta.db_table)} m"
        f" JOIN {quote(program._meta.db_table)} p ON p.id = m.program_id"
        " WHERE m.user_id = %s"
    )
    # A membership a program admin deactivated admits the person to nothing (programs' models).
    if any(field.name == "deactivated_at" for field in membership._meta.concrete_fields):
        sql += " AND m.deactivated_at IS NULL"
    return sql


def roles(user) -> frozenset[str]:
    """The roles the person holds in any program ("admin", "mentor", "mentee")."""
    return frozenset(m.role for m in memberships(user))


def program_ids(user, role: str | None = None) -> list[int]:
    """The programs where the person holds `role` (any role when None), from the memo: what a
    query filters on by id instead of a subquery of memberships."""
    return sorted({m.program_id for m in memberships(user) if role is None or m.role == role})


def forget(user) -> None:
    """Drop the memo (after a change to the person's memberships within the same request)."""
    for name in (_MEMBERSHIPS, *DYADS_MEMO):
        if hasattr(user, name):
            delattr(user, name)
