"""The program overview at the top of the program page: a tile per count, each linking to its list."""

from django.utils.translation import gettext_lazy

from mentoring import registry
from reports import selectors


@registry.program_panel("reports/_overview_panel.html", order=1)
def overview_panel(program, user) -> dict:
    """Two queries: every count, and the dyads overdue for a meeting (meetings' one rule)."""
    overview = selectors.overview(program)
    # `meetings_overdue`: the overdue dyads, as the program page has always handed them on.
    return {"overview": overview, "meetings_overdue": overview.overdue}


registry.program_link(gettext_lazy("Trends"), "reports:trends", order=70)
