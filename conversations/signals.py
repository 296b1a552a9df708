"""Events of the conversations app that higher apps react to, so that it depends on none of them."""

from django.dispatch import Signal

# Sent inside the transaction that records it, with `shared` (a conversations.SharedMessage): one
# of a dyad's two people asked the program's admins about one message (the attention list shows it).
message_shared = Signal()
