from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from feedback.models import FeedbackCycle, FeedbackRequest
from feedback.services import add_months, open_cycle, open_due_cycles
from programs.models import Program
from tests.builders import make_dyad


def test_add_months_keeps_the_last_day_of_short_months():
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2026, 11, 15), 6) == date(2027, 5, 15)


def test_admin_opens_cycle_with_two_requests_per_active_dyad(world):
    cycle = open_cycle(
        program=world.program,
        by=world.admin,
        name="Spring",
        opens=timezone.localdate(),
        due=timezone.localdate() + timedelta(days=7),
        closes=timezone.localdate() + timedelta(days=14),
    )
    requests = FeedbackRequest.objects.filter(cycle=cycle)
    assert requests.count() == 4
    assert set(requests.values_list("author", "subject")) == {
        (world.mentee.pk, world.mentor.pk),
        (world.mentor.pk, world.mentee.pk),
        (world.other_mentee.pk, world.other_mentor.pk),
        (world.other_mentor.pk, world.other_mentee.pk),
    }


def test_admin_cannot_open_cycle_with_dates_out_of_order(world):
    with pytest.raises(ValidationError, match="open on or before its due date"):
        open_cycle(
            program=world.program,
            by=world.admin,
            name="Backwards",
            opens=timezone.localdate() + timedelta(days=7),
            due=timezone.localdate(),
            closes=timezone.localdate() + timedelta(days=14),
        )
    assert not FeedbackCycle.objects.exists()


def test_mentor_cannot_open_cycle(world):
    with pytest.raises(PermissionDenied):
        open_cycle(
            program=world.program,
            by=world.mentor,
            name="Mine",
            opens=timezone.localdate(),
            due=timezone.localdate(),
            closes=timezone.localdate(),
        )


def test_due_cycles_open_once_per_cadence(world):
    Program.objects.update(created_at=world.program.created_at.replace(year=2026, month=1, day=5))
    assert open_due_cycles(date(2026, 7, 4)) == []
    opened = open_due_cycles(date(2026, 7, 5))
    assert {c.program for c in opened} == {world.program, world.program_b}
    assert open_due_cycles(date(2026, 7, 5)) == []
    assert open_due_cycles(date(2026, 12, 31)) == []
    assert FeedbackRequest.objects.filter(cycle__program=world.program).count() == 4
    again = open_due_cycles(date(2027, 1, 5))
    assert len(again) == 2


def test_due_cycle_asks_new_dyads_too(world):
    Program.objects.update(created_at=world.program.created_at.replace(year=2026, month=1, day=5))
    make_dyad(world.program)
    (cycle,) = [c for c in open_due_cycles(date(2026, 7, 5)) if c.program == world.program]
    assert cycle.requests.count() == 6


def test_the_daily_task_opens_due_cycles_once(world):
    import time_machine

    from feedback.tasks import open_due_feedback_cycles

    Program.objects.update(created_at=world.program.created_at.replace(year=2026, month=1, day=5))
    with time_machine.travel(date(2026, 7, 6), tick=False):
        assert open_due_feedback_cycles.delay().get() == 2
        assert open_due_feedback_cycles.delay().get() == 0
