"""The goals app's panel on the home page."""

from django.utils.translation import gettext

from goals import selectors
from mentoring import registry


@registry.home_panel(order=30)
def home_panel(user) -> selectors.GoalsPanel:
    return selectors.home_panel(user)


def _plans_label(roles: frozenset[str]) -> str:
    """ "My plan" for a mentee, "Mentees' plans" for a mentor, "Plans" for someone who is both."""
    both = roles & {"mentor", "mentee"}
    if both == {"mentee"}:
        return gettext("My plan")
    return gettext("Mentees' plans") if both == {"mentor"} else gettext("Plans")


registry.person_link(_plans_label, "goals:mine", sections=["goals:*"], order=20)
