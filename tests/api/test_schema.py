"""The OpenAPI schema is valid, and every endpoint's answer on the demo world matches it exactly
(no field the schema does not declare, none it declares missing)."""

import copy
import io
import json

import pytest
from django.core.management import call_command
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate

from api.services import create_token
from feedback.models import FeedbackCycle
from meetings.models import Meeting
from mentoring.models import User
from programs.models import Dyad, Membership, Program
from tests.api.conftest import Api


@pytest.fixture
def demo_api(client, db):
    call_command("seed_demo", stdout=io.StringIO())
    program = Program.objects.get(slug="pediatrics")
    _token, secret = create_token(
        programs=[program],
        by=User.objects.get(email="admin@example.com"),
        name="Schema walk",
        expires_at=None,
    )
    return program, Api(client, secret)


def _schema(client) -> dict:
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return json.loads(response.content)


def _closed(spec: dict) -> dict:
    """The spec with every object schema closed to undeclared properties."""
    spec = copy.deepcopy(spec)

    def close(node):
        if isinstance(node, dict):
            if "properties" in node and "additionalProperties" not in node:
                node["additionalProperties"] = False
            for value in node.values():
                close(value)
        elif isinstance(node, list):
            for value in node:
                close(value)

    close(spec["components"])
    return spec


def test_the_schema_is_valid_openapi(client, db):
    spec = _schema(client)
    validate(spec)
    assert spec["components"]["securitySchemes"]["programToken"]["scheme"] == "bearer"
    assert client.get("/api/v1/schema/").status_code == 200  # YAML by default


def test_every_endpoint_answers_as_the_schema_says(client, demo_api):
    program, api = demo_api
    spec = _closed(_schema(client))
    ids = {
        "/api/v1/programs/{id}/": program.pk,
        "/api/v1/members/{id}/": Membership.objects.filter(program=program).first().pk,
        "/api/v1/dyads/{id}/": Dyad.objects.filter(program=program, status="ended").first().pk,
        "/api/v1/meetings/{id}/": Meeting.objects.filter(dyad__program=program).first().pk,
        "/api/v1/feedback-cycles/{id}/": FeedbackCycle.objects.filter(program=program).first().pk,
    }
    walked = 0
    for path, operations in spec["paths"].items():
        if "get" not in operations or path.endswith("/schema/"):
            continue
        url = path.replace("{id}", str(ids.get(path, program.pk)))
        response = api.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        schema = operations["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        body = response.json()
        OAS30Validator({**schema, "components": spec["components"]}).validate(body)
        if "results" in body:
            assert body["results"], f"{url}: an empty list checks nothing"
        walked += 1
    assert walked >= 12


def test_the_docs_page_is_served_from_our_own_static_files(client, db):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "<script>" not in page  # the CSP allows no inline script
