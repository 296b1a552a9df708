"""The CSV exports: a byte-order mark, the documented headers, formula-neutralised cells, streamed;
and no confidential note, private note or answer text in any export, chart or report."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback.models import FeedbackRequest
from feedback.services import submit_feedback
from meetings.models import Meeting
from meetings.services import save_private_note, save_shared_notes
from mentoring.models import User
from programs.models import Program
from reports.exports import EXPORTS
from reports.selectors import LISTS
from tests.feedback.helpers import rubric
from tests.reports.helpers import read_csv

pytestmark = pytest.mark.django_db

CANARIES = {
    "private_note": "CANARY-report-private-5e1f",
    "confidential_note": "CANARY-report-confidential-8c2d",
    "answer_text": "CANARY-report-answer-3b7a",
    "shared_notes": "CANARY-report-shared-notes-9d40",
}


def _readme_columns() -> dict[str, list[str]]:
    """The columns docs/reports.md (linked from the README) documents for each export:
    `### <file>` then a table of columns."""
    text = (Path(settings.BASE_DIR) / "docs" / "reports.md").read_text(encoding="utf-8")
    documented = {}
    for block in re.split(r"\n### ", text)[1:]:
        name = block.split("`", 2)[1]  # `<program>-<key>.csv`
        key = name.split("-", 1)[1].removesuffix(".csv")
        documented[key] = re.findall(r"^\| `(\w+)` \|", block, flags=re.M)
    return documented


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())
    return {u.email: u for u in User.objects.all()}


def _plant_canaries(demo):
    mentor, mentee = demo["mentor@example.com"], demo["mentee@example.com"]
    meeting = Meeting.objects.of_participant(mentee).filter(dyad__mentor=mentor).first()
    save_private_note(meeting=meeting, by=mentor, text=CANARIES["private_note"])
    save_shared_notes(
        meeting=meeting, by=mentee, text=CANARIES["shared_notes"], version=meeting.notes_version
    )
    pending = FeedbackRequest.objects.pending().filter(author__in=[mentor, mentee]).first()
    submit_feedback(
        feedback_request=pending,
        by=pending.author,
        answers=rubric(
            pending, strengths=CANARIES["answer_text"], note=CANARIES["confidential_note"]
        ),
    )


@pytest.mark.parametrize("key", list(EXPORTS))
def test_each_export_has_a_bom_the_documented_header_and_streams(client, world, key):
    client.force_login(world.admin)
    response = client.get(reverse("reports:export_csv", args=[world.program.slug, key]))
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="{world.program.slug}-{key}.csv"' in response["Content-Disposition"]
    header, _rows = read_csv(response)
    assert header == EXPORTS[key].header
    assert _readme_columns()[key] == header, "document each column in docs/reports.md"


@pytest.mark.parametrize("kind", list(LISTS))
def test_each_tile_list_downloads_as_csv_with_a_bom(client, world, kind):
    client.force_login(world.admin)
    response = client.get(reverse("reports:list_csv", args=[world.program.slug, kind]))
    assert isinstance(response, StreamingHttpResponse)
    header, _rows = read_csv(response)
    assert header and all(header)


def test_a_typed_formula_is_neutralised_and_accents_survive(client, world):
    User.objects.filter(pk=world.mentee.pk).update(name='=HYPERLINK("http://x") Zoë')
    client.force_login(world.admin)
    response = client.get(reverse("reports:export_csv", args=[world.program.slug, "dyads"]))
    _header, rows = read_csv(response)
    names = {r["mentee"] for r in rows}
    assert '\'=HYPERLINK("http://x") Zoë' in names


def test_no_note_or_answer_text_in_any_export_chart_or_report(client, demo):
    _plant_canaries(demo)
    program = Program.objects.get(memberships__user=demo["admin@example.com"])
    client.force_login(demo["admin@example.com"])
    slug = program.slug
    bodies = []
    for key in EXPORTS:
        response = client.get(reverse("reports:export_csv", args=[slug, key]))
        bodies.append(b"".join(response.streaming_content).decode("utf-8-sig"))
    for kind in LISTS:
        response = client.get(reverse("reports:list_csv", args=[slug, kind]))
        bodies.append(b"".join(response.streaming_content).decode("utf-8-sig"))
        bodies.append(client.get(reverse("reports:list", args=[slug, kind])).text)
    for name in ("trends", "annual", "exports", "mentor_load"):
        bodies.append(client.get(reverse(f"reports:{name}", args=[slug])).text)
    bodies.append(client.get(reverse("reports:department")).text)
    bodies.append(client.get(program.get_absolute_url()).text)
    everything = "\n".join(bodies)
    assert "Pediatrics" in everything  # the pages did render
    for where, canary in CANARIES.items():
        assert canary not in everything, f"{where} leaked into a report"


def test_a_download_starts_before_the_database_is_read(client, world):
    """The header leaves at once; rows follow from a cursor, so a large export starts at once and
    is never held whole in memory."""
    client.force_login(world.admin)
    response = client.get(reverse("reports:export_csv", args=[world.program.slug, "meetings"]))
    chunks = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as queries:
        first = next(chunks)
    assert first.startswith(b"\xef\xbb\xbfmeeting_id,dyad_id,")
    assert len(queries) == 0
