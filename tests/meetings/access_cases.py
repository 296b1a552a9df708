"""Every meetings URL × every person of the world: who may use it, everyone else gets 403 or 404.

Meetings belong to world.dyad (mentor + mentee); the program admin may read but not act; other
dyads, other programs and anonymous visitors get nothing. Private notes: only their author.
"""

from meetings import services
from meetings.models import Meeting
from tests.access import EVERYONE, Case, roles
from tests.meetings.builders import at, pdf_upload, propose, schedule, started

PAIR = roles("mentor", "mentee")
READERS = roles("admin", "mentor", "mentee")


def _once(world, key, build):
    cache = world.__dict__.setdefault("_meetings_cache", {})
    if key not in cache:
        cache[key] = build()
    return cache[key]


def scheduled(w) -> Meeting:
    return _once(w, "scheduled", lambda: schedule(w.dyad))


def requested(w) -> Meeting:
    return _once(w, "requested", lambda: propose(w.dyad, by=w.mentee, starts_at=at(9, hour=10)))


def begun(w) -> Meeting:
    return _once(w, "begun", lambda: started(w.dyad, days_ago=1))


def material(w):
    return _once(
        w,
        "material",
        lambda: services.attach_material(
            meeting=scheduled(w), by=w.mentee, title="Aims", upload=pdf_upload(), max_bytes=10**6
        ),
    )


def agenda_item(w, by_role):
    return _once(
        w,
        f"agenda-{by_role}",
        lambda: services.add_agenda_item(
            meeting=scheduled(w), by=getattr(w, by_role), topic="Aims"
        ),
    )


def action_item(w):
    return _once(
        w,
        "action",
        lambda: services.add_action_item(
            meeting=scheduled(w), by=w.mentor, description="Email Dr. Chen", owner=w.mentee
        ),
    )


def feed_token(w):
    return _once(w, "feed", lambda: services.regenerate_calendar_feed(user=w.mentee))


def _slot(moment):
    return {"date1": f"{moment:%Y-%m-%d}", "start1": "10:00", "end1": "11:00"}


CASES = [
    Case("meetings:detail", lambda w: [scheduled(w).pk], ok=READERS),
    Case("meetings:detail", lambda w: [requested(w).pk], ok=READERS, label="requested"),
    Case("meetings:dyad", lambda w: [w.dyad.pk], ok=READERS),
    Case("meetings:propose", lambda w: [w.dyad.pk], ok=PAIR),
    Case(
        "meetings:propose",
        lambda w: [w.dyad.pk],
        ok=PAIR,
        method="post",
        data=lambda w: {**_slot(at(8)), "confirm_overlap": "on"},
    ),
    # Only the side that did not propose accepts.
    Case(
        "meetings:accept",
        lambda w: [requested(w).proposals.get().pk],
        ok=roles("mentor"),
        method="post",
        data=lambda w: {"confirm_overlap": "1"},
    ),
    Case("meetings:change", lambda w: [scheduled(w).pk], ok=PAIR),
    Case(
        "meetings:change",
        lambda w: [scheduled(w).pk],
        ok=PAIR,
        method="post",
        data=lambda w: {
            "date": f"{at(10):%Y-%m-%d}",
            "start": "10:00",
            "end": "11:00",
            "reason": "Clinic",
            "confirm_overlap": "on",
        },
    ),
    Case("meetings:cancel", lambda w: [scheduled(w).pk], ok=PAIR),
    Case(
        "meetings:cancel",
        lambda w: [scheduled(w).pk],
        ok=PAIR,
        method="post",
        data=lambda w: {"reason": "Away"},
    ),
    Case(
        "meetings:mark",
        lambda w: [begun(w).pk],
        ok=PAIR,
        method="post",
        data=lambda w: {"outcome": "held"},
    ),
    Case("meetings:invite", lambda w: [scheduled(w).pk], ok=READERS),
    Case(
        "meetings:agenda_add",
        lambda w: [scheduled(w).pk],
        ok=PAIR,
        method="post",
        data=lambda w: {"agenda-topic": "Aims", "agenda-help_needed": "advice"},
    ),
    Case(
        "meetings:agenda_ready",
        lambda w: [agenda_item(w, "mentee").meeting_id],
        ok=roles("mentee"),
        method="post",
        data=lambda w: {"ready": "1"},
    ),
    Case(
        "meetings:agenda_remove",
        lambda w: [agenda_item(w, "mentee").pk],
        ok=roles("mentee"),
        method="post",
    ),
    Case(
        "meetings:agenda_remove",
        lambda w: [agenda_item(w, "mentor").pk],
        ok=roles("mentor"),
        method="post",
        label="mentors-item",
    ),
    Case("meetings:material_add", lambda w: [scheduled(w).pk], ok=roles("mentee")),
    Case(
        "meetings:material_add",
        lambda w: [scheduled(w).pk],
        ok=roles("mentee"),
        method="post",
        data=lambda w: {"title": "Draft", "link": "https://docs.example.org/d"},
    ),
    # The file view: the dyad and its program admin; nobody else, not even another program's admin.
    Case("meetings:material_download", lambda w: [material(w).pk], ok=READERS),
    Case("meetings:material_review", lambda w: [material(w).pk], ok=roles("mentor")),
    Case(
        "meetings:material_review",
        lambda w: [material(w).pk],
        ok=roles("mentor"),
        method="post",
        data=lambda w: {"comment": "Good"},
    ),
    Case("meetings:notes", lambda w: [scheduled(w).pk], ok=PAIR),
    Case(
        "meetings:notes",
        lambda w: [scheduled(w).pk],
        ok=PAIR,
        method="post",
        data=lambda w: {"text": "Notes", "version": str(scheduled(w).notes_version)},
    ),
    # Private notes: the two people write their own; the program admin is refused like anyone else.
    Case("meetings:private_note", lambda w: [scheduled(w).pk], ok=PAIR),
    Case(
        "meetings:private_note",
        lambda w: [scheduled(w).pk],
        ok=PAIR,
        method="post",
        data=lambda w: {"text": "Mine"},
    ),
    Case(
        "meetings:action_add",
        lambda w: [scheduled(w).pk],
        ok=PAIR,
        method="post",
        data=lambda w: {"action-description": "Send aims", "action-owner": w.mentee.pk},
    ),
    Case(
        "meetings:action_done",
        lambda w: [action_item(w).pk],
        ok=PAIR,
        method="post",
        data=lambda w: {"done": "1"},
    ),
    # The person's own pairings: a page for everyone, listing only theirs (tests/test_navigation.py).
    Case("meetings:mine", ok=EVERYONE),
    Case("meetings:calendar", ok=EVERYONE),
    Case("meetings:calendar_regenerate", ok=EVERYONE, method="post"),
    Case("meetings:calendar_revoke", ok=EVERYONE, method="post"),
    # The token is the credential: it works without a session, for whoever holds it.
    Case("meetings:feed", lambda w: [feed_token(w)], ok=EVERYONE, public=True),
]
