"""Small scenes on top of the `world` fixture for the programs tests (built through services)."""

from programs.models import Dyad, Membership, MentorRequest
from programs.services.dyads import end_dyad
from programs.services.requests import request_mentor
from tests.builders import add_member, make_dyad, make_user


def new_mentee(w, **profile):
    """A mentee of program A with no dyad yet."""
    user = make_user(**profile)
    add_member(w.program, user, Membership.Role.MENTEE)
    return user


def new_mentor(w, capacity: int | None = None, **profile):
    user = make_user(**profile)
    add_member(w.program, user, Membership.Role.MENTOR, capacity=capacity)
    return user


def open_request(w) -> MentorRequest:
    """world.mentee's dyad ends (goals met) and they ask world.mentor again: a pending request
    that the mentee sent, the mentor answers and the admin oversees."""
    end_dyad(dyad=w.dyad, by=w.admin, reason=Dyad.EndReason.GOALS_MET)
    return request_mentor(
        program=w.program,
        mentee=w.mentee,
        mentor=w.mentor,
        note="I'd like to keep working together.",
    )


def proposed_dyad(w) -> Dyad:
    """A pairing that waits for the admin's approval, between two new members of program A."""
    return make_dyad(w.program, by=w.admin, status=Dyad.Status.PROPOSED, formed=Dyad.Formed.CHOSEN)


def count_queries(client, url: str, params: dict | None = None) -> int:
    """How many queries one GET of the page costs (after a warm-up GET, so caches are equal)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, params or {})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)
