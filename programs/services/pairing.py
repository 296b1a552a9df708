"""Who is paired with whom (programs/matching.py ranks; these act): an admin pairs a mentee,
adds a supplemental mentor, re-pairs, makes a supplemental mentor primary, or confirms a whole
cohort at once."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mentoring.access import require
from programs import audit, rules
from programs.models import Dyad, Program
from programs.pairing_notices import tell_paired, tell_re_paired, tell_supplemental
from programs.selectors import DYAD_AUDIT_FIELDS, open_primary_dyad
from programs.services.checks import mentor_load, refuse
from programs.services.dyads import create_dyad, end_dyad
from programs.services.requests import decline_pending_requests


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
    decline_pending_requests(
        program=program,
        mentee=mentee,
        by=by,
        note=_("The program paired you with %(mentor)s.") % {"mentor": mentor},
    )
    tell_paired([dyad])
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
    dyad = create_dyad(
        program=program,
        mentor=mentor,
        mentee=mentee,
        by=by,
        kind=Dyad.Kind.SUPPLEMENTAL,
        focus_area=focus_area,
        ends_on=ends_on,
        mentor_is_supervisor=mentor_is_supervisor,
    )
    tell_supplemental(dyad)
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
    refuse(rules.re_pair_refusal(dyad))
    if new_mentor.pk == dyad.mentor_id:
        raise ValidationError(_("Choose a different mentor than the current one."))
    old = end_dyad(dyad=dyad, by=by, reason=reason, note=note)
    new = create_dyad(
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
    tell_re_paired(old, new)
    return new


def _check_room_for_primary(dyad: Dyad) -> None:
    """Refuse to make the dyad's mentor primary while the mentee has another primary mentor, or
    while the mentor is at capacity (their membership locked, as pairing does)."""
    current = open_primary_dyad(program=dyad.program, mentee=dyad.mentee)
    if current is not None:
        raise ValidationError(
            _(
                "%(mentee)s already has a primary mentor (%(mentor)s): re-pair from that dyad to "
                "make %(new)s primary instead."
            )
            % {"mentee": dyad.mentee, "mentor": current.mentor, "new": dyad.mentor}
        )
    load, capacity = mentor_load(program=dyad.program, mentor=dyad.mentor, lock=True)
    if capacity is not None and load >= capacity:
        raise ValidationError(
            _(
                "%(mentor)s is at capacity (%(load)d of %(capacity)d mentees): raise their "
                "capacity on the members page, or choose another mentor."
            )
            % {"mentor": dyad.mentor, "load": load, "capacity": capacity}
        )


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
    refuse(rules.make_primary_refusal(dyad))
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
    _check_room_for_primary(dyad)
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
    tell_paired(dyads)
    return dyads
