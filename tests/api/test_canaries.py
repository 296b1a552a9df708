"""Nothing private, confidential or unfinished ever leaves through the API.

Every free-text column of the demo world gets a canary naming its column; a token of every program
then reads every endpoint, every page. Only the columns the API means to show (people's names and
departments, program and feedback cycle names) may come back: never a confidential note, a private
or shared meeting note, an agenda, a feedback answer or draft, a goal's or milestone's text, an end
note, a message."""

import io
import re

import pytest
from django.core.management import call_command

from api.services import create_token
from mentoring.models import SecurityEvent, User
from programs.models import Program
from tests.api.conftest import Api
from tests.test_hostile import typed_columns

SHOWN = {
    ("user", "name"),
    ("user", "department"),
    ("program", "name"),
    ("feedbackcycle", "name"),
}
# Planted in the demo world, and must stay out (the test is void if the demo has none of them).
MUST_BE_PLANTED = {
    ("confidentialnote", "text"),
    ("privatenote", "text"),
    ("agendaitem", "topic"),
    ("meeting", "notes"),
    ("feedbackresponse", "strengths"),
    ("dyad", "end_note"),
    ("goal", "title"),
    ("milestone", "title"),
    ("message", "body"),
}
CANARY = re.compile(r"CANARY(\d+)Z")


def plant_canaries() -> dict[int, tuple[str, str]]:
    columns, planted = {}, set()
    for number, (model, field) in enumerate(typed_columns()):
        if model is SecurityEvent:
            continue
        key = (model._meta.model_name, field.name)
        columns[number] = key
        for pk in model.objects.values_list("pk", flat=True):
            text = f"CANARY{number}Z{pk}"[: field.max_length or 100]
            model.objects.filter(pk=pk).update(**{field.name: text})
            planted.add(key)
    assert not MUST_BE_PLANTED - planted, MUST_BE_PLANTED - planted
    return columns


def read_everything(api, program_ids) -> str:
    answers = []
    urls = ["/api/v1/", "/api/v1/programs/", "/api/v1/members/", "/api/v1/dyads/"]
    urls += ["/api/v1/meetings/", "/api/v1/goals/", "/api/v1/feedback-cycles/"]
    for pk in program_ids:
        urls += [f"/api/v1/programs/{pk}/overview/", f"/api/v1/programs/{pk}/mentor-feedback/"]
    seen = set()
    while urls:
        url = urls.pop()
        if url in seen:
            continue
        seen.add(url)
        response = api.get(url)
        assert response.status_code == 200, (url, response.content[:200])
        body = response.json()
        answers.append(response.content.decode())
        if isinstance(body, dict):
            if body.get("next"):
                urls.append(body["next"].removeprefix("http://testserver"))
            for row in body.get("results", []):
                if isinstance(row, dict) and row.get("url"):
                    urls.append(row["url"].removeprefix("http://testserver"))
    assert len(seen) > 20
    return "\n".join(answers)


@pytest.fixture
def canary_world(client, db):
    call_command("seed_demo", stdout=io.StringIO())
    columns = plant_canaries()
    programs = list(Program.objects.all())
    superuser = User.objects.get(email="superuser@example.com")
    _token, secret = create_token(
        programs=programs, by=superuser, name="Everything", expires_at=None
    )
    return columns, Api(client, secret), [p.pk for p in programs]


def test_no_private_text_reaches_any_api_answer(canary_world):
    columns, api, program_ids = canary_world
    text = read_everything(api, program_ids)
    leaked = {columns[int(n)] for n in CANARY.findall(text)}
    assert leaked - SHOWN == set(), f"columns the API must never show: {leaked - SHOWN}"
    assert ("user", "name") in leaked  # the walk did read typed text


def test_no_typed_text_reaches_a_webhook_body(canary_world):
    from api import crypto
    from api.models import Event, WebhookDelivery, WebhookEndpoint
    from api.webhooks import send_test_event
    from programs.models import Dyad
    from programs.services.dyads import end_dyad
    from programs.services.requests import request_re_pair

    program = Program.objects.get(slug="pediatrics")
    admin = User.objects.get(email="admin@example.com")
    endpoint = WebhookEndpoint.objects.create(
        program=program,
        url="https://hooks.example.org/x",
        events=[e.value for e in Event],
        secret_encrypted=crypto.encrypt("whsec_dGVzdHNlY3JldA=="),
        created_by=admin,
    )
    dyads = list(Dyad.objects.filter(program=program, status="active").order_by("pk")[:2])
    request_re_pair(dyad=dyads[0], by=dyads[0].mentee, reason="CANARY999Z reason")
    end_dyad(dyad=dyads[1], by=admin, reason=Dyad.EndReason.OTHER, note="CANARY999Z note")
    send_test_event(endpoint=endpoint)
    bodies = [str(p) for p in WebhookDelivery.objects.values_list("payload", flat=True)]
    assert len(bodies) >= 3
    assert not any("CANARY" in body for body in bodies), bodies
