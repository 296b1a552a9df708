"""One status badge for every page: the same colour always means the same thing.

    {% load badges %}{% status_badge dyad %}        (its status, in words, coloured by meaning)
    {% status_badge meeting id="meeting-status" %}

Green: going as agreed (active, scheduled, held, done, accepted). Yellow: waits for someone
(proposed, requested, pending, paused, at risk). Red: needs attention now (overdue, missed,
declined, off track). Grey: over (ended, cancelled, withdrawn, expired, archived). The words always
say it too: colour is never the only sign.
"""

from django import template
from django.utils.html import format_html

register = template.Library()

MEANING = {
    "success": {
        "active",
        "scheduled",
        "held",
        "done",
        "completed",
        "accepted",
        "agreed",
        "achieved",
        "reviewed",
        "submitted",
        "ready",
        "resolved",
        "on_track",
        "answered",
        "approved",
    },
    "warning": {
        "proposed",
        "requested",
        "pending",
        "awaiting",
        "paused",
        "changes",
        "at_risk",
        "open",
        "draft",
        "in_progress",
    },
    "danger": {"overdue", "missed", "declined", "off_track", "refused", "rejected", "behind"},
    "secondary": {"ended", "cancelled", "withdrawn", "expired", "archived", "closed", "dropped"},
}
COLOUR = {status: colour for colour, statuses in MEANING.items() for status in statuses}


def colour_of(status: str) -> str:
    return COLOUR.get(str(status), "info")


@register.simple_tag
def status_badge(obj, id="", label=""):
    """`obj` has a `status` with choices (get_status_display), or is a status string; `label`:
    the status in words when the page has it already (a list's rows, labelled once per value)."""
    status = getattr(obj, "status", obj)
    if not label:
        label = obj.get_status_display() if hasattr(obj, "get_status_display") else str(status)
    colour = colour_of(status)
    if id:
        return format_html('<span class="badge text-bg-{}" id="{}">{}</span>', colour, id, label)
    return format_html('<span class="badge text-bg-{}">{}</span>', colour, label)
