"""What program admins, mentors and mentees do to dyads and agreements. One function per action."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring import notifications
from mentoring.access import require
from mentoring.models import Notification
from programs import audit, rules
from programs.models import Agreement, Dyad, Membership, MentorRequest, Program
from programs.selectors import DYAD_AUDIT_FIELDS, has_role, open_primary_dyad
from programs.signals import dyad_ended

AGREEMENT_AUDIT_FIELDS = ["text", "meeting_frequency", "communication", "confidentiality"]


def _refuse(reason: str) -> None:
    """The state forbids the action: say why (see programs.rules)."""
    if reason:
        raise ValidationError(reason)


def _check_pairing(*, program: Program, mentor, mentee, kind: str) -> None:
    """Refuse, with a reason a person can act on, a pairing the rules forbid."""
    if mentor.pk == mentee.pk:
        raise ValidationError(_("A person cannot mentor themselves."))
    if not has_role(mentor, program, Membership.Role.MENTOR):
        raise ValidationError(
            _("%(name)s is not a mentor in %(program)s.") % {"name": mentor, "program": program}
        )
    if not has_role(mentee, program, Membership.Role.MENTEE):
        raise ValidationError(
            _("%(name)s is not a mentee in %(program)s.") % {"name": mentee, "program": program}
        )
    if Dyad.objects.open().filter(program=program, mentor=mentor, mentee=mentee).exists():
        raise ValidationError(
            _("%(mentor)s and %(mentee)s are already paired in this program.")
            % {"mentor": mentor, "mentee": mentee}
        )
    if kind == Dyad.Kind.PRIMARY:
        current = open_primary_dyad(program=program, mentee=mentee)
        if current is not None:
            raise ValidationError(
                _(
                    "%(mentee)s already has a primary mentor (%(mentor)s). Re-pair or end that dyad first."
                )
                % {"mentee": mentee, "mentor": current.mentor}
            )
        # Lock the mentor's membership so that two pairings at once cannot both take the last place.
        load, capacity = _mentor_load(program=program, mentor=mentor, lock=True)
        if capacity is not None and load >= capacity:
            raise ValidationError(
                _("%(mentor)s is at capacity (%(load)d of %(capacity)d mentees).")
                % {"mentor": mentor, "load": load, "capacity": capacity}
            )


def _mentor_load(*, program: Program, mentor, lock: bool = False) -> tuple[int, int | None]:
    """How many open primary mentees the mentor has, and their capacity (None: no limit)."""
    memberships = Membership.objects.filter(
        program=program, user=mentor, role=Membership.Role.MENTOR
    )
    if lock:
        memberships = memberships.select_for_update()
    capacity = memberships.values_list("capacity", flat=True).get()
    load = (
        Dyad.objects.open().filter(program=program, mentor=mentor, kind=Dyad.Kind.PRIMARY).count()
    )
    return load, capacity


def _insert_dyad(dyad: Dyad) -> Dyad:
    """Save a new dyad; a constraint the database enforces becomes a message, not a 500."""
    try:
        with transaction.atomic():
            dyad.save()
    except IntegrityError as error:
        # Another admin paired the same mentee (or pair) a moment ago: the partial unique indexes
        # are the last word, whatever our checks above saw. Their dyad is committed: name it.
        current = (
            open_primary_dyad(program=dyad.program, mentee=dyad.mentee)
            if dyad.kind == Dyad.Kind.PRIMARY
            else None
        )
        if current is not None:
            raise ValidationError(
                _(
                    "%(mentee)s was paired with %(mentor)s a moment ago, by someone else. "
                    "Re-pair or end that dyad first."
                )
                % {"mentee": dyad.mentee, "mentor": current.mentor}
            ) from error
        raise ValidationError(
            _(
                "This pairing conflicts with one made a moment ago. Reload the page and check the mentee's dyads."
            )
        ) from error
    Agreement.objects.create(
        dyad=dyad,
        text=dyad.program.agreement_template,
        meeting_frequency=_("At least every %(days)d days") % {"days": dyad.effective_cadence_days},
        communication="",
        confidentiality=_("What we discuss stays between us unless we both agree otherwise."),
        updated_by=dyad.created_by,
    )
    return dyad


@transaction.atomic
def create_dyad(
    *,
    program: Program,
    mentor,
    mentee,
    by,
    kind: str = Dyad.Kind.PRIMARY,
    focus_area: str = "",
    mentor_is_supervisor: bool = False,
    formed: str = Dyad.Formed.ASSIGNED,
    status: str = Dyad.Status.ACTIVE,
    cadence_days: int | None = None,
    ends_on: date | None = None,
    replaces: Dyad | None = None,
) -> Dyad:
    """Create a dyad after the pairing rules; the caller has checked who may do it."""
    if kind == Dyad.Kind.SUPPLEMENTAL and not focus_area.strip():
        raise ValidationError(_("Name the focus area a supplemental mentor helps with."))
    _check_pairing(program=program, mentor=mentor, mentee=mentee, kind=kind)
    dyad = _insert_dyad(
        Dyad(
            program=program,
            mentor=mentor,
            mentee=mentee,
            kind=kind,
            focus_area=focus_area.strip(),
            mentor_is_supervisor=mentor_is_supervisor,
            formed=formed,
            status=status,
            cadence_days=cadence_days,
            ends_on=ends_on,
            replaces=replaces,
            created_by=by,
            started_on=timezone.localdate() if status == Dyad.Status.ACTIVE else None,
        )
    )
    audit.record(
        program=program,
        actor=by,
        action="dyad.create",
        summary=_("Paired %(dyad)s (%(kind)s)") % {"dyad": dyad, "kind": dyad.get_kind_display()},
        target=dyad,
        after=audit.snapshot(dyad, DYAD_AUDIT_FIELDS),
    )
    return dyad


@transaction.atomic
def pair_mentee(
    *,
    program: Program,
    mentor,
    mentee,
    by,
    mentor_is_supervisor: bool = False,
    cadence_days: int | None = None,
) -> Dyad:
    """A program admin pairs a mentee with a primary mentor.

    A request the mentee still has open is answered for the mentor: the program has decided.
    """
    require(rules.administers(by, program))
    dyad = create_dyad(
        program=program,
        mentor=mentor,
        mentee=mentee,
        by=by,
        mentor_is_supervisor=mentor_is_supervisor,
        cadence_days=cadence_days,
    )
    for pending in MentorRequest.objects.select_for_update().filter(
        program=program, mentee=mentee, status=MentorRequest.Status.PENDING
    ):
        _close_request(
            mentor_request=pending,
            by=by,
            status=MentorRequest.Status.DECLINED,
            note=_("The program paired you with %(mentor)s.") % {"mentor": mentor},
        )
    return dyad


@transaction.atomic
def add_supplemental_mentor(
    *,
    program: Program,
    mentor,
    mentee,
    by,
    focus_area: str,
    ends_on: date | None = None,
    mentor_is_supervisor: bool = False,
) -> Dyad:
    """A program admin adds a mentor for one focus area beside the mentee's primary mentor."""
    require(rules.administers(by, program))
    return create_dyad(
        program=program,
        mentor=mentor,
        mentee=mentee,
        by=by,
        kind=Dyad.Kind.SUPPLEMENTAL,
        focus_area=focus_area,
        ends_on=ends_on,
        mentor_is_supervisor=mentor_is_supervisor,
    )


@transaction.atomic
def end_dyad(*, dyad: Dyad, by, reason: str, note: str = "") -> Dyad:
    """End a pairing. Meetings, notes and feedback stay; the mentee keeps their goals."""
    require(rules.administers(by, dyad.program))
    dyad = Dyad.objects.select_for_update().get(pk=dyad.pk)
    if dyad.status == Dyad.Status.ENDED:
        return dyad  # a double submit changes nothing
    if reason not in Dyad.EndReason.values:
        raise ValidationError(_("Choose why the dyad ends."))
    if reason == Dyad.EndReason.OTHER and not note.strip():
        raise ValidationError(_("Say in a few words why the dyad ends."))
    before = audit.snapshot(dyad, DYAD_AUDIT_FIELDS)
    dyad.status, dyad.end_reason, dyad.end_note = Dyad.Status.ENDED, reason, note.strip()
    dyad.ended_at = timezone.now()
    dyad.save(update_fields=["status", "end_reason", "end_note", "ended_at"])
    audit.record(
        program=dyad.program,
        actor=by,
        action="dyad.end",
        summary=_("Ended %(dyad)s: %(reason)s")
        % {"dyad": dyad, "reason": dyad.get_end_reason_display()},
        target=dyad,
        before=before,
        after=audit.snapshot(dyad, DYAD_AUDIT_FIELDS),
    )
    dyad_ended.send(sender=Dyad, dyad=dyad, by=by)
    return dyad


@transaction.atomic
def re_pair_mentee(
    *,
    dyad: Dyad,
    by,
    new_mentor,
    reason: str = Dyad.EndReason.POOR_FIT,
    note: str = "",
    mentor_is_supervisor: bool = False,
) -> Dyad:
    """End a dyad and pair its mentee with a new mentor, in one transaction: both or neither."""
    require(rules.administers(by, dyad.program))
    # Lock first: of two admins re-pairing the same dyad at once, the second sees it ended.
    dyad = Dyad.objects.select_for_update().select_related("program", "mentee").get(pk=dyad.pk)
    _refuse(rules.re_pair_refusal(dyad))
    if new_mentor.pk == dyad.mentor_id:
        raise ValidationError(_("Choose a different mentor than the current one."))
    old = end_dyad(dyad=dyad, by=by, reason=reason, note=note)
    return create_dyad(
        program=old.program,
        mentor=new_mentor,
        mentee=old.mentee,
        by=by,
        kind=old.kind,
        focus_area=old.focus_area,
        mentor_is_supervisor=mentor_is_supervisor,
        cadence_days=old.cadence_days,
        replaces=old,
    )


def _set_status(*, dyad: Dyad, by, from_status: str, to: str, action: str) -> Dyad:
    """An admin moves a dyad from one status to the next (pause, resume, approve), audited."""
    require(rules.administers(by, dyad.program))
    dyad = Dyad.objects.select_for_update().get(pk=dyad.pk)
    if dyad.status == to:
        return dyad
    _refuse(rules.status_change_refusal(dyad, from_status=from_status))
    before = audit.snapshot(dyad, DYAD_AUDIT_FIELDS)
    dyad.status = to
    fields = ["status"]
    if to == Dyad.Status.ACTIVE and dyad.started_on is None:
        dyad.started_on = timezone.localdate()
        fields.append("started_on")
    dyad.save(update_fields=fields)
    audit.record(
        program=dyad.program,
        actor=by,
        action=action,
        summary=f"{dyad}: {Dyad.Status(from_status).label} → {Dyad.Status(to).label}",
        target=dyad,
        before=before,
        after=audit.snapshot(dyad, DYAD_AUDIT_FIELDS),
    )
    return dyad


@transaction.atomic
def pause_dyad(*, dyad: Dyad, by) -> Dyad:
    return _set_status(
        dyad=dyad, by=by, from_status=Dyad.Status.ACTIVE, to=Dyad.Status.PAUSED, action="dyad.pause"
    )


@transaction.atomic
def resume_dyad(*, dyad: Dyad, by) -> Dyad:
    return _set_status(
        dyad=dyad,
        by=by,
        from_status=Dyad.Status.PAUSED,
        to=Dyad.Status.ACTIVE,
        action="dyad.resume",
    )


@transaction.atomic
def approve_dyad(*, dyad: Dyad, by) -> Dyad:
    """A program admin approves a pairing that a mentee chose and the mentor accepted."""
    return _set_status(
        dyad=dyad,
        by=by,
        from_status=Dyad.Status.PROPOSED,
        to=Dyad.Status.ACTIVE,
        action="dyad.approve",
    )


@transaction.atomic
def set_dyad_cadence(*, dyad: Dyad, by, cadence_days: int | None) -> Dyad:
    """Override how often a dyad should meet (None: the program's default)."""
    require(rules.administers(by, dyad.program))
    _refuse(rules.cadence_refusal(dyad))
    if cadence_days is not None and cadence_days < 1:
        raise ValidationError(_("The cadence is a number of days, at least 1."))
    before = audit.snapshot(dyad, DYAD_AUDIT_FIELDS)
    dyad.cadence_days = cadence_days
    dyad.save(update_fields=["cadence_days"])
    audit.record(
        program=dyad.program,
        actor=by,
        action="dyad.cadence",
        summary=_("Set the meeting cadence of %(dyad)s") % {"dyad": dyad},
        target=dyad,
        before=before,
        after=audit.snapshot(dyad, DYAD_AUDIT_FIELDS),
    )
    return dyad


@transaction.atomic
def update_agreement(
    *,
    agreement: Agreement,
    by,
    text: str,
    meeting_frequency: str,
    communication: str,
    confidentiality: str,
) -> Agreement:
    """Either side (or an admin) adapts the agreement; both must acknowledge the new version."""
    dyad = agreement.dyad
    in_dyad = dyad.role_of(by) is not None
    require(rules.may_edit_agreement(by, dyad))
    _refuse(rules.agreement_refusal(dyad))
    before = audit.snapshot(agreement, AGREEMENT_AUDIT_FIELDS)
    agreement.text, agreement.meeting_frequency = text, meeting_frequency
    agreement.communication, agreement.confidentiality = communication, confidentiality
    agreement.updated_at, agreement.updated_by = timezone.now(), by
    agreement.mentor_acknowledged_at = agreement.mentee_acknowledged_at = None
    agreement.save(
        update_fields=[
            "text",
            "meeting_frequency",
            "communication",
            "confidentiality",
            "updated_at",
            "updated_by",
            "mentor_acknowledged_at",
            "mentee_acknowledged_at",
        ]
    )
    if not in_dyad:  # an admin changed the pair's agreement: that is an admin action
        audit.record(
            program=dyad.program,
            actor=by,
            action="agreement.update",
            summary=_("Edited the agreement of %(dyad)s") % {"dyad": dyad},
            target=dyad,
            before=before,
            after=audit.snapshot(agreement, AGREEMENT_AUDIT_FIELDS),
        )
    return agreement


@transaction.atomic
def acknowledge_agreement(*, agreement: Agreement, by) -> Agreement:
    """The mentor or the mentee acknowledges the current version of their agreement."""
    role = agreement.dyad.role_of(by)
    require(role is not None)
    field = f"{role}_acknowledged_at"
    if getattr(agreement, field) is None:
        setattr(agreement, field, timezone.now())
        agreement.save(update_fields=[field])
    return agreement


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
    _refuse(rules.answer_refusal(mentor_request))


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
    load, capacity = _mentor_load(program=program, mentor=mentor)
    if capacity is not None and load >= capacity:
        raise ValidationError(
            _("%(mentor)s has no open place at the moment; ask another mentor.")
            % {"mentor": mentor}
        )
    try:
        with transaction.atomic():
            return MentorRequest.objects.create(
                program=program, mentee=mentee, mentor=mentor, note=note.strip()
            )
    except IntegrityError as error:  # one_pending_request_per_mentee: a double submit
        raise ValidationError(
            _("You already have a request waiting for an answer in this program.")
        ) from error


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


@transaction.atomic
def decline_proposed_dyad(*, dyad: Dyad, by, note: str = "") -> Dyad:
    """A program admin does not approve a pairing the mentee chose; the mentee may ask again."""
    require(rules.administers(by, dyad.program))
    dyad = Dyad.objects.select_for_update().get(pk=dyad.pk)
    _refuse(rules.decline_proposed_refusal(dyad))
    return end_dyad(
        dyad=dyad,
        by=by,
        reason=Dyad.EndReason.OTHER,
        note=note.strip() or _("Not approved by the program."),
    )


PROGRAM_SETTINGS_FIELDS = [
    "name",
    "description",
    "default_cadence_days",
    "feedback_cycle_months",
    "requests_need_approval",
    "agreement_template",
]


@transaction.atomic
def update_program_settings(*, program: Program, by, **values) -> Program:
    """A program admin changes the program's rhythm and rules; new dyads copy the new template."""
    require(rules.administers(by, program))
    unknown = set(values) - set(PROGRAM_SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"not program settings: {sorted(unknown)}")
    before = audit.snapshot(program, PROGRAM_SETTINGS_FIELDS)
    for name, value in values.items():
        setattr(program, name, value)
    program.save(update_fields=list(values))
    after = audit.snapshot(program, PROGRAM_SETTINGS_FIELDS)
    if after != before:
        audit.record(
            program=program,
            actor=by,
            action="program.settings",
            summary=_("Changed the settings of %(program)s") % {"program": program},
            target=program,
            before=before,
            after=after,
        )
    return program


@transaction.atomic
def send_notice_again(*, notification: Notification, by) -> Notification:
    """A program admin sends a failed notice again, after fixing what made it fail."""
    require(notification.program_id is not None and rules.administers(by, notification.program))
    return notifications.resend(notification=notification)
