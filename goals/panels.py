"""The goals app's panel on the home page."""

from goals import selectors
from mentoring import registry


@registry.home_panel("goals/_home_panel.html", order=30)
def home_panel(user) -> dict:
    return selectors.home_panel(user)
