"""The programs app's parts of the home page: the person's dyads first, their programs last."""

from django.utils.translation import gettext_lazy

from mentoring import registry
from programs import selectors


@registry.home_panel(order=10)
def home_dyads(user) -> selectors.DyadsPanel:
    return selectors.home_dyads(user)


@registry.home_panel(order=90)
def home_programs(user) -> selectors.ProgramsPanel:
    return selectors.home_programs(user)


# An admin's menu of a program in the navigation bar (other apps add theirs).
registry.program_link(gettext_lazy("Overview"), "programs:detail", order=10)
registry.program_link(gettext_lazy("Members"), "programs:members", order=20)
registry.program_link(gettext_lazy("Pair mentees"), "programs:pair", order=30)
registry.program_link(gettext_lazy("Mentor requests"), "programs:requests", order=40)
registry.program_link(gettext_lazy("Notices"), "programs:notices", order=80)
registry.program_link(gettext_lazy("Settings"), "programs:settings", order=90)
