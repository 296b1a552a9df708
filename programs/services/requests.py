"""What people ask of each other: a mentee asks a mentor to take them on (the mentor accepts or
declines, the mentee may withdraw), and either side of a dyad asks the admins for a re-pair."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentoring.access import require
from mentoring.languages import later
from mentoring.notices.dispatch import notify
from mentoring.notices.planning import Occasion
from programs import audit, rules
from programs.models import Dyad, Membership, MentorRequest, Program, RePairRequest
from programs.pairing_notices import (
    tell_mentor_requested,
    tell_request_accepted,
    tell_request_declined,
)
from programs.reminders import RE_PAIR_REQUESTED
from programs.selectors import has_role, open_primary_dyad, program_admins
from programs.services.checks import mentor_load, refuse
from programs.services.dyads import create_dyad
from programs.services.supervisors import recorded_supervisor
from programs.signals import re_pair_requested


def _close_request(
    *, mentor_request: MentorRequest, by, status: str, note: str, dyad: Dyad | None = None
) -> MentorRequest:
    mentor_request.status, mentor_request.response_note = status, note.strip()
    mentor_request.responded_at, mentor_request.responded_by = timezone.now(), by
    mentor_request.dyad = dyad
    mentor_request.save(
        update_fields=["status", "response_note", "responded_at", "responded_by", "dyad"]
    )
    return mentor_request


def _locked_request(mentor_request: MentorRequest) -> MentorRequest:
    return (
        MentorRequest.objects.select_for_update(of=("self",))
        .select_related("program", "mentor", "mentee")
        .get(pk=mentor_request.pk)
    )


def _refuse_unless_pending(mentor_request: MentorRequest) -> None:
    refuse(rules.answer_refusal(mentor_request))


def decline_pending_requests(*, program: Program, mentee, by, note: str) -> None:
    """Answer, for the mentor, every request the mentee still has open: the program has decided."""
    for pending in MentorRequest.objects.select_for_update().filter(
        program=program, mentee=mentee, status=MentorRequest.Status.PENDING
    ):
        _close_request(
            mentor_request=pending, by=by, status=MentorRequest.Status.DECLINED, note=note
        )


@transaction.atomic
def request_mentor(*, program: Program, mentee, mentor, note: str = "") -> MentorRequest:
    """A mentee without a primary mentor asks one of the program's mentors, one request at a time."""
    require(has_role(mentee, program, Membership.Role.MENTEE))
    if mentor.pk == mentee.pk:
        raise ValidationError(_("You cannot ask yourself to be your mentor."))
    if not has_role(mentor, program, Membership.Role.MENTOR):
        raise ValidationError(
            _("%(name)s is not a mentor in %(program)s.") % {"name": mentor, "program": program}
        )
    current = open_primary_dyad(program=program, mentee=mentee)
    if current is not None:
        raise ValidationError(
            _("You already have a primary mentor in this program (%(mentor)s).")
            % {"mentor": current.mentor}
        )
    pending = (
        MentorRequest.objects.filter(
            program=program, mentee=mentee, status=MentorRequest.Status.PENDING
        )
        .select_related("mentor")
        .first()
    )
    if pending is not None:
        raise ValidationError(
            _(
                "You are waiting for an answer from %(mentor)s. Withdraw that request to ask someone else."
            )
            % {"mentor": pending.mentor}
        )
    if recorded_supervisor(mentee, mentor):
        raise ValidationError(
            _(
                "%(mentor)s is recorded as your supervisor, so the program does not pair you: "
                "choose another mentor from the list, or ask your program admin."
            )
            % {"mentor": mentor}
        )
    load, capacity = mentor_load(program=program, mentor=mentor)
    if capacity is not None and load >= capacity:
        raise ValidationError(
            _("%(mentor)s has no open place at the moment; ask another mentor.")
            % {"mentor": mentor}
        )
    try:
        with transaction.atomic():
            mentor_request = MentorRequest.objects.create(
                program=program, mentee=mentee, mentor=mentor, note=note.strip()
            )
    except IntegrityError as error:  # one_pending_request_per_mentee: a double submit
        raise ValidationError(
            _("You already have a request waiting for an answer in this program.")
        ) from error
    tell_mentor_requested(mentor_request)
    return mentor_request


@transaction.atomic
def accept_mentor_request(*, mentor_request: MentorRequest, by) -> Dyad:
    """The mentor says yes. The dyad starts, or waits for an admin if the program wants that."""
    mentor_request = _locked_request(mentor_request)
    require(by.pk == mentor_request.mentor_id)
    _refuse_unless_pending(mentor_request)
    program = mentor_request.program
    dyad = create_dyad(
        program=program,
        mentor=mentor_request.mentor,
        mentee=mentor_request.mentee,
        by=by,
        formed=Dyad.Formed.CHOSEN,
        status=Dyad.Status.PROPOSED if program.requests_need_approval else Dyad.Status.ACTIVE,
    )
    _close_request(
        mentor_request=mentor_request,
        by=by,
        status=MentorRequest.Status.ACCEPTED,
        note="",
        dyad=dyad,
    )
    tell_request_accepted(mentor_request, dyad)
    return dyad


@transaction.atomic
def decline_mentor_request(*, mentor_request: MentorRequest, by, reason: str) -> MentorRequest:
    """The mentor declines with a reason, or a program admin overrides and declines for them."""
    mentor_request = _locked_request(mentor_request)
    is_mentor = by.pk == mentor_request.mentor_id
    require(rules.may_decline_request(by, mentor_request))
    _refuse_unless_pending(mentor_request)
    if not reason.strip():
        raise ValidationError(_("Give the mentee a short reason."))
    _close_request(
        mentor_request=mentor_request, by=by, status=MentorRequest.Status.DECLINED, note=reason
    )
    if not is_mentor:
        audit.record(
            program=mentor_request.program,
            actor=by,
            action="request.decline",
            summary=_("Declined the request of %(mentee)s to %(mentor)s: %(reason)s")
            % {
                "mentee": mentor_request.mentee,
                "mentor": mentor_request.mentor,
                "reason": mentor_request.response_note,
            },
            target=mentor_request,
            before={"status": MentorRequest.Status.PENDING.value},
            after={"status": mentor_request.status, "response_note": mentor_request.response_note},
        )
    tell_request_declined(mentor_request)
    return mentor_request


@transaction.atomic
def withdraw_mentor_request(*, mentor_request: MentorRequest, by) -> MentorRequest:
    """The mentee takes back a request the mentor has not answered yet."""
    mentor_request = _locked_request(mentor_request)
    require(by.pk == mentor_request.mentee_id)
    if mentor_request.status == MentorRequest.Status.WITHDRAWN:
        return mentor_request  # a double submit changes nothing
    _refuse_unless_pending(mentor_request)
    return _close_request(
        mentor_request=mentor_request, by=by, status=MentorRequest.Status.WITHDRAWN, note=""
    )


# --- Re-pair requests ---------------------------------------------------------------------------


@transaction.atomic
def request_re_pair(*, dyad: Dyad, by, reason: str) -> RePairRequest:
    """The mentee or the mentor asks for a different pairing, at any time. Only the program's
    admins hear of it and read the reason; the partner is not told."""
    require(dyad.role_of(by) is not None)
    refuse(rules.re_pair_request_refusal(dyad))
    if not reason.strip():
        raise ValidationError(_("Say in a few words why; only the program's admins read it."))
    try:
        with transaction.atomic():
            re_pair_request = RePairRequest.objects.create(
                dyad=dyad, requested_by=by, reason=reason.strip()
            )
    except IntegrityError as error:
        raise ValidationError(
            _("You have already asked; the program's admins will be in touch.")
        ) from error
    notify(
        kind=RE_PAIR_REQUESTED,
        due=[
            Occasion(
                recipient=admin,
                target=re_pair_request,
                occasion="asked",
                title=later(
                    gettext_lazy("%(person)s asks for a different pairing"), {"person": by}
                ),
                body=gettext_lazy(
                    "Read the reason (confidential from their partner) and re-pair or reply."
                ),
                url=re_pair_request.get_absolute_url(),
                program_id=dyad.program_id,
            )
            for admin in program_admins(dyad.program, besides=(dyad.mentor_id, dyad.mentee_id))
        ],
    )
    re_pair_requested.send(sender=RePairRequest, re_pair_request=re_pair_request)
    return re_pair_request


@transaction.atomic
def handle_re_pair_request(*, re_pair_request: RePairRequest, by) -> RePairRequest:
    """A program admin has dealt with a re-pair request (re-paired, or talked it through)."""
    require(rules.administers(by, re_pair_request.dyad.program))
    if re_pair_request.handled_at is None:
        re_pair_request.handled_at = timezone.now()
        re_pair_request.save(update_fields=["handled_at"])
    return re_pair_request
