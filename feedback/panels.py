"""The feedback app's panel on the home page."""

from feedback import selectors
from mentoring import registry


@registry.home_panel("feedback/_home_panel.html", order=40)
def home_panel(user) -> dict:
    return selectors.home_panel(user)
