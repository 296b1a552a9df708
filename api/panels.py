"""The api app's links in a program admin's menu."""

from django.utils.translation import gettext_lazy

from mentoring import registry

registry.program_link(gettext_lazy("API tokens"), "integrations:tokens", order=85)
registry.program_link(gettext_lazy("Webhooks"), "integrations:webhooks", order=86)
