"""The checks several services make before they write: a refusal that programs.rules gives, the
rules of a pairing, and a mentor's load against their capacity."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from programs.models import Dyad, Membership, Program
from programs.selectors import has_role, open_primary_dyad


def refuse(reason: str) -> None:
    """The state forbids the action: say why (see programs.rules)."""
    if reason:
        raise ValidationError(reason)


def check_pairing(*, program: Program, mentor, mentee, kind: str) -> None:
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
        load, capacity = mentor_load(program=program, mentor=mentor, lock=True)
        if capacity is not None and load >= capacity:
            raise ValidationError(
                _(
                    "%(mentor)s is at capacity (%(load)d of %(capacity)d mentees). Choose another "
                    "mentor, or raise their capacity on the members page."
                )
                % {"mentor": mentor, "load": load, "capacity": capacity}
            )


def mentor_load(*, program: Program, mentor, lock: bool = False) -> tuple[int, int | None]:
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
