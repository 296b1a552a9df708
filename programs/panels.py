"""The programs app's parts of the home page: the person's dyads first, their programs last."""

from mentoring import registry
from programs import selectors


@registry.home_panel("programs/_home_dyads.html", order=10)
def home_dyads(user) -> dict:
    return selectors.home_for(user)


@registry.home_panel("programs/_home_programs.html", order=90)
def home_programs(user) -> dict:
    return {}  # the memberships come with home_dyads
