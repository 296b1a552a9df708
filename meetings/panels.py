"""The meetings app's panel on the home page (the program page's overdue dyads are a tile of the
program overview, reports/panels.py, counted by meetings.selectors.overdue_dyads)."""

from django.utils.translation import gettext_lazy

from meetings import selectors
from mentoring import registry


@registry.home_panel(order=20, roles=["mentor", "mentee"])
def home_panel(user) -> selectors.MeetingsPanel:
    return selectors.home_panel(user)


@registry.home_panel(order=25, roles=["admin"])
def home_admin_panel(user) -> selectors.MeetingsAdminPanel:
    return selectors.home_admin_panel(user)


# The navigation bar: the person's meetings, and their calendar (its own section within meetings).
registry.person_link(gettext_lazy("Meetings"), "meetings:mine", sections=["meetings:*"], order=10)
registry.person_link(
    gettext_lazy("Calendar"), "meetings:calendar", sections=["meetings:calendar*"], order=40
)
