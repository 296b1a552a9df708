"""The dyads the signed-in person is or was in, fetched once per request as plain rows, so that
access is decided once and every read filters by ids (issue 21): `Dyad.objects.visible_to(user)` is
`id IN (their dyads) OR program_id IN (programs they administer)`, with both lists known, instead of
a subquery of dyads and memberships nested inside every read for the ORM and the planner to work
through again.

The memo lives on the user object, like mentoring.viewer's memberships: it lasts one request.
`mentoring.viewer.forget(user)` drops it after a change to the person's dyads within a request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mentoring import rawsql

_MEMO = "_viewer_own_dyads"
_OWN_DYADS_SQL = """
SELECT id, program_id, mentor_id, mentee_id, kind, status, ended_at FROM programs_dyad
 WHERE mentor_id = %s OR mentee_id = %s
"""


@dataclass(frozen=True)
class OwnDyad:
    """One dyad of the viewer's, as access decisions need it."""

    id: int
    program_id: int
    mentor_id: int
    mentee_id: int
    kind: str
    status: str
    ended_at: datetime | None

    @property
    def is_open(self) -> bool:
        return self.status != "ended"


def own_dyads(user) -> list[OwnDyad]:
    """Every dyad the person is or was in, both ways, ended ones too: one query, once."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _MEMO, None)
    if cached is None:
        from programs.models import Dyad  # models import this module: no cycle at import time

        # Written once as SQL (mentoring/rawsql.py): it is read on most pages, and compiling it
        # through the ORM cost several times running it.
        rows = rawsql.rows(Dyad, _OWN_DYADS_SQL, [user.pk, user.pk])
        cached = [
            OwnDyad(d.pk, d.program_id, d.mentor_id, d.mentee_id, d.kind, d.status, d.ended_at)
            for d in rows
        ]
        setattr(user, _MEMO, cached)
    return cached


def own_dyad_ids(user) -> list[int]:
    return [d.id for d in own_dyads(user)]
