"""The api app's link in a program admin's menu."""

from mentoring import registry

registry.program_link("API tokens", "api_tokens:program", order=85)
