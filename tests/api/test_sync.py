"""Incremental sync: cursor pages in (updated_at, id) order, `updated_since`, ETags, a fixed number
of queries per page, the per-token rate limit, and hostile parameters (400 with a message)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.auth import TokenRateThrottle
from mentoring.models import User
from programs.models import Dyad, Membership
from programs.services.dyads import end_dyad

LIST_URLS = [
    "/api/v1/programs/",
    "/api/v1/members/",
    "/api/v1/dyads/",
    "/api/v1/meetings/",
    "/api/v1/goals/",
    "/api/v1/feedback-cycles/",
]


def _many_dyads(program, count: int) -> None:
    # Bulk rows (a thousand pairings through the services would take minutes); the columns the
    # services would set are set here alike.
    people = User.objects.bulk_create(
        User(email=f"bulk{i}@example.org", name=f"Bulk {i}") for i in range(2 * count)
    )
    Membership.objects.bulk_create(
        Membership(program=program, user=p, role="mentor" if i % 2 else "mentee")
        for i, p in enumerate(people)
    )
    Dyad.objects.bulk_create(
        Dyad(
            program=program,
            mentee=people[2 * i],
            mentor=people[2 * i + 1],
            status=Dyad.Status.ACTIVE,
            started_on=timezone.localdate(),
        )
        for i in range(count)
    )


def _sync(api, url: str) -> tuple[list[dict], list[int]]:
    rows, queries = [], []
    while url:
        with CaptureQueriesContext(connection) as captured:
            response = api.get(url)
        assert response.status_code == 200, response.content[:300]
        queries.append(len(captured))
        body = response.json()
        rows.extend(body["results"])
        url = body["next"]
    return rows, queries


@pytest.mark.postgres
def test_a_thousand_dyads_sync_page_by_page_in_five_queries_or_fewer(world, api):
    _many_dyads(world.program, 1000)
    rows, queries = _sync(api, "/api/v1/dyads/?limit=100")
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)) == Dyad.objects.filter(program=world.program).count()
    assert len(queries) >= 10
    assert max(queries) <= 5, queries

    # Then only what changed: one pairing ends; syncing from the last moment seen returns it.
    since = max(row["updated_at"] for row in rows)
    dyad = Dyad.objects.filter(program=world.program, status="active").order_by("pk")[10]
    end_dyad(dyad=dyad, by=world.admin, reason=Dyad.EndReason.GOALS_MET)
    changed, queries = _sync(api, f"/api/v1/dyads/?updated_since={since.replace('+', '%2B')}")
    assert dyad.pk in {row["id"] for row in changed}
    assert len(changed) <= 3  # the ended one (and rows sharing the last moment seen)
    ended = next(row for row in changed if row["id"] == dyad.pk)
    assert ended["status"] == "ended" and ended["end_reason"] == "goals_met"


def test_members_and_meetings_pages_stay_within_five_queries(world, api):
    for url in LIST_URLS:
        _rows, queries = _sync(api, url + "?limit=1")
        assert max(queries) <= 5, (url, queries)


def test_etag_answers_304_until_something_changes(world, api):
    first = api.get("/api/v1/dyads/")
    etag = first["ETag"]
    assert api.get("/api/v1/dyads/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    end_dyad(dyad=world.dyad, by=world.admin, reason=Dyad.EndReason.GOALS_MET)
    again = api.get("/api/v1/dyads/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag


def test_the_rate_limit_answers_429_with_retry_after(world, api, monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "3/min"})
    statuses = [api.get("/api/v1/programs/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get("/api/v1/programs/")
    assert int(response["Retry-After"]) > 0
    assert response.json()["error"]["message"]


HOSTILE_VALUES = [
    "99999999999999999999999999",
    "-1",
    "0",
    "1e9",
    "' OR 1=1 --",
    "1; DROP TABLE programs_dyad",
    '{"$gt": ""}',
    "[1,2]",
    "%00",
    "\u0661\u0662",  # Arabic-Indic digits: isdigit() but not an id
    "x" * 5000,
]


@pytest.mark.parametrize("url", LIST_URLS)
def test_hostile_values_of_every_parameter_are_400_with_a_message(world, api, url):
    names = ["cursor", "limit", "program", "updated_since", "status", "role", "dyad"]
    for name in names:
        for value in HOSTILE_VALUES:
            response = api.client.get(url, {name: value}, HTTP_AUTHORIZATION=f"Bearer {api.secret}")
            assert response.status_code == 400, (url, name, value, response.status_code)
            error = response.json()["error"]
            assert error["message"] and name in error.get("fields", {}), (url, name, value)


def test_junk_moment_and_repeated_parameters_are_400(world, api):
    for query in [
        "updated_since=yesterday",
        "updated_since=2026-01-01T00:00:00",  # no zone
        "updated_since=2026-01-01T00:00:00 01:00",  # a "+" that was not encoded
        "updated_since=0001-01-01T00:00:00Z",
        "limit=1&limit=2",
        "cursor=" + "A" * 40,
        "page=2",
    ]:
        response = api.get(f"/api/v1/dyads/?{query}")
        assert response.status_code == 400, query
        assert response.json()["error"]["message"], query


def test_a_cursor_of_another_list_is_refused(world, api):
    from tests.builders import make_dyad

    make_dyad(world.program)
    cursor = api.get("/api/v1/dyads/?limit=1").json()["next_cursor"]
    assert cursor
    response = api.get(f"/api/v1/meetings/?cursor={cursor}")
    assert response.status_code == 400
    assert "cursor" in response.json()["error"]["fields"]


def test_updated_since_in_the_future_is_an_empty_page(world, api):
    later = (timezone.now() + timedelta(days=1)).isoformat().replace("+", "%2B")
    assert api.get(f"/api/v1/dyads/?updated_since={later}").json()["results"] == []


def _stamp(model, pk):
    return model.objects.values_list("updated_at", flat=True).get(pk=pk)


def test_updated_at_follows_what_each_answer_shows(world, api, settings, tmp_path):
    """A member and a dyad show the person's name and e-mail, a meeting its materials count, a
    cycle its requests and answers: a change there is a change of the row for `updated_since`."""
    from feedback.models import FeedbackCycle
    from meetings import services as meetings
    from meetings.models import Material, Meeting
    from tests.feedback.helpers import make_cycle, request_of, submit
    from tests.meetings.builders import pdf_upload, schedule

    settings.MEDIA_ROOT = tmp_path
    membership = Membership.objects.get(program=world.program, user=world.mentee)
    member_at, dyad_at = _stamp(Membership, membership.pk), _stamp(Dyad, world.dyad.pk)
    User.objects.filter(pk=world.mentee.pk).update(last_login=timezone.now())
    assert _stamp(Membership, membership.pk) == member_at  # a sign-in shows nowhere
    world.mentee.name = "Renamed Mentee"
    world.mentee.save(update_fields=["name"])
    assert _stamp(Membership, membership.pk) > member_at
    assert _stamp(Dyad, world.dyad.pk) > dyad_at
    member = api.get(f"/api/v1/members/{membership.pk}/").json()
    assert member["person"]["name"] == "Renamed Mentee"
    changed = api.get(f"/api/v1/members/?updated_since={member_at.isoformat().replace('+', '%2B')}")
    assert membership.pk in {row["id"] for row in changed.json()["results"]}

    meeting = schedule(world.dyad)
    meeting_at = _stamp(Meeting, meeting.pk)
    material = meetings.attach_material(
        meeting=meeting, by=world.mentee, title="Aims", upload=pdf_upload(), max_bytes=10**6
    )
    assert _stamp(Meeting, meeting.pk) > meeting_at
    meeting_at = _stamp(Meeting, meeting.pk)
    Material.objects.filter(pk=material.pk).delete()
    assert _stamp(Meeting, meeting.pk) > meeting_at

    cycle = make_cycle(world)
    cycle_at = _stamp(FeedbackCycle, cycle.pk)
    submit(request_of(cycle, world.dyad, "mentee"))
    assert _stamp(FeedbackCycle, cycle.pk) > cycle_at
