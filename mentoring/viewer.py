"""Who the signed-in person is in the programs: fetched once per request and shared by the home
panels, the navigation bar and the pages that ask "what are my roles?".

The memo lives on the user object that Django's authentication middleware loads for the request
(`request.user`), so it lasts exactly one request: the next request loads a new user object.
"""

from __future__ import annotations

from typing import Any

_MEMBERSHIPS = "_viewer_memberships"
# Other apps' per-request memos on the user (e.g. programs.selectors.viewer_dyads), dropped by forget.
DYADS_MEMO = ("_viewer_dyads", "_viewer_administered", "_viewer_own_dyads", "_viewer_goal_shares")


def memberships(user) -> list[Any]:
    """The person's memberships with their programs, by program name then role (one query, once)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _MEMBERSHIPS, None)
    if cached is None:
        # Sorted here: ordering by the program's name in SQL costs a join's worth of compiling.
        cached = sorted(
            user.memberships.select_related("program").order_by(),
            key=lambda m: (m.program.name, m.role),
        )
        setattr(user, _MEMBERSHIPS, cached)
    return cached


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
