"""Events of the meetings app that other apps react to, so that meetings depends on none of them."""

from django.dispatch import Signal

# Sent inside the transaction that marks a dyad's first meeting held, with `dyad` and `meeting`.
# Receivers do database work in that transaction (feedback opens its first-meeting fit check).
first_meeting_held = Signal()

# Sent inside the transaction that schedules, moves or cancels a meeting (the moments its calendar
# invitation is e-mailed), with `meeting` (its new version: status and SEQUENCE) and `change`
# ("scheduled", "changed" or "cancelled"). Receivers enqueue outside work for after the commit
# (calendars writes the meeting into connected CalDAV calendars).
meeting_changed = Signal()
