"""What program admins, mentors and mentees do to dyads and agreements. One function per action."""

import csv
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.access import require
from mentoring.models import Notification
from mentoring.notices import dispatch as notifications
from mentoring.notices.dispatch import notify
from mentoring.notices.planning import Occasion
from programs import audit, rules
from programs.models import (
    WEIGHT_FIELDS,
    Agreement,
    Dyad,
    Membership,
    MentorRequest,
    Profile,
    Program,
    RePairRequest,
)
from programs.reminders import PAIRED, PROFILE_REMINDER, RE_PAIR_REQUESTED
from programs.selectors import DYAD_AUDIT_FIELDS, has_role, open_primary_dyad
from programs.signals import dyad_ended, re_pair_requested

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
    existing = Dyad.objects.open().filter(program=program, mentor=mentor, mentee=mentee).first()
    if existing is not None:
        if existing.kind == Dyad.Kind.SUPPLEMENTAL and kind == Dyad.Kind.PRIMARY:
            raise ValidationError(
                _(
                    "%(mentor)s is already %(mentee)s's supplemental mentor: make them primary "
                    "from that dyad's page instead."
                )
                % {"mentor": mentor, "mentee": mentee}
            )
        raise ValidationError(
            _(
                "%(mentor)s and %(mentee)s are already paired in this program: choose another mentor."
            )
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
                _(
                    "%(mentor)s is at capacity (%(load)d of %(capacity)d mentees). Choose another "
                    "mentor, or raise their capacity on the members page."
                )
                % {"mentor": mentor, "load": load, "capacity": capacity}
            )


def recorded_supervisor(mentee, mentor) -> bool:
    """The mentor is recorded as the mentee's administrative supervisor (profile, import, admin)."""
    return Profile.objects.filter(user=mentee, supervisor=mentor).exists()


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
    # The supervisor recorded on the mentee's profile flags the dyad whatever the form said.
    mentor_is_supervisor = mentor_is_supervisor or recorded_supervisor(mentee, mentor)
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
    # Asking for a different pairing is answered once the pairing ends.
    dyad.re_pair_requests.filter(handled_at=None).update(handled_at=dyad.ended_at)
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
def approve_dyad(*, dyad: Dyad, by, mentor_is_supervisor: bool | None = None) -> Dyad:
    """A program admin approves a pairing that a mentee chose and the mentor accepted, recording
    whether the mentor is the mentee's supervisor when the admin says so."""
    if mentor_is_supervisor is not None:
        set_supervisor_conflict(dyad=dyad, by=by, value=mentor_is_supervisor)
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
    if recorded_supervisor(mentee, mentor):
        raise ValidationError(
            _(
                "%(mentor)s is recorded as your supervisor, so the program does not pair you: "
                "choose another mentor from the list, or ask your program admin."
            )
            % {"mentor": mentor}
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
    "topic_vocabulary",
    *WEIGHT_FIELDS,
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


# --- Pairing without dead ends (programs/matching.py ranks; these act) ------------------------


@transaction.atomic
def set_supervisor_conflict(*, dyad: Dyad, by, value: bool) -> Dyad:
    """A program admin records (or clears) that the dyad's mentor is the mentee's supervisor."""
    require(rules.administers(by, dyad.program))
    dyad = (
        Dyad.objects.select_for_update()
        .select_related("program", "mentor", "mentee")
        .get(pk=dyad.pk)
    )
    _refuse(rules.supervisor_conflict_refusal(dyad))
    if dyad.mentor_is_supervisor == value:
        return dyad
    before = audit.snapshot(dyad, DYAD_AUDIT_FIELDS)
    dyad.mentor_is_supervisor = value
    dyad.save(update_fields=["mentor_is_supervisor"])
    audit.record(
        program=dyad.program,
        actor=by,
        action="dyad.supervisor",
        summary=(
            _("Recorded that %(mentor)s supervises %(mentee)s in %(dyad)s")
            if value
            else _("Cleared the supervisor conflict of %(dyad)s")
        )
        % {"mentor": dyad.mentor, "mentee": dyad.mentee, "dyad": dyad},
        target=dyad,
        before=before,
        after=audit.snapshot(dyad, DYAD_AUDIT_FIELDS),
    )
    return dyad


@transaction.atomic
def set_supervisor(*, program: Program, person, supervisor, by) -> Profile:
    """A program admin records a member's administrative supervisor (None clears it)."""
    require(rules.administers(by, program))
    require(Membership.objects.filter(program=program, user=person).exists())
    if supervisor is not None and supervisor.pk == person.pk:
        raise ValidationError(_("A person cannot be their own supervisor."))
    profile, _created = Profile.objects.select_for_update().get_or_create(
        user=person, defaults={"completed_at": timezone.now()}
    )
    before = {"supervisor": profile.supervisor_id}
    if profile.supervisor_id == (supervisor.pk if supervisor else None):
        return profile
    profile.supervisor = supervisor
    profile.updated_at = timezone.now()
    profile.save(update_fields=["supervisor", "updated_at"])
    audit.record(
        program=program,
        actor=by,
        action="profile.supervisor",
        summary=(
            _("Recorded %(supervisor)s as the supervisor of %(person)s")
            if supervisor
            else _("Cleared the supervisor of %(person)s")
        )
        % {"supervisor": supervisor, "person": person},
        target=profile,
        before=before,
        after={"supervisor": profile.supervisor_id},
    )
    return profile


@transaction.atomic
def make_primary(
    *, dyad: Dyad, by, replacing: Dyad | None = None, reason: str = Dyad.EndReason.OTHER
) -> Dyad:
    """A supplemental mentor becomes the mentee's primary mentor, in one transaction: the current
    primary dyad (if `replacing`) ends, and the supplemental dyad turns primary, or neither."""
    require(rules.administers(by, dyad.program))
    dyad = (
        Dyad.objects.select_for_update()
        .select_related("program", "mentor", "mentee")
        .get(pk=dyad.pk)
    )
    _refuse(rules.make_primary_refusal(dyad))
    if replacing is not None:
        if replacing.mentee_id != dyad.mentee_id or replacing.program_id != dyad.program_id:
            raise ValidationError(_("That dyad is not this mentee's in this program."))
        end_dyad(
            dyad=replacing,
            by=by,
            reason=reason,
            note=_("%(mentor)s, already a supplemental mentor, became the primary mentor.")
            % {"mentor": dyad.mentor}
            if reason == Dyad.EndReason.OTHER
            else "",
        )
    current = open_primary_dyad(program=dyad.program, mentee=dyad.mentee)
    if current is not None:
        raise ValidationError(
            _(
                "%(mentee)s already has a primary mentor (%(mentor)s): re-pair from that dyad to "
                "make %(new)s primary instead."
            )
            % {"mentee": dyad.mentee, "mentor": current.mentor, "new": dyad.mentor}
        )
    load, capacity = _mentor_load(program=dyad.program, mentor=dyad.mentor, lock=True)
    if capacity is not None and load >= capacity:
        raise ValidationError(
            _(
                "%(mentor)s is at capacity (%(load)d of %(capacity)d mentees): raise their "
                "capacity on the members page, or choose another mentor."
            )
            % {"mentor": dyad.mentor, "load": load, "capacity": capacity}
        )
    before = audit.snapshot(dyad, DYAD_AUDIT_FIELDS)
    dyad.kind = Dyad.Kind.PRIMARY
    dyad.ends_on = None
    if replacing is not None and dyad.replaces_id is None:
        dyad.replaces = replacing
    dyad.save(update_fields=["kind", "ends_on", "replaces"])
    audit.record(
        program=dyad.program,
        actor=by,
        action="dyad.make_primary",
        summary=_("Made %(mentor)s the primary mentor of %(mentee)s")
        % {"mentor": dyad.mentor, "mentee": dyad.mentee},
        target=dyad,
        before=before,
        after=audit.snapshot(dyad, DYAD_AUDIT_FIELDS),
    )
    return dyad


def _paired_notices(dyads: list[Dyad]) -> None:
    due = []
    for dyad in dyads:
        waits = dyad.status == Dyad.Status.PROPOSED
        for person, partner, role in (
            (dyad.mentee, dyad.mentor, _("mentor")),
            (dyad.mentor, dyad.mentee, _("mentee")),
        ):
            due.append(
                Occasion(
                    recipient=person,
                    target=dyad,
                    occasion="paired",
                    title=_("%(program)s: %(partner)s is your %(role)s")
                    % {"program": dyad.program, "partner": partner, "role": role},
                    body=_("The program admin approves the pairing before it starts.")
                    if waits
                    else _(
                        "Read and acknowledge your mentoring agreement, then plan a first meeting."
                    ),
                    url=dyad.get_absolute_url(),
                    program_id=dyad.program_id,
                )
            )
    notify(kind=PAIRED, due=due)


@transaction.atomic
def confirm_cohort(*, program: Program, by, pairs: list[tuple]) -> list[Dyad]:
    """Create the dyads of a cohort run, all or none: one refused pairing rolls every one back.
    Each dyad is proposed or active per the program's approval setting, audited, and both people
    are told."""
    require(rules.administers(by, program))
    if not pairs:
        raise ValidationError(_("The draft has no pair left to confirm: run the matching again."))
    status = Dyad.Status.PROPOSED if program.requests_need_approval else Dyad.Status.ACTIVE
    dyads = []
    for mentee, mentor in pairs:
        try:
            dyads.append(
                create_dyad(program=program, mentor=mentor, mentee=mentee, by=by, status=status)
            )
        except ValidationError as error:
            raise ValidationError(
                _("Nothing was saved. %(mentee)s with %(mentor)s: %(why)s")
                % {"mentee": mentee, "mentor": mentor, "why": " ".join(error.messages)}
            ) from error
    audit.record(
        program=program,
        actor=by,
        action="cohort.confirm",
        summary=_("Confirmed a cohort of %(count)d pairs") % {"count": len(dyads)},
        target=program,
        after={"dyads": [dyad.pk for dyad in dyads]},
    )
    _paired_notices(dyads)
    return dyads


@transaction.atomic
def request_re_pair(*, dyad: Dyad, by, reason: str) -> RePairRequest:
    """The mentee or the mentor asks for a different pairing, at any time. Only the program's
    admins hear of it and read the reason; the partner is not told."""
    require(dyad.role_of(by) is not None)
    _refuse(rules.re_pair_request_refusal(dyad))
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
    admins = Membership.objects.filter(
        program=dyad.program, role=Membership.Role.ADMIN
    ).select_related("user")
    notify(
        kind=RE_PAIR_REQUESTED,
        due=[
            Occasion(
                recipient=admin.user,
                target=re_pair_request,
                occasion="asked",
                title=_("%(person)s asks for a different pairing") % {"person": by},
                body=_("Read the reason (confidential from their partner) and re-pair or reply."),
                url=re_pair_request.get_absolute_url(),
                program_id=dyad.program_id,
            )
            for admin in admins
            if admin.user_id not in (dyad.mentor_id, dyad.mentee_id)
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


@transaction.atomic
def save_profile(*, user, fields: dict, profile_fields: dict) -> Profile:
    """A person fills in (or edits) their profile; the first save completes onboarding."""
    for name, value in fields.items():
        setattr(user, name, value)
    if fields:
        user.save(update_fields=list(fields))
    profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
    for name, value in profile_fields.items():
        setattr(profile, name, value)
    if profile.supervisor_id == user.pk:
        raise ValidationError(_("You cannot be your own supervisor."))
    now = timezone.now()
    profile.updated_at = now
    profile.completed_at = profile.completed_at or now
    profile.save()
    return profile


@transaction.atomic
def remind_profile(*, program: Program, by, people: list) -> int:
    """A program admin reminds members who have not completed their profile."""
    require(rules.administers(by, program))
    now = timezone.now()
    Profile.objects.filter(user__in=people).update(reminded_at=now)
    return notify(
        kind=PROFILE_REMINDER,
        due=[
            Occasion(
                recipient=person,
                target=program,
                occasion=f"profile-{now.date().isoformat()}",
                title=_("%(program)s: please complete your profile") % {"program": program},
                body=_(
                    "Your interests and what you want from mentoring let the program suggest a "
                    "good mentor. It takes two minutes."
                ),
                url=reverse("programs:profile"),
                program_id=program.pk,
            )
            for person in people
        ],
    )


def parse_supervisor_rows(text: str) -> list[tuple[int, str, str]]:
    """Lines of `person's e-mail, supervisor's e-mail` (comma, semicolon or tab separated, as a
    spreadsheet exports them; a header line is skipped) as (line number, person, supervisor)."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        delimiter = "\t" if "\t" in line else (";" if ";" in line and "," not in line else ",")
        cells = [c.strip() for c in next(csv.reader([line], delimiter=delimiter), [])]
        if not any(cells):
            continue
        if not rows and "@" not in cells[0]:
            continue  # the header
        cells += [""] * (2 - len(cells))
        rows.append((number, cells[0].lower(), cells[1].lower()))
    return rows


@transaction.atomic
def import_supervisors(*, program: Program, by, rows: list[tuple[int, str, str]]) -> int:
    """Record many members' supervisors at once, all or none: every line that cannot be applied is
    named with its reason, and nothing is saved. Returns how many changed."""
    require(rules.administers(by, program))
    emails = {email for _line, person, supervisor in rows for email in (person, supervisor)}
    members = {
        m.user.email.lower(): m.user
        for m in Membership.objects.filter(program=program, user__email__in=emails).select_related(
            "user"
        )
    }
    problems = []
    for line, person, supervisor in rows:
        if person not in members:
            problems.append(
                _("Line %(line)d: %(email)s is not a member of this program.")
                % {"line": line, "email": person or _("(no address)")}
            )
        elif supervisor and supervisor not in members:
            problems.append(
                _(
                    "Line %(line)d: %(email)s is not a member of this program, so they are never "
                    "suggested anyway; leave the line out."
                )
                % {"line": line, "email": supervisor}
            )
        elif supervisor == person:
            problems.append(
                _("Line %(line)d: a person cannot be their own supervisor.") % {"line": line}
            )
    if problems:
        raise ValidationError(problems)
    if not rows:
        raise ValidationError(_("Paste one line per person: their address, their supervisor's."))
    changed = 0
    for _line, person, supervisor in rows:
        before = (
            Profile.objects.filter(user=members[person])
            .values_list("supervisor_id", flat=True)
            .first()
        )
        after = members[supervisor] if supervisor else None
        if before != (after.pk if after else None):
            set_supervisor(program=program, person=members[person], supervisor=after, by=by)
            changed += 1
    return changed
