"""Reads about programs, memberships and dyads that feed pages."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from mentoring import rawsql, registry, viewer
from mentoring.addresses import address
from mentoring.models import User
from mentoring.search import matching
from programs.models import OPEN_STATUSES, Dyad, Membership, MentorRequest, Program

DYAD_AUDIT_FIELDS = [
    "status",
    "kind",
    "focus_area",
    "mentor",
    "mentee",
    "mentor_is_supervisor",
    "cadence_days",
    "started_on",
    "ends_on",
    "ended_at",
    "end_reason",
    "end_note",
]


def has_role(user, program: Program, role: str) -> bool:
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, program=program, role=role).exists()


def is_program_admin(user, program: Program) -> bool:
    return has_role(user, program, Membership.Role.ADMIN)


def open_primary_dyad(*, program: Program, mentee) -> Dyad | None:
    return (
        Dyad.objects.open()
        .filter(program=program, mentee=mentee, kind=Dyad.Kind.PRIMARY)
        .select_related("mentor")
        .first()
    )


def mentor_loads(program: Program) -> QuerySet[Membership]:
    """The program's mentors, each with `load`: open primary dyads, to compare with capacity."""
    return (
        program.memberships.filter(role=Membership.Role.MENTOR)
        .select_related("user")
        .annotate(
            load=Count(
                "user__dyads_as_mentor",
                filter=Q(
                    user__dyads_as_mentor__program=program,
                    user__dyads_as_mentor__kind=Dyad.Kind.PRIMARY,
                    user__dyads_as_mentor__status__in=["proposed", "active", "paused"],
                ),
            )
        )
        .order_by("user__name", "user__email")
    )


# What the home page shows of the two people of a dyad.
PERSON_FIELDS = ("id", "name", "email", "title")
# What pages show of the person's dyads (the rest of a dyad is loaded if ever read).
_VIEWER_DYADS_SQL = """
SELECT d.id, d.program_id, d.mentor_id, d.mentee_id, d.kind, d.focus_area, d.status,
       d.created_at, d.started_on, d.cadence_days,
       mentor.id AS mentor__id, mentor.name AS mentor__name, mentor.email AS mentor__email,
       mentor.title AS mentor__title,
       mentee.id AS mentee__id, mentee.name AS mentee__name, mentee.email AS mentee__email,
       mentee.title AS mentee__title,
       a.id IS NOT NULL AS has_agreement,
       a.mentor_acknowledged_at IS NOT NULL AS mentor_acknowledged,
       a.mentee_acknowledged_at IS NOT NULL AS mentee_acknowledged
  FROM programs_dyad d
  JOIN mentoring_user mentor ON mentor.id = d.mentor_id
  JOIN mentoring_user mentee ON mentee.id = d.mentee_id
  LEFT JOIN programs_agreement a ON a.dyad_id = d.id
 WHERE d.mentor_id = %s OR d.mentee_id = %s
"""


# Mentees asking this mentor, newest first (as MentorRequest is ordered).
_REQUESTS_TO_ANSWER_SQL = """
SELECT r.*, u.id AS mentee__id, u.name AS mentee__name, u.email AS mentee__email,
       u.title AS mentee__title
  FROM programs_mentorrequest r JOIN mentoring_user u ON u.id = r.mentee_id
 WHERE r.mentor_id = %s AND r.status = 'pending'
 ORDER BY r.created_at DESC
"""


def person_dyads(user) -> list[Dyad]:
    """Every dyad of the person's, both ways, ended ones too, with mentor and mentee (what pages
    show of them) and whether each has an agreement the person has not acknowledged
    (`agreement_to_acknowledge`), by program name, kind and newest first: one query, once per
    request (memo on the request's user, as mentoring.viewer does for memberships), written as
    SQL (mentoring/rawsql.py). The program comes from the request's memberships."""
    cached = getattr(user, "_viewer_dyads", None)
    if cached is None:
        cached = rawsql.rows(Dyad, _VIEWER_DYADS_SQL, [user.pk, user.pk])
        for dyad in cached:
            rawsql.attach(dyad, "mentor", PERSON_FIELDS)
            rawsql.attach(dyad, "mentee", PERSON_FIELDS)
            acknowledged = (
                dyad.mentor_acknowledged if dyad.mentor_id == user.pk else dyad.mentee_acknowledged
            )
            dyad.agreement_to_acknowledge = bool(dyad.has_agreement) and not acknowledged
        with_programs(user, cached)
        cached.sort(key=lambda d: d.created_at, reverse=True)
        cached.sort(key=lambda d: (d.program.name, d.kind))
        user._viewer_dyads = cached
    return cached


def viewer_dyads(user) -> list[Dyad]:
    """The person's dyads that have not ended (`person_dyads`): what the home page shows and
    reads by id."""
    return [d for d in person_dyads(user) if d.status != Dyad.Status.ENDED]


def with_programs(user, rows: list) -> None:
    """Give each row (a dyad, a request: anything with `program_id`) its program, from the
    request's memberships of `user` instead of a join (a person in a dyad is a member of its
    program); a program they have left since is read, in one query, only then."""
    programs = {m.program_id: m.program for m in viewer.memberships(user)}
    missing = {row.program_id for row in rows} - programs.keys()
    if missing:
        programs.update(Program.objects.in_bulk(missing))
    for row in rows:
        row.program = programs[row.program_id]


def with_people(dyads: list[Dyad]) -> list[Dyad]:
    """Give each dyad its mentor and mentee with what a list shows of them (name, e-mail): one
    query for the page's few dyads, none for no dyad. For lists whose rows were read lean (e.g.
    one page of `meetings.selectors.overdue_dyads(people=False)`)."""
    ids = {d.mentor_id for d in dyads} | {d.mentee_id for d in dyads}
    if not ids:
        return dyads
    people = User.objects.only("name", "email").in_bulk(ids)
    for dyad in dyads:
        dyad.mentor, dyad.mentee = people[dyad.mentor_id], people[dyad.mentee_id]
    return dyads


def program_admins(program: Program, *, besides: Iterable[int] = ()) -> list[User]:
    """The program's admins (one query), but not the people an event is about."""
    skip = set(besides)
    return [
        membership.user
        for membership in Membership.objects.filter(
            program=program, role=Membership.Role.ADMIN
        ).select_related("user")
        if membership.user_id not in skip
    ]


def viewer_administered(user) -> list[Program]:
    """The programs the person administers, by name, from the request's one fetch of their
    memberships: no query."""
    return [m.program for m in viewer.memberships(user) if m.role == Membership.Role.ADMIN]


def viewer_administered_counts(user) -> list[Program]:
    """The programs the person administers, by name, with the counts other apps register for the
    home page (registry.viewer_admin_program_count): one query, once per request, none for a
    person who administers nothing. Written as SQL (mentoring/rawsql.py): it runs on an admin's
    every home page."""
    cached = getattr(user, "_viewer_administered", None)
    if cached is None:
        cached = []
        administered = [p.pk for p in viewer_administered(user)]
        if administered:
            counts = "".join(
                f", ({sql}) AS {name}" for name, sql in registry.VIEWER_ADMIN_PROGRAM_COUNTS.items()
            )
            sql = (
                f"SELECT p.id, p.name, p.slug{counts} FROM programs_program p"
                f" WHERE p.id IN ({rawsql.placeholders(administered)})"
            )
            cached = sorted(rawsql.rows(Program, sql, administered), key=lambda p: (p.name, p.pk))
        user._viewer_administered = cached
    return cached


@dataclass(frozen=True, slots=True)
class DyadsPanel:
    """The top of the home page: what waits for the person, and their dyads both ways."""

    template: ClassVar[str] = "programs/_home_dyads.html"

    agreements_to_acknowledge: list[Dyad]
    requests_to_answer: list[MentorRequest]  # mentees asking the person to mentor them
    as_mentee: list[Dyad]
    as_mentor: list[Dyad]
    is_mentee_somewhere: bool
    is_mentor_somewhere: bool


@dataclass(frozen=True, slots=True)
class ProgramsPanel:
    """The foot of the home page: the person's programs and roles."""

    template: ClassVar[str] = "programs/_home_programs.html"

    memberships: list[Membership]  # each with its program, by program name


def home_dyads(user) -> DyadsPanel:
    """The person's dyads both ways, agreements to acknowledge, requests to answer. Memberships
    and dyads come from the request's one fetch; dyads only for someone who mentors or is mentored
    somewhere (an admin only has none to read), requests only for mentors."""
    roles = viewer.roles(user)
    dyads = viewer_dyads(user) if roles & {"mentor", "mentee"} else []
    as_mentor = [d for d in dyads if d.mentor_id == user.pk]
    as_mentee = [d for d in dyads if d.mentee_id == user.pk]
    to_acknowledge = [
        d for d in dyads if d.status == Dyad.Status.ACTIVE and d.agreement_to_acknowledge
    ]
    requests_to_answer = []
    if Membership.Role.MENTOR in roles:
        requests_to_answer = rawsql.rows(MentorRequest, _REQUESTS_TO_ANSWER_SQL, [user.pk])
        for mentor_request in requests_to_answer:
            rawsql.attach(mentor_request, "mentee", PERSON_FIELDS)
        with_programs(user, requests_to_answer)
    return DyadsPanel(
        agreements_to_acknowledge=to_acknowledge,
        requests_to_answer=requests_to_answer,
        as_mentee=as_mentee,
        as_mentor=as_mentor,
        is_mentee_somewhere=bool(as_mentee) or Membership.Role.MENTEE in roles,
        is_mentor_somewhere=bool(as_mentor) or Membership.Role.MENTOR in roles,
    )


def home_programs(user) -> ProgramsPanel:
    """The person's programs, from the request's one fetch of their memberships: no query."""
    return ProgramsPanel(memberships=viewer.memberships(user))


def dyad_history(*, program: Program, mentee) -> QuerySet[Dyad]:
    """Every dyad a mentee has had in a program, newest first, for the admin's history page."""
    return (
        program.dyads.filter(mentee=mentee)
        .select_related("mentor", "replaces__mentor")
        .order_by("-created_at")
    )


# What the members page's search looks in.
MEMBER_SEARCH_FIELDS = ("name", "email", "department", "expertise", "interests")


def program_members(program: Program, *, query: str = "") -> QuerySet[Membership]:
    memberships = program.memberships.select_related("user")
    if query:
        memberships = memberships.filter(
            matching(query, [f"user__{name}" for name in MEMBER_SEARCH_FIELDS])
        )
    return memberships.order_by("user__name", "user__email", "role")


def program_dyads(program: Program) -> QuerySet[Dyad]:
    return program.dyads.select_related("mentor", "mentee", "agreement")


def members_with_load(program: Program, *, query: str = "", role: str = "") -> QuerySet[Membership]:
    """The members page: program_members (search) plus a role filter and each mentor's `load`
    (open primary dyads in this program; 0 for other roles). One query however many members."""
    memberships = program_members(program, query=query.strip())
    if role:
        memberships = memberships.filter(role=role)
    return memberships.annotate(
        load=Count(
            "user__dyads_as_mentor",
            filter=Q(
                role=Membership.Role.MENTOR,
                user__dyads_as_mentor__program=program,
                user__dyads_as_mentor__kind=Dyad.Kind.PRIMARY,
                user__dyads_as_mentor__status__in=["proposed", "active", "paused"],
            ),
        )
    )


@dataclass(frozen=True)
class FormerMember:
    """A deactivated member of a program, with the roles they would get back."""

    user: User
    roles: list[str]
    deactivated_at: object


def deactivated_members(program: Program, *, query: str = "") -> list[FormerMember]:
    """The program's deactivated members (matching the members search), by name (one query)."""
    rows = Membership.everyone.filter(program=program).exclude(deactivated_at=None)
    if query.strip():
        rows = rows.filter(matching(query.strip(), [f"user__{f}" for f in MEMBER_SEARCH_FIELDS]))
    people: dict[int, FormerMember] = {}
    for row in rows.select_related("user").order_by("user__name", "user__email", "role"):
        former = people.setdefault(row.user_id, FormerMember(row.user, [], row.deactivated_at))
        former.roles.append(row.get_role_display())
    return list(people.values())


def pending_invitations(program: Program):
    """Invitations not yet accepted and still valid, newest first."""

    return program.invitations.filter(
        accepted_at=None, expires_at__gt=timezone.now()
    ).select_related("invited_by")


def audit_log(program: Program, *, action: str = ""):
    """The program's audit entries, newest first, with who did each."""
    entries = program.audit_entries.select_related("actor")
    if action:
        entries = entries.filter(action=action)
    return entries.order_by("-created_at", "-id")


def audit_actions(program: Program) -> list[str]:
    """The distinct actions of a program's audit log, for the filter."""
    return list(
        program.audit_entries.order_by("action").values_list("action", flat=True).distinct()
    )


# The status filters of the program dashboard: "open" (proposed, active, paused) is the default.
DYAD_FILTERS = {
    "open": ("proposed", "active", "paused"),
    "proposed": ("proposed",),
    "active": ("active",),
    "paused": ("paused",),
    "ended": ("ended",),
    "all": ("proposed", "active", "paused", "ended"),
}


# What a row of the dashboard's list shows: the two names, kind and focus, status and end reason,
# how it was formed, the supervisor flag, the start date (and the id its links take).
DASHBOARD_FIELDS = (
    "mentor_id",
    "mentee_id",
    "kind",
    "focus_area",
    "status",
    "formed",
    "mentor_is_supervisor",
    "started_on",
    "end_reason",
    "mentor__name",
    "mentor__email",
    "mentee__name",
    "mentee__email",
)


def dashboard_dyads(program: Program, *, status: str = "open", query: str = "") -> QuerySet[Dyad]:
    """The dyads of the admin's dashboard: one status filter and a search over people and focus,
    with only the columns the list shows."""
    dyads = Dyad.objects.filter(
        program_id=program.pk, status__in=DYAD_FILTERS.get(status, DYAD_FILTERS["open"])
    )
    if query:
        dyads = dyads.filter(
            matching(
                query,
                ["mentee__name", "mentee__email", "mentor__name", "mentor__email", "focus_area"],
            )
        )
    return (
        dyads.select_related("mentor", "mentee")
        .only(*DASHBOARD_FIELDS)
        .order_by("status", "mentee__name", "mentee__email", "kind", "pk")
    )


def _labels(choices) -> dict[str, str]:
    """Each value's label in the active language, translated once per list, not once per row."""
    return {value: str(label) for value, label in choices.choices}


def dashboard_rows(program: Program, dyads) -> list[Dyad]:
    """One page of `dashboard_dyads` with what each row shows, prepared: the labels of its kind,
    status and end reason, and the addresses of the dyad and of its mentee's history."""
    kinds, statuses, reasons = _labels(Dyad.Kind), _labels(Dyad.Status), _labels(Dyad.EndReason)
    rows = list(dyads)
    for dyad in rows:
        dyad.kind_label = kinds.get(dyad.kind, dyad.kind)
        dyad.status_label = statuses.get(dyad.status, dyad.status)
        dyad.end_reason_label = reasons.get(dyad.end_reason, dyad.end_reason)
        dyad.url = address("programs:dyad", dyad.pk)
        dyad.history_url = address("programs:mentee_history", program.slug, dyad.mentee_id)
    return rows


def dyad_counts(program: Program) -> dict[str, int]:
    """How many dyads the program has in each status (one GROUP BY query)."""
    counts = dict.fromkeys(Dyad.Status.values, 0)
    counts.update(
        Dyad.objects.filter(program_id=program.pk)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    counts["all"] = sum(counts[status] for status in Dyad.Status.values)
    counts["open"] = counts["proposed"] + counts["active"] + counts["paused"]
    return counts


def pending_requests(program: Program) -> QuerySet[MentorRequest]:
    return program.mentor_requests.filter(status=MentorRequest.Status.PENDING).select_related(
        "mentor", "mentee"
    )


def proposed_dyads(program: Program) -> QuerySet[Dyad]:
    return program.dyads.filter(status=Dyad.Status.PROPOSED).select_related(
        "mentor", "mentee", "request"
    )


def mentee_memberships(program_ids) -> QuerySet[Membership]:
    """The mentee memberships of these programs, each with `has_primary`: whether the mentee has
    an open (proposed, active or paused) primary dyad in that program. The one rule of "waits for
    a mentor" (has_primary=False) for the pair page, the cohort and the overview."""
    open_primary = Dyad.objects.filter(
        program=OuterRef("program"),
        mentee=OuterRef("user"),
        kind=Dyad.Kind.PRIMARY,
        status__in=OPEN_STATUSES,
    )
    return Membership.objects.filter(
        program_id__in=program_ids, role=Membership.Role.MENTEE
    ).annotate(has_primary=Exists(open_primary))


def shared_topics(first, second) -> list[str]:
    """Topics (expertise and interests) two people have in common, sorted."""
    if first is None or second is None:
        return []
    return sorted(first.topics & second.topics)


def mentee_request_state(program: Program, mentee) -> dict:
    """What the mentor directory needs to know about the mentee: primary dyad, pending request."""
    return {
        "primary_dyad": open_primary_dyad(program=program, mentee=mentee),
        "pending_request": program.mentor_requests.filter(
            mentee=mentee, status=MentorRequest.Status.PENDING
        )
        .select_related("mentor")
        .first(),
    }


def security_events(program: Program, *, kind: str = ""):
    """Security events a program's admins may read: those of the program's members (any role) that
    name no other program, and every event naming this program. Newest first."""
    from mentoring.models import SecurityEvent

    members = Membership.objects.filter(program=program).values("user_id")
    events = SecurityEvent.objects.filter(
        Q(program=program) | Q(program=None, user__in=members)
    ).select_related("user", "actor")
    if kind:
        events = events.filter(kind=kind)
    return events.order_by("-created_at", "-id")
