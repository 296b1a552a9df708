"""Every calendars URL × every person of the world. A connection is its owner's alone: the partner,
the program admin and everyone else get 404. The slot picker is the dyad's mentor's and mentee's:
the program admin (who sees the dyad) gets 403, everyone else 404."""

from calendars.models import Connection
from tests.access import EVERYONE, Case, roles

PAIR = roles("mentor", "mentee")


def mentee_calendar(w) -> Connection:
    cache = w.__dict__.setdefault("_calendars_cache", {})
    if "published" not in cache:
        connection = Connection(user=w.mentee, kind=Connection.Kind.PUBLISHED)
        connection.address = "http://calendar.invalid/mentee.ics"
        connection.save()
        cache["published"] = connection
    return cache["published"]


CASES = [
    Case("calendars:mine", ok=EVERYONE),
    Case(
        "calendars:hours",
        ok=EVERYONE,
        method="post",
        data=lambda w: {"starts": "08:00", "ends": "16:00", "days": ["0", "1", "2"]},
    ),
    Case(
        "calendars:connect_published",
        ok=EVERYONE,
        method="post",
        data=lambda w: {"address": "https://calendar.invalid/me.ics"},
    ),
    # Refused on the form (no server answers): the page again, with the reason.
    Case(
        "calendars:connect_caldav",
        ok=EVERYONE,
        method="post",
        data=lambda w: {"server_url": "http://10.1.1.1/dav/", "username": "a", "password": "b"},
    ),
    Case("calendars:refresh", lambda w: [mentee_calendar(w).pk], ok=roles("mentee"), method="post"),
    # Not a CalDAV account: the owner is told so on the page (302); anyone else gets 404.
    Case(
        "calendars:choose_calendar",
        lambda w: [mentee_calendar(w).pk],
        ok=roles("mentee"),
        method="post",
        data=lambda w: {"calendar": "http://calendar.invalid/other/"},
    ),
    Case(
        "calendars:disconnect", lambda w: [mentee_calendar(w).pk], ok=roles("mentee"), method="post"
    ),
    Case("calendars:slots", lambda w: [w.dyad.pk], ok=PAIR),
]
