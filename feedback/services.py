"""What people do with feedback: open cycles and fit checks, answer, correct, flag, resolve."""

import calendar
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.models import FeedbackCycle, FeedbackRequest
from mentoring.access import require
from programs.models import Dyad, Program
from programs.selectors import is_program_admin

# A cycle opened from the program's cadence is due three weeks after it opens and closes (both
# sides revealed) a week later: long enough for people on leave, short enough to stay current.
SCHEDULED_DUE_DAYS = 21
SCHEDULED_CLOSE_DAYS = 28


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has fewer days."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _pair_requests(
    *, dyad: Dyad, kind: str, cycle: FeedbackCycle | None = None
) -> list[FeedbackRequest]:
    """Unsaved mentee → mentor and mentor → mentee requests of one dyad."""
    return [
        FeedbackRequest(
            dyad=dyad,
            kind=kind,
            cycle=cycle,
            author_role=FeedbackRequest.Role.MENTEE,
            author_id=dyad.mentee_id,
            subject_id=dyad.mentor_id,
        ),
        FeedbackRequest(
            dyad=dyad,
            kind=kind,
            cycle=cycle,
            author_role=FeedbackRequest.Role.MENTOR,
            author_id=dyad.mentor_id,
            subject_id=dyad.mentee_id,
        ),
    ]


def _link_pairs(requests: list[FeedbackRequest]) -> None:
    """Each request of a saved pair points at the other: the reveal rule asks the counterpart."""
    for mentee_side, mentor_side in zip(requests[::2], requests[1::2], strict=True):
        mentee_side.counterpart, mentor_side.counterpart = mentor_side, mentee_side
    FeedbackRequest.objects.bulk_update(requests, ["counterpart"])


@transaction.atomic
def open_fit_check(*, dyad: Dyad) -> tuple[FeedbackRequest, FeedbackRequest]:
    """After a dyad's first held meeting, ask both sides "is this a good fit?". Idempotent.

    Returns (mentee's request, mentor's request). Calling it again returns the same two.
    """
    # Lock the dyad so that two "meeting held" clicks at once cannot both create the pair.
    Dyad.objects.select_for_update().filter(pk=dyad.pk).first()
    existing = {
        r.author_role: r
        for r in FeedbackRequest.objects.filter(dyad=dyad, kind=FeedbackRequest.Kind.FIT_CHECK)
    }
    if len(existing) == 2:
        return existing["mentee"], existing["mentor"]
    requests = FeedbackRequest.objects.bulk_create(
        _pair_requests(dyad=dyad, kind=FeedbackRequest.Kind.FIT_CHECK)
    )
    _link_pairs(requests)
    return requests[0], requests[1]


def _open_cycle_requests(cycle: FeedbackCycle) -> int:
    """Two requests per active dyad of the cycle's program; returns how many dyads."""
    dyads = list(cycle.program.dyads.active().only("pk", "mentor_id", "mentee_id"))
    requests = [
        request
        for dyad in dyads
        for request in _pair_requests(dyad=dyad, kind=FeedbackRequest.Kind.CYCLE, cycle=cycle)
    ]
    _link_pairs(FeedbackRequest.objects.bulk_create(requests))
    return len(dyads)


def _check_dates(*, opens: date, due: date, closes: date, today: date) -> None:
    if not (opens and due and closes):
        raise ValidationError(_("Give the dates the cycle opens, is due and closes."))
    if opens > due:
        raise ValidationError(_("The cycle must open on or before its due date."))
    if due > closes:
        raise ValidationError(_("The due date must be on or before the day the cycle closes."))
    if closes < today:
        raise ValidationError(_("That cycle would already be closed: choose a later closing date."))


@transaction.atomic
def open_cycle(
    *,
    program: Program,
    by,
    name: str,
    opens: date,
    due: date,
    closes: date,
) -> FeedbackCycle:
    """A program admin opens a feedback cycle by hand: two requests per active dyad."""
    require(is_program_admin(by, program))
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the cycle a name, e.g. “Spring 2027”."))
    _check_dates(opens=opens, due=due, closes=closes, today=timezone.localdate())
    cycle = FeedbackCycle.objects.create(
        program=program, name=name, opens=opens, due=due, closes=closes, created_by=by
    )
    _open_cycle_requests(cycle)
    return cycle


def next_cycle_date(program: Program, *, last_opened: date | None) -> date:
    """When the program's next scheduled cycle opens: its cadence after the last cycle, or after
    the program started."""
    start = last_opened or timezone.localdate(program.created_at)
    return add_months(start, program.feedback_cycle_months)


def open_due_cycles(today: date) -> list[FeedbackCycle]:
    """Open a cycle in every program whose feedback cadence has come round. Idempotent.

    A program whose last cycle (scheduled or by hand) opened `feedback_cycle_months` ago or more
    gets one cycle opening today; running this again today finds nothing due. Missed periods (the
    scheduler was down) give one cycle, not a backlog.
    """
    opened = []
    for program in Program.objects.all():
        cycle = _open_due_cycle(program_id=program.pk, today=today)
        if cycle is not None:
            opened.append(cycle)
    return opened


@transaction.atomic
def _open_due_cycle(*, program_id: int, today: date) -> FeedbackCycle | None:
    # The program row lock serialises two sweeps on the same program; the unique constraint on
    # (program, opens) of scheduled cycles is the last word.
    program = Program.objects.select_for_update().get(pk=program_id)
    last = program.feedback_cycles.order_by("-opens").values_list("opens", flat=True).first()
    if next_cycle_date(program, last_opened=last) > today:
        return None
    try:
        with transaction.atomic():
            cycle = FeedbackCycle.objects.create(
                program=program,
                name=_("Feedback %(month)s") % {"month": today.strftime("%B %Y")},
                opens=today,
                due=today + timedelta(days=SCHEDULED_DUE_DAYS),
                closes=today + timedelta(days=SCHEDULED_CLOSE_DAYS),
                scheduled=True,
            )
    except IntegrityError:
        return None
    _open_cycle_requests(cycle)
    return cycle
