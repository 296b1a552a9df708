"""The program overview's part of the admins' weekly digest: the same counts as the tiles."""

from datetime import datetime

from mentoring import registry
from reports import selectors


@registry.admin_digest_section(order=5)
def overview_section(program_ids: list[int], now: datetime) -> dict[int, list[str]]:
    """One query for every program's counts (the overdue dyads, attention items and feedback
    completion come in the meetings and feedback sections, from the same querysets)."""
    counts = selectors.digest_counts(program_ids, now=now)
    return {pk: selectors.digest_lines(counts[pk]) for pk in program_ids if pk in counts}
