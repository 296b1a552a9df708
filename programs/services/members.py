"""A program admin manages the program's people: their roles, a mentor's capacity, their
supervisor; deactivates a member (their open dyads end, their history stays) and reactivates them.
Each change is audited and the person hears of it; a deactivation tells each partner too."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from mentoring.access import require
from mentoring.addresses import address
from mentoring.languages import joined, later
from mentoring.notices.dispatch import notify
from mentoring.notices.planning import Occasion
from programs import audit, rules
from programs.models import Dyad, Membership, MentorRequest, Program
from programs.pairing_notices import tell_request_declined
from programs.reminders import MEMBER_CHANGED, MEMBER_STATUS, PAIRING_ENDED_MEMBER_LEFT
from programs.services.checks import mentor_load
from programs.services.dyads import end_dyad
from programs.services.supervisors import set_supervisor

ROLE_ORDER = [Membership.Role.ADMIN, Membership.Role.MENTOR, Membership.Role.MENTEE]


def _person(person) -> dict:
    return {"type": audit.PERSON, "value": person.pk}


def _role_names_now(roles) -> str:
    labels = dict(Membership.Role.choices)
    return ", ".join(str(labels[role]).lower() for role in ROLE_ORDER if role in roles)


# Lazy: in a notice, the roles are named in the recipient's language.
_role_names = lazy(_role_names_now, str)


def _tell(*, kind: str, person, program: Program, entry, title: str, body: str) -> None:
    notify(
        kind=kind,
        due=[
            Occasion(
                recipient=person,
                target=program,
                occasion=f"audit-{entry.pk}",
                title=title,
                body=body,
                url=address("home"),
                program_id=program.pk,
            )
        ],
    )


def _open_dyads(program: Program, person):
    return (
        Dyad.objects.open()
        .filter(program=program)
        .filter(_involving(person))
        .select_related("mentor", "mentee", "program")
        .order_by("created_at", "pk")
    )


def _involving(person) -> Q:
    return Q(mentor=person) | Q(mentee=person)


def _refuse_role_removal(program: Program, person, removed: set[str]) -> None:
    """A role goes only when nothing open hangs on it, and the program keeps an admin."""
    dyads = list(_open_dyads(program, person))
    for role, side in (
        (Membership.Role.MENTOR, "mentor_id"),
        (Membership.Role.MENTEE, "mentee_id"),
    ):
        held = [d for d in dyads if getattr(d, side) == person.pk]
        if role in removed and held:
            raise ValidationError(
                {
                    "roles": ngettext(
                        "%(person)s is still %(role)s in %(count)d open dyad: end or re-pair "
                        "it first, or deactivate the member.",
                        "%(person)s is still %(role)s in %(count)d open dyads: end or re-pair "
                        "them first, or deactivate the member.",
                        len(held),
                    )
                    % {"person": person, "role": role.label.lower(), "count": len(held)}
                }
            )
    if Membership.Role.ADMIN in removed:
        admins = Membership.objects.filter(program=program, role=Membership.Role.ADMIN)
        if not admins.exclude(user=person).exists():
            raise ValidationError(
                {"roles": _("The program needs an admin: make someone else admin first.")}
            )


def _check_capacity(program: Program, person, capacity: int | None) -> None:
    load, _current = mentor_load(program=program, mentor=person, lock=True)
    if capacity is not None and capacity < load:
        raise ValidationError(
            {
                "capacity": _(
                    "%(person)s has %(load)d primary mentees now: the capacity cannot be below "
                    "%(load)d. End or re-pair a dyad first, or leave it empty for no limit."
                )
                % {"person": person, "load": load}
            }
        )


def _set_roles(*, program: Program, person, by, held: dict, roles: set[str]) -> list:
    """Add and remove role memberships (`held`, by role, is updated); audited."""
    if roles == set(held):
        return []
    before = sorted(held)
    for role in set(held) - roles:
        held.pop(role).delete()
    for role in roles - set(held):
        held[role] = Membership.objects.create(program=program, user=person, role=role)
    entry = audit.record(
        program=program,
        actor=by,
        action="member.roles",
        summary=_("Set the roles of %(person)s: %(roles)s")
        % {"person": person, "roles": _role_names(roles)},
        target=next(iter(held.values())),
        before={"user": _person(person), "roles": before},
        after={"user": _person(person), "roles": sorted(roles)},
    )
    return [
        entry,
        later(gettext_lazy("your roles are now: %(roles)s"), {"roles": _role_names(roles)}),
    ]


def _set_capacity(*, program: Program, person, by, mentor, capacity: int | None) -> list:
    if mentor is None or mentor.capacity == capacity:
        return []
    _check_capacity(program, person, capacity)
    before = audit.snapshot(mentor, ["capacity"])
    mentor.capacity = capacity
    mentor.save(update_fields=["capacity"])
    entry = audit.record(
        program=program,
        actor=by,
        action="member.capacity",
        summary=_("Set the capacity of %(person)s to %(capacity)s")
        % {"person": person, "capacity": capacity or _("no limit")},
        target=mentor,
        before=before,
        after=audit.snapshot(mentor, ["capacity"]),
    )
    return [
        entry,
        later(gettext_lazy("you take at most %(capacity)d primary mentees"), {"capacity": capacity})
        if capacity
        else gettext_lazy("you have no limit on primary mentees"),
    ]


def _set_supervisor(*, program: Program, person, by, supervisor) -> list:
    profile = getattr(person, "profile", None)
    if (profile.supervisor_id if profile else None) == (supervisor.pk if supervisor else None):
        return []
    set_supervisor(program=program, person=person, supervisor=supervisor, by=by)
    entry = program.audit_entries.filter(action="profile.supervisor").latest("created_at", "id")
    return [
        entry,
        later(
            gettext_lazy("your administrative supervisor is %(supervisor)s"),
            {"supervisor": supervisor},
        )
        if supervisor
        else gettext_lazy("no administrative supervisor is recorded for you"),
    ]


@transaction.atomic
def update_member(
    *, program: Program, person, by, roles: set[str], capacity: int | None, supervisor
) -> list[str]:
    """A program admin sets a current member's roles, capacity (mentors) and supervisor.
    Returns what changed, in words (empty: nothing did); the person is told once."""
    require(rules.administers(by, program))
    held = {
        m.role: m
        for m in Membership.objects.select_for_update().filter(program=program, user=person)
    }
    require(bool(held))
    roles = {role for role in roles if role in Membership.Role.values}
    if not roles:
        raise ValidationError(
            {"roles": _("Keep at least one role; to take someone out, deactivate them.")}
        )
    _refuse_role_removal(program, person, set(held) - roles)
    done = _set_roles(program=program, person=person, by=by, held=held, roles=roles)
    mentor = held.get(Membership.Role.MENTOR)
    done += _set_capacity(
        program=program, person=person, by=by, mentor=mentor, capacity=capacity if mentor else None
    )
    done += _set_supervisor(program=program, person=person, by=by, supervisor=supervisor)
    entries, told = done[0::2], done[1::2]
    changes = [str(text) for text in told]
    if changes:
        _tell(
            kind=MEMBER_CHANGED,
            person=person,
            program=program,
            entry=entries[-1],
            title=later(gettext_lazy("%(program)s: your membership changed"), {"program": program}),
            body=later(
                gettext_lazy("A program admin changed your membership: %(changes)s."),
                {"changes": joined("; ", told)},
            ),
        )
    return changes


@dataclass
class Deactivation:
    """What deactivating a member does, said before it happens: their roles end, these dyads end,
    these people are told. Their meetings, notes, goals and feedback stay."""

    person: object
    roles: list[str]
    dyads: list[Dyad]
    told: list = field(default_factory=list)

    @property
    def role_names(self) -> str:
        return _role_names(self.roles)


def deactivation_plan(*, program: Program, person) -> Deactivation:
    """What deactivate_member would do now (the confirmation page shows it)."""
    roles = [
        m.role for m in Membership.objects.filter(program=program, user=person).order_by("role")
    ]
    dyads = list(_open_dyads(program, person))
    told = [person, *{d.partner_of(person).pk: d.partner_of(person) for d in dyads}.values()]
    return Deactivation(person=person, roles=roles, dyads=dyads, told=told)


def _close_requests(program: Program, person, by) -> None:
    """Requests to or from the person that wait for an answer are declined: they cannot be met.
    A mentee who asked the person for mentoring hears why (the person hears of their own
    deactivation)."""
    pending = MentorRequest.objects.filter(
        program=program, status=MentorRequest.Status.PENDING
    ).filter(_involving(person))
    asked_them = list(pending.exclude(mentee=person).select_related("mentee", "mentor", "program"))
    pending.update(
        status=MentorRequest.Status.DECLINED,
        response_note=_("This member is no longer active in the program."),
        responded_at=timezone.now(),
        responded_by=by,
    )
    for mentor_request in asked_them:
        mentor_request.refresh_from_db(fields=["status", "response_note", "responded_at"])
        mentor_request.responded_by = by
        tell_request_declined(mentor_request)


@transaction.atomic
def deactivate_member(*, program: Program, person, by) -> Deactivation:
    """A program admin deactivates a member: every role of theirs in the program, their open
    dyads end (someone left), their pending requests are declined. Nothing is deleted. The person
    and each partner are told."""
    require(rules.administers(by, program))
    if person.pk == by.pk:
        raise ValidationError(_("You cannot deactivate yourself: ask another program admin."))
    memberships = list(Membership.objects.select_for_update().filter(program=program, user=person))
    if not memberships:
        return Deactivation(person=person, roles=[], dyads=[])  # a double submit changes nothing
    if any(m.role == Membership.Role.ADMIN for m in memberships):
        _refuse_role_removal(program, person, {Membership.Role.ADMIN})
    plan = deactivation_plan(program=program, person=person)
    for dyad in plan.dyads:
        left = (
            Dyad.EndReason.MENTOR_LEFT
            if dyad.mentor_id == person.pk
            else Dyad.EndReason.MENTEE_LEFT
        )
        end_dyad(dyad=dyad, by=by, reason=left, note=_("The member was deactivated."))
    _close_requests(program, person, by)
    now = timezone.now()
    for membership in memberships:
        membership.deactivated_at = now
        membership.save(update_fields=["deactivated_at"])
    entry = audit.record(
        program=program,
        actor=by,
        action="member.deactivate",
        summary=_("Deactivated %(person)s (%(count)d open dyads ended)")
        % {"person": person, "count": len(plan.dyads)},
        target=memberships[0],
        before={"user": _person(person), "roles": plan.roles},
        after={"user": _person(person), "dyads_ended": [d.pk for d in plan.dyads]},
    )
    _tell_deactivated(program, plan, entry)
    return plan


def _tell_deactivated(program: Program, plan: Deactivation, entry) -> None:
    person = plan.person
    _tell(
        kind=MEMBER_STATUS,
        person=person,
        program=program,
        entry=entry,
        title=later(
            gettext_lazy("%(program)s: your membership was deactivated"), {"program": program}
        ),
        body=later(
            ngettext_lazy(
                "A program admin deactivated your membership. %(count)d open pairing ended; your "
                "meetings, notes and goals stay readable to you.",
                "A program admin deactivated your membership. %(count)d open pairings ended; your "
                "meetings, notes and goals stay readable to you.",
                "count",
            ),
            {"count": len(plan.dyads)},
        ),
    )
    notify(
        kind=PAIRING_ENDED_MEMBER_LEFT,
        due=[
            Occasion(
                recipient=dyad.partner_of(person),
                target=dyad,
                occasion=f"audit-{entry.pk}",
                title=later(
                    gettext_lazy("%(program)s: your pairing with %(person)s ended"),
                    {"program": program, "person": person},
                ),
                body=later(
                    gettext_lazy(
                        "%(person)s is no longer active in the program, so your pairing ended. Its "
                        "meetings and notes stay; the program admin will help with what comes next."
                    ),
                    {"person": person},
                ),
                url=dyad.get_absolute_url(),
                program_id=program.pk,
            )
            for dyad in plan.dyads
        ],
    )


@transaction.atomic
def reactivate_member(*, program: Program, person, by) -> list[str]:
    """A program admin takes a deactivated member back, in the roles they had. Their ended dyads
    stay ended: pair them anew. Returns the roles given back."""
    require(rules.administers(by, program))
    memberships = list(
        Membership.everyone.select_for_update().filter(
            program=program, user=person, deactivated_at__isnull=False
        )
    )
    if not memberships:
        return []  # a double submit changes nothing
    for membership in memberships:
        membership.deactivated_at = None
        membership.save(update_fields=["deactivated_at"])
    roles = sorted(m.role for m in memberships)
    entry = audit.record(
        program=program,
        actor=by,
        action="member.reactivate",
        summary=_("Reactivated %(person)s as %(roles)s")
        % {"person": person, "roles": _role_names(roles)},
        target=memberships[0],
        before={"user": _person(person)},
        after={"user": _person(person), "roles": roles},
    )
    _tell(
        kind=MEMBER_STATUS,
        person=person,
        program=program,
        entry=entry,
        title=later(gettext_lazy("%(program)s: welcome back"), {"program": program}),
        body=later(
            gettext_lazy("A program admin reactivated your membership: %(roles)s."),
            {"roles": _role_names(roles)},
        ),
    )
    return roles
