"""The feedback app's panel on the home page."""

from django.utils.translation import gettext_lazy

from feedback import selectors
from mentoring import registry


@registry.home_panel(order=40)
def home_panel(user) -> selectors.FeedbackPanel:
    return selectors.home_panel(user)


registry.person_link(
    gettext_lazy("Feedback"),
    "feedback:mine",
    sections=["feedback:mine", "feedback:request", "feedback:correct"],
    order=30,
)
registry.program_link(gettext_lazy("Feedback"), "feedback:program", order=50)
registry.program_link(gettext_lazy("Needs attention"), "feedback:attention", order=60)
