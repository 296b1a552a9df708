"""Who may do what to a dyad, its agreement or a mentor request: one predicate per action.

Services enforce them: `require(...)` (403) for who may act, and a `ValidationError` with the
reason a `*_refusal` function gives when the state forbids it. Pages show a control only when the
predicate allows it (`dyad_actions`, `request_actions`). Whether someone administers the program is
one query; a page asks it once and passes it on as `admin=`, so its predicates cost nothing more.
"""

from django.utils.translation import gettext as _

from programs.models import Dyad, MentorRequest, Program
from programs.selectors import is_program_admin


def administers(user, program: Program) -> bool:
    """The user is an admin of the program (one query)."""
    return is_program_admin(user, program)


def _admin(user, program: Program, admin: bool | None) -> bool:
    return administers(user, program) if admin is None else admin


# What the state of a dyad or request refuses, and why: "" when nothing stands in the way.


def status_change_refusal(dyad: Dyad, *, from_status: str) -> str:
    """Pausing, resuming and approving each start from one status."""
    if dyad.status == from_status:
        return ""
    return _("This dyad is %(status)s; it cannot be changed that way.") % {
        "status": dyad.get_status_display()
    }


def re_pair_refusal(dyad: Dyad) -> str:
    if not dyad.is_open:
        return _("This dyad has already ended; pair the mentee anew instead.")
    return ""


def cadence_refusal(dyad: Dyad) -> str:
    if not dyad.is_open:
        return _("An ended dyad no longer meets; its cadence cannot change.")
    return ""


def agreement_refusal(dyad: Dyad) -> str:
    if not dyad.is_open:
        return _("The agreement of an ended dyad can no longer change.")
    return ""


def decline_proposed_refusal(dyad: Dyad) -> str:
    if dyad.status != Dyad.Status.PROPOSED:
        return _("Only a proposed dyad can be declined; end this one instead.")
    return ""


def supervisor_conflict_refusal(dyad: Dyad) -> str:
    if not dyad.is_open:
        return _("An ended dyad is history; its supervisor flag no longer changes.")
    return ""


def make_primary_refusal(dyad: Dyad) -> str:
    if not dyad.is_open:
        return _("This dyad has ended; pair the mentee anew instead.")
    if dyad.kind != Dyad.Kind.SUPPLEMENTAL:
        return _("This mentor is already the primary mentor.")
    return ""


def re_pair_request_refusal(dyad: Dyad) -> str:
    if not dyad.is_open:
        return _("This dyad has ended already; ask your program admin about a new pairing.")
    return ""


def answer_refusal(mentor_request: MentorRequest) -> str:
    """A request is answered (accepted, declined, withdrawn) once, while it waits."""
    if mentor_request.status == MentorRequest.Status.PENDING:
        return ""
    return _("This request has already been answered: %(status)s.") % {
        "status": mentor_request.get_status_display().lower()
    }


# Dyads: the program's admins change them; the pair works under them.


def can_approve(user, dyad: Dyad, *, admin: bool | None = None) -> bool:
    """Approve a pairing the mentee chose and the mentor accepted."""
    return not status_change_refusal(dyad, from_status=Dyad.Status.PROPOSED) and _admin(
        user, dyad.program, admin
    )


def can_decline(user, dyad: Dyad, *, admin: bool | None = None) -> bool:
    """Not approve a proposed pairing."""
    return not decline_proposed_refusal(dyad) and _admin(user, dyad.program, admin)


def can_pause(user, dyad: Dyad, *, admin: bool | None = None) -> bool:
    return not status_change_refusal(dyad, from_status=Dyad.Status.ACTIVE) and _admin(
        user, dyad.program, admin
    )


def can_resume(user, dyad: Dyad, *, admin: bool | None = None) -> bool:
    return not status_change_refusal(dyad, from_status=Dyad.Status.PAUSED) and _admin(
        user, dyad.program, admin
    )


def can_end(user, dyad: Dyad, *, admin: bool | None = None) -> bool:
    return dyad.is_open and _admin(user, dyad.program, admin)


def can_re_pair(user, dyad: Dyad, *, admin: bool | None = None) -> bool:
    """End the dyad and pair its mentee with another mentor."""
    return not re_pair_refusal(dyad) and _admin(user, dyad.program, admin)


def can_set_cadence(user, dyad: Dyad, *, admin: bool | None = None) -> bool:
    return not cadence_refusal(dyad) and _admin(user, dyad.program, admin)


def may_edit_agreement(user, dyad: Dyad, *, admin: bool | None = None) -> bool:
    """Either of the pair, or an admin of the program."""
    return dyad.role_of(user) is not None or _admin(user, dyad.program, admin)


def can_edit_agreement(user, dyad: Dyad, *, admin: bool | None = None) -> bool:
    return not agreement_refusal(dyad) and may_edit_agreement(user, dyad, admin=admin)


def can_acknowledge_agreement(user, dyad: Dyad) -> bool:
    """The mentor or the mentee of an open dyad who has not acknowledged this version yet."""
    agreement = getattr(dyad, "agreement", None)
    return (
        dyad.is_open
        and dyad.role_of(user) is not None
        and agreement is not None
        and not agreement.acknowledged_by(user)
    )


def can_set_supervisor_conflict(user, dyad: Dyad, *, admin: bool | None = None) -> bool:
    """Record or clear that the mentor is the mentee's supervisor, on a live dyad."""
    return not supervisor_conflict_refusal(dyad) and _admin(user, dyad.program, admin)


def can_make_primary(user, dyad: Dyad, *, admin: bool | None = None) -> bool:
    return not make_primary_refusal(dyad) and _admin(user, dyad.program, admin)


def can_request_re_pair(user, dyad: Dyad) -> bool:
    """The mentee or the mentor of an open dyad may ask for a different pairing at any time."""
    return not re_pair_request_refusal(dyad) and dyad.role_of(user) is not None


def dyad_actions(user, dyad: Dyad, *, admin: bool) -> set[str]:
    """What the viewer may do on the dyad page, for the template to test with `in`."""
    checks = {
        "approve": can_approve(user, dyad, admin=admin),
        "decline": can_decline(user, dyad, admin=admin),
        "pause": can_pause(user, dyad, admin=admin),
        "resume": can_resume(user, dyad, admin=admin),
        "end": can_end(user, dyad, admin=admin),
        "re_pair": can_re_pair(user, dyad, admin=admin),
        "set_cadence": can_set_cadence(user, dyad, admin=admin),
        "edit_agreement": can_edit_agreement(user, dyad, admin=admin),
        "acknowledge_agreement": can_acknowledge_agreement(user, dyad),
        "set_supervisor_conflict": can_set_supervisor_conflict(user, dyad, admin=admin),
        "make_primary": can_make_primary(user, dyad, admin=admin),
        "request_re_pair": can_request_re_pair(user, dyad),
    }
    return {action for action, allowed in checks.items() if allowed}


# Mentor requests: the mentor answers, an admin may decline for them, the mentee may withdraw.


def can_accept_request(user, mentor_request: MentorRequest) -> bool:
    return user.pk == mentor_request.mentor_id and not answer_refusal(mentor_request)


def may_decline_request(user, mentor_request: MentorRequest, *, admin: bool | None = None) -> bool:
    return user.pk == mentor_request.mentor_id or _admin(user, mentor_request.program, admin)


def can_decline_request(user, mentor_request: MentorRequest, *, admin: bool | None = None) -> bool:
    return not answer_refusal(mentor_request) and may_decline_request(
        user, mentor_request, admin=admin
    )


def can_withdraw_request(user, mentor_request: MentorRequest) -> bool:
    return user.pk == mentor_request.mentee_id and not answer_refusal(mentor_request)


def can_ask_another_mentor(user, mentor_request: MentorRequest) -> bool:
    """The mentee whose request was declined or withdrawn may ask someone else."""
    return user.pk == mentor_request.mentee_id and mentor_request.status in (
        MentorRequest.Status.DECLINED,
        MentorRequest.Status.WITHDRAWN,
    )


def request_actions(user, mentor_request: MentorRequest, *, admin: bool) -> set[str]:
    """What the viewer may do on the request page."""
    checks = {
        "accept": can_accept_request(user, mentor_request),
        "decline": can_decline_request(user, mentor_request, admin=admin),
        "withdraw": can_withdraw_request(user, mentor_request),
        "ask_another": can_ask_another_mentor(user, mentor_request),
    }
    return {action for action, allowed in checks.items() if allowed}
