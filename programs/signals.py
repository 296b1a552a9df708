"""Events of the programs app that other apps react to, so that programs depends on none of them."""

from django.dispatch import Signal

# Sent inside the transaction that ends a dyad, with `dyad` (the ended Dyad) and `by` (the admin). Receivers that do work
# outside the database enqueue it for after the commit.
dyad_ended = Signal()

# Sent inside the transaction that records it, with `re_pair_request` (a programs.RePairRequest):
# the mentee or the mentor asked the program for a different pairing (the attention list shows it).
re_pair_requested = Signal()
