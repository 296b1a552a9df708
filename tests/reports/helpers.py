"""A program with one or more of each thing the overview counts, built through the apps' services
at a fixed Monday morning (NOW), so the admins' digest is due and every date is known."""

import csv
import io
from dataclasses import dataclass
from datetime import timedelta

import time_machine

from feedback.models import AttentionItem
from goals import services as goal_services
from meetings import services as meeting_services
from mentoring import registry
from programs.models import Dyad
from programs.services.requests import request_mentor
from tests.builders import make_dyad
from tests.feedback.helpers import make_cycle, request_of, submit
from tests.goals.builders import make_goal
from tests.meetings.builders import schedule
from tests.programs.helpers import new_mentee
from tests.reminders.conftest import at

NOW = at(2027, 3, 1, 9)  # a Monday, 09:00 UTC


@dataclass
class Busy:
    waiting: list
    overdue_dyad: Dyad


def busy_program(world) -> Busy:
    """Call inside time_machine.travel(NOW)."""
    now = NOW
    program = world.program
    # A dyad paired two months ago that never met: overdue for a meeting.
    with time_machine.travel(now - timedelta(days=60), tick=False):
        idle = make_dyad(program, by=world.admin, cadence_days=30)
        # A material asked back by a date that has passed, and a milestone past due.
        past = schedule(idle, starts_at=now - timedelta(days=58))
        meeting_services.attach_material(
            meeting=past,
            by=idle.mentee,
            title="Specific aims",
            link="https://example.org/aims",
            review_by=(now - timedelta(days=50)).date(),
            max_bytes=10_000_000,
        )
        goal = make_goal(program, idle.mentee)
        goal_services.propose_milestone(
            goal=goal,
            by=idle.mentee,
            title="Submit the draft",
            due_date=(now - timedelta(days=20)).date(),
        )
    # Meetings in the next 7 days, one with its agenda ready.
    schedule(world.dyad, starts_at=now + timedelta(days=2))
    ready = schedule(world.other_dyad, starts_at=now + timedelta(days=3))
    meeting_services.add_agenda_item(meeting=ready, by=world.other_mentee, topic="K award")
    meeting_services.set_agenda_ready(meeting=ready, by=world.other_mentee, ready=True)
    # Two mentees without a mentor; one of them asked world.mentor.
    loner = new_mentee(world, name="Lone Mentee")
    asking = new_mentee(world, name="Asking Mentee")
    request_mentor(program=program, mentee=asking, mentor=world.mentor)
    # Something on the attention list, and an open feedback cycle half answered.
    AttentionItem.objects.create(dyad=world.other_dyad, reason="different_pairing")
    cycle = make_cycle(world)
    submit(request_of(cycle, world.dyad, "mentee"))
    return Busy(waiting=[loner, asking], overdue_dyad=idle)


def digest_body(program, now) -> str:
    """The admins' digest for the program, as programs.reminders.admin_digests assembles it."""
    sections = [section([program.pk], now) for _order, section in registry.ADMIN_DIGEST_SECTIONS]
    return "\n".join(str(line) for section in sections for line in section.get(program.pk, []))


def read_csv(response) -> tuple[list[str], list[dict]]:
    """A CSV download as Python's csv module reads it: (header, rows); it must start with a BOM."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"\xef\xbb\xbf"), "no byte-order mark"
    reader = csv.DictReader(io.StringIO(body.decode("utf-8-sig")))
    rows = list(reader)
    return reader.fieldnames, rows
