"""What people do with feedback: open cycles and fit checks, answer, correct, flag, resolve."""

import calendar
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from feedback import rules
from feedback.models import (
    LOW_RATING_AVERAGE,
    LOW_RATING_SCORE,
    AttentionItem,
    ConfidentialNote,
    CycleQuestion,
    FeedbackCycle,
    FeedbackRequest,
    FeedbackResponse,
    QuestionAnswer,
    Rating,
)
from feedback.reminders import FEEDBACK_REMINDER
from mentoring.access import require
from mentoring.languages import later
from programs.models import Dyad, Program
from programs.services.dyads import set_dyad_cadence

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
        feedback_request
        for dyad in dyads
        for feedback_request in _pair_requests(
            dyad=dyad, kind=FeedbackRequest.Kind.CYCLE, cycle=cycle
        )
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
    require(rules.oversees(by, program))
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


# ---------------------------------------------------------------------------------------------
# Answering: drafts, submission, corrections


def _check_accepting(feedback_request: FeedbackRequest, *, today: date) -> None:
    """Refuse, with the date, answers to a cycle that has not opened or has closed."""
    refusal = rules.accepting_refusal(feedback_request, today=today)
    if refusal:
        raise ValidationError(refusal)


def _locked_request(feedback_request: FeedbackRequest, by) -> FeedbackRequest:
    # Answering for someone else's request is a 403, whoever it is (partner or admin).
    require(rules.is_author(by, feedback_request))
    # The row lock serialises two submits of the same request (a double click, two tabs).
    return (
        FeedbackRequest.objects.select_for_update(of=("self",))
        .select_related("cycle", "dyad")
        .get(pk=feedback_request.pk)
    )


def _draft_of(feedback_request: FeedbackRequest) -> FeedbackResponse | None:
    return feedback_request.responses.filter(status=FeedbackResponse.Status.DRAFT).first()


def _write_draft(response: FeedbackResponse, answers: dict) -> FeedbackResponse:
    """Copy the form's answers into a draft: rubric fields, ratings, own questions, note."""
    fields = [
        "strengths",
        "areas_to_grow",
        "meeting_frequency",
        "working",
        "role_clarity",
        "fit",
        "correction_reason",
    ]
    for name in fields:
        setattr(response, name, (answers.get(name) or "").strip())
    response.updated_at = timezone.now()
    if response.pk is None:
        response.save()
    else:
        response.save(update_fields=[*fields, "updated_at"])
    allowed = {q.value for q in response.request.qualities}
    ratings = answers.get("ratings") or {}
    response.ratings.exclude(quality__in=[q for q in ratings if q in allowed]).delete()
    for quality, score in ratings.items():
        if quality in allowed:
            Rating.objects.update_or_create(
                response=response, quality=quality, defaults={"score": score}
            )
    questions = (
        {q.pk: q for q in response.request.cycle.questions.all()} if response.request.cycle else {}
    )
    for question_id, value in (answers.get("questions") or {}).items():
        question = questions.get(question_id)
        if question is None:
            continue
        if question.kind == CycleQuestion.Kind.SCALE:
            defaults = {"scale": value or None, "text": ""}
        else:
            defaults = {"scale": None, "text": (value or "").strip()}
        QuestionAnswer.objects.update_or_create(
            response=response, question=question, defaults=defaults
        )
    note = (answers.get("note") or "").strip()
    if note:
        ConfidentialNote.objects.update_or_create(response=response, defaults={"text": note})
    else:
        ConfidentialNote.objects.filter(response=response).delete()
    return response


@transaction.atomic
def save_feedback_draft(
    *, feedback_request: FeedbackRequest, by, answers: dict
) -> FeedbackResponse:
    """The author keeps a draft: nobody else sees it, and it can change until submitted."""
    feedback_request = _locked_request(feedback_request, by)
    _check_accepting(feedback_request, today=timezone.localdate())
    draft = _draft_of(feedback_request)
    if draft is None:
        if feedback_request.submitted_at is not None:
            raise ValidationError(
                _(
                    "You already submitted this feedback; it cannot be edited. "
                    "Start a correction to give a new version (the submitted one is kept)."
                )
            )
        draft = FeedbackResponse(request=feedback_request, version=1)
    return _write_draft(draft, answers)


def _missing_answers(response: FeedbackResponse) -> dict[str, str]:
    """What a submission still lacks, by form field, in words a person can act on."""
    feedback_request = response.request
    missing = {}
    if feedback_request.is_fit_check:
        if not response.fit:
            missing["fit"] = _("Say whether this looks like a good fit.")
        return missing
    rated = set(response.ratings.values_list("quality", flat=True))
    for quality in feedback_request.qualities:
        if quality.value not in rated:
            missing[f"q_{quality.value}"] = _("Rate this quality, or choose “not observed”.")
    if not response.meeting_frequency:
        missing["meeting_frequency"] = _("Say how often you meet, compared with what you need.")
    if not response.working:
        missing["working"] = _("Say whether the relationship is working.")
    if (
        feedback_request.author_role == FeedbackRequest.Role.MENTEE
        and feedback_request.dyad.mentor_is_supervisor
        and not response.role_clarity
    ):
        missing["role_clarity"] = _("Say how clear the two roles are.")
    return missing


def _low_ratings(response: FeedbackResponse) -> bool:
    scores = [r.score for r in response.ratings.all() if r.score is not None]
    if not scores:
        return False
    return min(scores) <= LOW_RATING_SCORE or sum(scores) / len(scores) <= LOW_RATING_AVERAGE


def _flag_attention(response: FeedbackResponse) -> list[AttentionItem]:
    """Put the dyad on the admin's attention list for what this submission says."""
    reasons = []
    if response.working == FeedbackResponse.Working.DIFFERENT:
        reasons.append(AttentionItem.Reason.DIFFERENT_PAIRING)
    if response.fit == FeedbackResponse.Fit.POOR:
        reasons.append(AttentionItem.Reason.POOR_FIT)
    if _low_ratings(response):
        reasons.append(AttentionItem.Reason.LOW_RATINGS)
    if ConfidentialNote.objects.filter(response=response).exists():
        reasons.append(AttentionItem.Reason.CONFIDENTIAL_NOTE)
    dyad = response.request.dyad
    # A correction that repeats a reason already waiting for the admin adds no second row.
    waiting = set(dyad.attention_items.unresolved().values_list("reason", flat=True))
    return [
        AttentionItem.objects.create(dyad=dyad, reason=reason, response=response)
        for reason in reasons
        if reason not in waiting
        or reason == AttentionItem.Reason.CONFIDENTIAL_NOTE  # each note is news to the admin
    ]


def submit_feedback(*, feedback_request: FeedbackRequest, by, answers: dict) -> FeedbackResponse:
    """The author submits: the answers are fixed, the partner's side may now be revealed, and the
    admin's attention list learns what needs a look."""
    # The draft is saved first, in its own transaction: when something is missing, nothing the
    # person typed is lost while they complete it.
    save_feedback_draft(feedback_request=feedback_request, by=by, answers=answers)
    return _submit_draft(feedback_request=feedback_request, by=by)


@transaction.atomic
def _submit_draft(*, feedback_request: FeedbackRequest, by) -> FeedbackResponse:
    feedback_request = _locked_request(feedback_request, by)
    response = _draft_of(feedback_request)
    if response is None:
        raise ValidationError(_("You already submitted this feedback; nothing was changed."))
    missing = _missing_answers(response)
    if missing:
        raise ValidationError(missing)
    now = timezone.now()
    response.status, response.submitted_at = FeedbackResponse.Status.SUBMITTED, now
    response.save(update_fields=["status", "submitted_at"])
    if feedback_request.submitted_at is None:
        feedback_request.submitted_at = now
        feedback_request.save(update_fields=["submitted_at"])
    _flag_attention(response)
    return response


@transaction.atomic
def start_correction(*, feedback_request: FeedbackRequest, by) -> FeedbackResponse:
    """The author corrects submitted feedback: a new draft version, copied from the last one.

    The submitted version stays as it was, and stays visible to whoever could see it.
    """
    feedback_request = _locked_request(feedback_request, by)
    draft = _draft_of(feedback_request)
    if draft is not None:
        return draft  # a second click continues the correction already started
    latest = feedback_request.responses.filter(status=FeedbackResponse.Status.SUBMITTED).first()
    if latest is None:
        raise ValidationError(_("There is nothing submitted to correct yet."))
    _check_accepting(feedback_request, today=timezone.localdate())
    draft = FeedbackResponse.objects.create(
        request=feedback_request,
        version=latest.version + 1,
        strengths=latest.strengths,
        areas_to_grow=latest.areas_to_grow,
        meeting_frequency=latest.meeting_frequency,
        working=latest.working,
        role_clarity=latest.role_clarity,
        fit=latest.fit,
    )
    Rating.objects.bulk_create(
        Rating(response=draft, quality=r.quality, score=r.score) for r in latest.ratings.all()
    )
    QuestionAnswer.objects.bulk_create(
        QuestionAnswer(response=draft, question_id=a.question_id, scale=a.scale, text=a.text)
        for a in latest.answers.all()
    )
    return draft


# ---------------------------------------------------------------------------------------------
# The admin's side: questions, reminders, the attention list


@transaction.atomic
def add_cycle_question(*, cycle: FeedbackCycle, by, text: str, kind: str) -> CycleQuestion:
    """A program admin adds the program's own question (scale or text) to a cycle."""
    require(rules.oversees(by, cycle.program))
    text = text.strip()
    if not text:
        raise ValidationError(_("Write the question."))
    if kind not in CycleQuestion.Kind.values:
        raise ValidationError(_("Choose whether the answer is a scale or free text."))
    if cycle.is_closed():
        raise ValidationError(_("This cycle has closed; questions can no longer be added."))
    position = cycle.questions.count()
    return CycleQuestion.objects.create(cycle=cycle, text=text, kind=kind, position=position)


# A reminder repeated within this window is refused: a double click must not send two e-mails.
REMINDER_INTERVAL = timedelta(hours=1)


@transaction.atomic
def send_feedback_reminder(*, feedback_request: FeedbackRequest, by) -> FeedbackRequest:
    """A program admin reminds one person, by e-mail, of feedback they have not given yet."""
    from mentoring.notices.dispatch import notify
    from mentoring.notices.planning import Occasion

    require(rules.oversees(by, feedback_request.dyad.program))
    feedback_request = (
        FeedbackRequest.objects.select_for_update(of=("self",))
        .select_related("cycle", "author")
        .get(pk=feedback_request.pk)
    )
    if feedback_request.submitted_at is not None:
        raise ValidationError(
            _("%(name)s has already given this feedback.") % {"name": feedback_request.author}
        )
    if feedback_request.is_closed():
        raise ValidationError(_("This cycle has closed; there is nothing left to remind of."))
    if feedback_request.withdrawn_at is not None:
        raise ValidationError(_("The pairing ended, so this feedback is no longer asked for."))
    now = timezone.now()
    if (
        feedback_request.last_reminded_at
        and now - feedback_request.last_reminded_at < REMINDER_INTERVAL
    ):
        raise ValidationError(
            _("%(name)s was reminded less than an hour ago.") % {"name": feedback_request.author}
        )
    feedback_request.last_reminded_at = now
    feedback_request.save(update_fields=["last_reminded_at"])
    # A notice planned in this transaction (one per request and reminder time) and mailed after the
    # commit, or by the next sweep when the broker is down: the e-mail cannot be lost or doubled.
    notify(
        kind=FEEDBACK_REMINDER,
        due=[
            Occasion(
                recipient=feedback_request.author,
                target=feedback_request,
                occasion=now.isoformat(),
                title=later(
                    gettext_lazy("Reminder: your feedback for %(name)s"),
                    {"name": feedback_request.subject},
                ),
                url=feedback_request.get_absolute_url(),
                program_id=feedback_request.dyad.program_id,
            )
        ],
    )
    return feedback_request


def _locked_item(item: AttentionItem, by) -> AttentionItem:
    require(rules.oversees(by, item.dyad.program))
    item = (
        AttentionItem.objects.select_for_update(of=("self",))
        .select_related("resolved_by")
        .get(pk=item.pk)
    )
    if item.resolved_at is not None:
        raise ValidationError(
            _("%(name)s already resolved this on %(day)s.")
            % {"name": item.resolved_by, "day": timezone.localdate(item.resolved_at).isoformat()}
        )
    return item


def _close_item(item: AttentionItem, *, by, resolution: str, note: str) -> AttentionItem:
    item.resolved_at, item.resolved_by = timezone.now(), by
    item.resolution, item.resolution_note = resolution, note
    item.save(update_fields=["resolved_at", "resolved_by", "resolution", "resolution_note"])
    return item


def close_attention_items_of_ended_dyad(*, dyad: Dyad, by) -> int:
    """An ended dyad leaves the attention list: ending it (or re-pairing) was the admin's answer."""
    items = list(AttentionItem.objects.select_for_update().filter(dyad=dyad, resolved_at=None))
    note = _("The dyad ended: %(reason)s.") % {"reason": dyad.get_end_reason_display()}
    for item in items:
        _close_item(item, by=by, resolution=AttentionItem.Resolution.NOTE, note=note)
    return len(items)


def withdraw_open_requests_of_ended_dyad(*, dyad: Dyad) -> int:
    """An ended dyad's unanswered requests (cycle and fit check) stop being asked: off the to-do
    lists and the reminder sweeps. Submitted ones, and drafts, stay as they are."""
    return FeedbackRequest.objects.filter(dyad=dyad).pending().update(withdrawn_at=timezone.now())


@transaction.atomic
def resolve_attention_item(*, item: AttentionItem, by, note: str) -> AttentionItem:
    """A program admin takes a dyad off the attention list, saying what was done."""
    item = _locked_item(item, by)
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Say in a few words what was done or decided.")})
    return _close_item(item, by=by, resolution=AttentionItem.Resolution.NOTE, note=note)


@transaction.atomic
def adjust_cadence_for_attention(
    *, item: AttentionItem, by, cadence_days: int | None, note: str = ""
) -> AttentionItem:
    """A program admin answers an attention item by changing how often the dyad meets."""
    item = _locked_item(item, by)
    dyad = set_dyad_cadence(dyad=item.dyad, by=by, cadence_days=cadence_days)
    days = cadence_days or dyad.program.default_cadence_days
    text = note.strip() or _("Meeting cadence set to every %(days)d days.") % {"days": days}
    return _close_item(item, by=by, resolution=AttentionItem.Resolution.CADENCE, note=text)
