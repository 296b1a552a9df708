"""Events of the programs app that other apps react to, so that programs depends on none of them."""

from django.dispatch import Signal

# Sent inside the transaction that ends a dyad, with `dyad` (the ended Dyad) and `by` (the admin). Receivers that do work
# outside the database enqueue it for after the commit.
dyad_ended = Signal()
