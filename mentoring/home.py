"""The home page: the programs app's overview plus one panel per app, each a fixed number of queries."""

from django.utils.module_loading import import_string

from programs.selectors import home_for

# (selector returning the panel's context for a user, template that renders it). Each app adds its
# own line; the home page includes the panels in this order.
HOME_PANELS: list[tuple[str, str]] = [
    ("meetings.selectors.home_panel", "meetings/_home_panel.html"),
    ("goals.selectors.home_panel", "goals/_home_panel.html"),
    ("feedback.selectors.home_panel", "feedback/_home_panel.html"),
]


def home_context(user) -> dict:
    context = home_for(user)
    panels = []
    for selector, template in HOME_PANELS:
        panel = import_string(selector)(user)
        context.update(panel)
        panels.append(template)
    context["home_panels"] = panels
    return context
