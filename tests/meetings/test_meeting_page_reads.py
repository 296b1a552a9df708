"""The meeting page reads what it shows, once (issue 21): every field it prints was selected with
its row (no deferred field is loaded later, no relation fetched row by row), for each person who
opens it and in each state a meeting goes through."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from goals.models import ProgressReport
from goals.services import share_goal
from meetings import services
from meetings.models import Meeting
from programs.services.dyads import end_dyad
from tests.builders import make_dyad, make_user
from tests.goals.builders import make_goal
from tests.meetings.builders import held, pdf_upload, propose, schedule


def _refuse_late_reads(self, *args, fields=None, **kwargs):
    raise AssertionError(f"{type(self).__name__}.{fields} read after the fact")


def _full(world) -> Meeting:
    """A scheduled meeting with everything in it, after a held one with open action items."""
    goal = make_goal(world.program, world.mentee, title="Submit a K23")
    report = ProgressReport.objects.create(
        program=world.program, mentee=world.mentee, accomplishments="Aims drafted"
    )
    earlier = held(world.dyad, days_ago=10)
    services.add_action_item(
        meeting=earlier,
        by=world.mentor,
        description="Email Dr. Chen",
        owner=world.mentee,
        due_on=timezone.localdate() - timedelta(days=2),
    )
    meeting = schedule(world.dyad)
    services.add_agenda_item(
        meeting=meeting, by=world.mentee, topic="Aims", goal=goal, progress_report=report
    )
    services.add_agenda_item(meeting=meeting, by=world.mentor, topic="Promotion")
    material = services.attach_material(
        meeting=meeting, by=world.mentee, title="Draft", upload=pdf_upload(), max_bytes=10**6
    )
    services.review_material(material=material, by=world.mentor, comment="Good start")
    services.attach_material(
        meeting=meeting,
        by=world.mentee,
        title="Shared doc",
        upload=None,
        link="https://docs.example/aims",
        review_by=timezone.localdate() + timedelta(days=3),
        max_bytes=10**6,
    )
    services.add_action_item(
        meeting=meeting, by=world.mentee, description="Send the CV", owner=world.mentor
    )
    services.save_shared_notes(meeting=meeting, by=world.mentor, text="We talked", version=0)
    services.save_private_note(meeting=meeting, by=world.mentee, text="Mine only")
    services.set_agenda_ready(meeting=meeting, by=world.mentee, ready=True)
    return meeting


def _cancelled(world) -> Meeting:
    meeting = schedule(world.dyad)
    services.add_agenda_item(meeting=meeting, by=world.mentee, topic="Aims")
    return services.cancel_meeting(meeting=meeting, by=world.mentor, reason="Ill")


def _of_an_ended_pairing(world) -> Meeting:
    """An upcoming meeting of a pairing that then ended: cancelled by the admin who ended it."""
    meeting = _full(world)
    end_dyad(dyad=world.dyad, by=world.admin, reason="goals_met")
    return meeting


STATES = {
    "full": _full,
    "proposed": lambda world: propose(world.dyad, note="Either works"),
    "held": lambda world: held(world.dyad),
    "cancelled": _cancelled,
    "ended": _of_an_ended_pairing,
}
RECORDS = ("cancelled", "ended")


def _page(client, person, meeting, monkeypatch) -> tuple[str, list[str]]:
    client.force_login(person)
    client.get(meeting.get_absolute_url())  # the first request of a session may set things up
    # A field left out of `only()` would be read with a query of its own: refuse it.
    monkeypatch.setattr(Model, "refresh_from_db", _refuse_late_reads)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(meeting.get_absolute_url())
    monkeypatch.undo()
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in queries]


def _tables(queries: list[str]) -> list[str]:
    """The table each query reads (its last FROM: a subquery's comes before)."""
    return [re.findall(r'FROM "?(\w+)"?', sql)[-1] for sql in queries]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("who", ["mentee", "mentor", "admin"])
def test_the_meeting_page_reads_each_row_once(client, world, monkeypatch, state, who):
    meeting = STATES[state](world)
    _html, queries = _page(client, getattr(world, who), meeting, monkeypatch)
    takes_part = who != "admin"
    expected = [
        "mentoring_user",  # the signed-in person (and their unread count)
        "programs_dyad",  # their dyads: access is decided by these ids...
        "programs_membership",  # ...and the programs they administer (also the navigation)
        "meetings_meeting",  # the meeting, its dyad and the dyad's two people
        *(["meetings_proposedtime"] if state == "proposed" else []),
        "meetings_agendaitem",  # with the goal and the report each links
        "meetings_material",
        "meetings_actionitem",  # this meeting's, and the open ones of earlier meetings
        *(["meetings_privatenote"] if takes_part else []),  # the viewer's own
        # Ending the pairing cancelled this upcoming meeting in the name of the admin who ended
        # it: someone outside the pair, named with one more read.
        *(["mentoring_user"] if state == "ended" else []),
        # the goals and reports the agenda form offers, while the agenda can change
        *(["goals_goal", "goals_progressreport"] if takes_part and state not in RECORDS else []),
    ]
    assert _tables(queries) == expected


def test_someone_outside_the_pair_is_named_with_one_more_read(client, world, monkeypatch):
    meeting = _full(world)
    # Who marked, cancelled or edited is one of the two, as the services have it; older rows or
    # an admin's correction may name someone else.
    Meeting.objects.filter(pk=meeting.pk).update(notes_updated_by=world.admin)
    page, queries = _page(client, world.mentee, meeting, monkeypatch)
    assert "Last edited by Admin" in page
    assert _tables(queries).count("mentoring_user") == 2


def test_a_supplemental_mentor_is_offered_only_the_goals_shared_with_them(
    client, world, monkeypatch
):
    """Not the whole plan: the plan's rule decides, row by row, what the agenda form offers."""
    side = make_dyad(
        world.program,
        mentor=make_user("stats@a.example", name="Stella Stats"),
        mentee=world.mentee,
        kind="supplemental",
        focus_area="statistics",
        by=world.admin,
    )
    shared = make_goal(world.program, world.mentee, title="Power analysis")
    make_goal(world.program, world.mentee, title="Private career goal")
    share_goal(goal=shared, by=world.mentee, dyad=side)
    meeting = schedule(side)
    page, _queries = _page(client, side.mentor, meeting, monkeypatch)
    assert ">Power analysis</option>" in page
    assert "Private career goal" not in page
    page, _queries = _page(client, world.mentee, meeting, monkeypatch)
    assert ">Power analysis</option>" in page and ">Private career goal</option>" in page
