"""The api app's links in a program admin's menu."""

from mentoring import registry

registry.program_link("API tokens", "integrations:tokens", order=85)
registry.program_link("Webhooks", "integrations:webhooks", order=86)
