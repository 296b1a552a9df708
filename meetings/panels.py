"""The meetings app's panels on the home page and on an admin's program page."""

from meetings import selectors
from mentoring import registry


@registry.home_panel("meetings/_home_panel.html", order=20)
def home_panel(user) -> dict:
    return selectors.home_panel(user)


@registry.program_panel("meetings/_program_panel.html", order=10)
def program_panel(program, user) -> dict:
    """Dyads overdue for a meeting, by the one rule (meetings.selectors.overdue_dyads): one query."""
    return {"meetings_overdue": selectors.overdue_dyads(program_ids=[program.pk])}
