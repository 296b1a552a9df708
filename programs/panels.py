"""The programs app's parts of the home page: the person's dyads first, their programs last."""

from mentoring import registry
from programs import selectors


@registry.home_panel(order=10)
def home_dyads(user) -> selectors.DyadsPanel:
    return selectors.home_dyads(user)


@registry.home_panel(order=90)
def home_programs(user) -> selectors.ProgramsPanel:
    return selectors.home_programs(user)


# An admin's menu of a program in the navigation bar (other apps add theirs).
registry.program_link("Overview", "programs:detail", order=10)
registry.program_link("Members", "programs:members", order=20)
registry.program_link("Pair mentees", "programs:pair", order=30)
registry.program_link("Mentor requests", "programs:requests", order=40)
registry.program_link("Notices", "programs:notices", order=80)
registry.program_link("Settings", "programs:settings", order=90)
