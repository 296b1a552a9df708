"""A dyad from its start to its end: made (after the pairing rules), paused, resumed, approved or
not, its meeting cadence, ended. Who is paired with whom is decided in pairing.py."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.access import require
from programs import audit, rules
from programs.models import Dyad, Program
from programs.pairing_notices import tell_approved, tell_not_approved
from programs.selectors import DYAD_AUDIT_FIELDS, open_primary_dyad
from programs.services.agreements import start_agreement
from programs.services.checks import check_pairing, refuse
from programs.services.supervisors import recorded_supervisor, set_supervisor_conflict
from programs.signals import dyad_ended


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
    start_agreement(dyad)
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
    check_pairing(program=program, mentor=mentor, mentee=mentee, kind=kind)
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


def _set_status(*, dyad: Dyad, by, from_status: str, to: str, action: str) -> Dyad:
    """An admin moves a dyad from one status to the next (pause, resume, approve), audited."""
    require(rules.administers(by, dyad.program))
    dyad = Dyad.objects.select_for_update().get(pk=dyad.pk)
    if dyad.status == to:
        return dyad
    refuse(rules.status_change_refusal(dyad, from_status=from_status))
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
    return _approve(dyad=dyad, by=by)


def _approve(*, dyad: Dyad, by) -> Dyad:
    """Approve one proposed dyad, audited; both people are told, once (a double click, or an
    already active dyad, tells no one)."""
    proposed = Dyad.objects.select_for_update().filter(pk=dyad.pk, status=Dyad.Status.PROPOSED)
    was_proposed = proposed.exists()
    dyad = _set_status(
        dyad=dyad,
        by=by,
        from_status=Dyad.Status.PROPOSED,
        to=Dyad.Status.ACTIVE,
        action="dyad.approve",
    )
    if was_proposed:
        tell_approved([dyad])
    return dyad


@transaction.atomic
def approve_dyads(*, program: Program, by, dyad_ids: list[int]) -> list[Dyad]:
    """A program admin approves every pairing they were shown waiting, in one transaction: all or
    none. Each is audited as a single approval is, and both people of each are told. A dyad
    approved, declined or ended meanwhile is left as it is (and not counted)."""
    require(rules.administers(by, program))
    waiting = list(
        Dyad.objects.select_for_update(of=("self",))
        .filter(program=program, pk__in=dyad_ids, status=Dyad.Status.PROPOSED)
        .order_by("pk")
    )
    approved = [
        _set_status(
            dyad=dyad,
            by=by,
            from_status=Dyad.Status.PROPOSED,
            to=Dyad.Status.ACTIVE,
            action="dyad.approve",
        )
        for dyad in waiting
    ]
    tell_approved(
        Dyad.objects.filter(pk__in=[dyad.pk for dyad in approved]).select_related(
            "program", "mentor", "mentee"
        )
    )
    return approved


@transaction.atomic
def set_dyad_cadence(*, dyad: Dyad, by, cadence_days: int | None) -> Dyad:
    """Override how often a dyad should meet (None: the program's default)."""
    require(rules.administers(by, dyad.program))
    refuse(rules.cadence_refusal(dyad))
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
def decline_proposed_dyad(*, dyad: Dyad, by, note: str = "") -> Dyad:
    """A program admin does not approve a pairing the mentee chose; the mentee may ask again."""
    require(rules.administers(by, dyad.program))
    dyad = Dyad.objects.select_for_update().get(pk=dyad.pk)
    refuse(rules.decline_proposed_refusal(dyad))
    ended = end_dyad(
        dyad=dyad,
        by=by,
        reason=Dyad.EndReason.OTHER,
        note=note.strip() or _("Not approved by the program."),
    )
    tell_not_approved(ended)
    return ended
