"""Every endpoint × a token of program A: A's objects answer, B's are 404 (as if missing), B's rows
are in no list; no token is 401 everywhere."""

from datetime import timedelta

import pytest
from django.utils import timezone

from api.services import create_token
from feedback.services import open_cycle
from meetings.models import Meeting
from tests.api.conftest import Api
from tests.builders import make_dyad


def _cycle(program, by):
    today = timezone.localdate()
    return open_cycle(
        program=program,
        by=by,
        name="Spring",
        opens=today,
        due=today + timedelta(days=7),
        closes=today + timedelta(days=14),
    )


@pytest.fixture
def both(world):
    """A dyad, a meeting and a feedback cycle in each program."""
    dyad_b = make_dyad(world.program_b, by=world.outsider_admin)
    meetings = {}
    for key, dyad in (("a", world.dyad), ("b", dyad_b)):
        meetings[key] = Meeting.objects.create(dyad=dyad, requested_by=dyad.mentee)
    return {
        "dyad_b": dyad_b,
        "meeting_a": meetings["a"],
        "meeting_b": meetings["b"],
        "cycle_a": _cycle(world.program, world.admin),
        "cycle_b": _cycle(world.program_b, world.outsider_admin),
    }


def _objects(world, both, side: str) -> list[str]:
    program = world.program if side == "a" else world.program_b
    dyad = world.dyad if side == "a" else both["dyad_b"]
    return [
        f"/api/v1/programs/{program.pk}/",
        f"/api/v1/programs/{program.pk}/overview/",
        f"/api/v1/programs/{program.pk}/mentor-feedback/",
        f"/api/v1/dyads/{dyad.pk}/",
        f"/api/v1/meetings/{both['meeting_' + side].pk}/",
        f"/api/v1/feedback-cycles/{both['cycle_' + side].pk}/",
        f"/api/v1/members/?program={program.pk}",
        f"/api/v1/dyads/?program={program.pk}",
        f"/api/v1/meetings/?program={program.pk}",
        f"/api/v1/goals/?program={program.pk}",
        f"/api/v1/feedback-cycles/?program={program.pk}",
    ]


LISTS = [
    "/api/v1/programs/",
    "/api/v1/members/",
    "/api/v1/dyads/",
    "/api/v1/meetings/",
    "/api/v1/goals/",
    "/api/v1/feedback-cycles/",
]


def test_a_token_reads_its_programs_objects(world, both, api):
    for url in _objects(world, both, "a"):
        response = api.get(url)
        assert response.status_code == 200, (url, response.content[:300])


def test_a_token_of_program_a_gets_404_for_every_object_of_program_b(world, both, api):
    for url in _objects(world, both, "b"):
        response = api.get(url)
        assert response.status_code == 404, url
        assert response.json()["error"]["message"], url


def test_lists_hold_nothing_of_another_program(world, both, api):
    programs = api.get("/api/v1/programs/").json()["results"]
    assert [p["id"] for p in programs] == [world.program.pk]
    for url in LISTS[1:]:
        rows = api.get(url).json()["results"]
        assert rows, url
        assert {row["program"] for row in rows} == {world.program.pk}, url
    ids = {row["id"] for row in api.get("/api/v1/dyads/").json()["results"]}
    assert both["dyad_b"].pk not in ids and world.dyad.pk in ids


def test_without_a_token_every_endpoint_is_401(client, world, both):
    for url in [*_objects(world, both, "a"), *LISTS, "/api/v1/"]:
        assert client.get(url).status_code == 401, url


def test_a_superuser_token_of_b_only_reads_b(client, world, both):
    _token, secret = create_token(
        programs=[world.program_b], by=world.outsider_admin, name="B", expires_at=None
    )
    b = Api(client, secret)
    assert b.get(f"/api/v1/dyads/{world.dyad.pk}/").status_code == 404
    assert b.get(f"/api/v1/dyads/{both['dyad_b'].pk}/").status_code == 200


def test_an_unknown_api_address_is_a_json_404(api):
    response = api.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert api.get("/api/v1/dyads/99999999999999999999/").status_code == 404
