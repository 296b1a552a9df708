"""The conversations app's link in the navigation bar, with the count of unread messages."""

from conversations import selectors
from mentoring import registry

registry.person_link(
    "Messages",
    "conversations:index",
    sections=["conversations:*"],
    order=15,
    badge=selectors.unread_total,
)
