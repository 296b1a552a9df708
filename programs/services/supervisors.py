"""What program admins record about supervisors: a member's administrative supervisor (one at a
time, or many pasted from a spreadsheet), and a dyad whose mentor supervises the mentee."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.access import require
from programs import audit, rules
from programs.models import Dyad, Membership, Profile, Program
from programs.selectors import DYAD_AUDIT_FIELDS
from programs.services.checks import refuse
from programs.spreadsheet import split_cells


def recorded_supervisor(mentee, mentor) -> bool:
    """The mentor is recorded as the mentee's administrative supervisor (profile, import, admin)."""
    return Profile.objects.filter(user=mentee, supervisor=mentor).exists()


@transaction.atomic
def set_supervisor_conflict(*, dyad: Dyad, by, value: bool) -> Dyad:
    """A program admin records (or clears) that the dyad's mentor is the mentee's supervisor."""
    require(rules.administers(by, dyad.program))
    dyad = (
        Dyad.objects.select_for_update()
        .select_related("program", "mentor", "mentee")
        .get(pk=dyad.pk)
    )
    refuse(rules.supervisor_conflict_refusal(dyad))
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


def parse_supervisor_rows(text: str) -> list[tuple[int, str, str]]:
    """Lines of `person's e-mail, supervisor's e-mail` (comma, semicolon or tab separated, as a
    spreadsheet exports them; a header line is skipped) as (line number, person, supervisor)."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        cells = split_cells(line)
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
