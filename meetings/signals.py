"""Events of the meetings app that other apps react to, so that meetings depends on none of them."""

from django.dispatch import Signal

# Sent inside the transaction that marks a dyad's first meeting held, with `dyad` and `meeting`.
# Receivers do database work in that transaction (feedback opens its first-meeting fit check).
first_meeting_held = Signal()
