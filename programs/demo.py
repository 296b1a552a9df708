"""The demo world of ../shared/CONTRACTS.md: programs, people and dyads. Idempotent."""

from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from mentoring.models import User
from programs.models import Dyad, Membership, Profile, Program
from programs.services.agreements import acknowledge_agreement
from programs.services.dyads import create_dyad
from programs.services.pairing import re_pair_mentee

DEMO_PASSWORD = "mentoring-demo"
LOAD_ADMIN = "load-admin@example.com"

PEOPLE = {
    "admin@example.com": dict(name="Alex Admin", title="Program Director", department="Pediatrics"),
    "mentor@example.com": dict(
        name="Dr. Maria Mentor",
        title="Professor of Pediatrics",
        department="General Pediatrics",
        career_stage="senior_faculty",
        expertise="health services research, grant writing, career planning",
        interests="medical education, grant writing",
        time_zone="America/New_York",
    ),
    "mentee@example.com": dict(
        name="Dr. Sam Mentee",
        title="Assistant Professor",
        department="General Pediatrics",
        career_stage="junior_faculty",
        expertise="asthma outcomes",
        interests="health services research, grant writing",
        time_zone="America/New_York",
    ),
    "mentor2@example.com": dict(
        name="Dr. Rob Director",
        title="Division Director",
        department="General Pediatrics",
        career_stage="senior_faculty",
        expertise="quality improvement, leadership",
        interests="leadership, clinical operations",
        time_zone="America/Chicago",
    ),
    "mentee2@example.com": dict(
        name="Dr. Lee Junior",
        title="Instructor",
        department="General Pediatrics",
        career_stage="junior_faculty",
        interests="quality improvement, grant writing",
        time_zone="America/Chicago",
    ),
    "mentee3@example.com": dict(
        name="Dr. Kim Fellow",
        title="Clinical Fellow",
        department="Pediatric Hospital Medicine",
        career_stage="fellow",
        interests="leadership, medical education",
        time_zone="Europe/London",
    ),
    "admin2@example.com": dict(
        name="Bea Admin", title="Research Coordinator", department="Residency Program"
    ),
    "mentor3@example.com": dict(
        name="Dr. Pat Scholar",
        title="Associate Professor",
        department="Pediatric Research",
        career_stage="mid_career",
        expertise="biostatistics, clinical trials",
        time_zone="America/Denver",
    ),
    "mentee4@example.com": dict(
        name="Dr. Jo Resident",
        title="PGY-2 Resident",
        department="Pediatrics",
        career_stage="resident",
        interests="clinical trials",
        time_zone="America/Denver",
    ),
    "superuser@example.com": dict(name="Site Superuser"),
}


# What each demo person told the program at onboarding (programs/onboarding.py): all completed, so
# every demo account lands where it always did. mentee2's supervisor is mentor2 (CONTRACTS.md).
PROFILES = {
    "mentor@example.com": dict(
        offers="Grant writing, career planning, health services research methods.",
        meeting_frequency="monthly",
        meeting_mode="either",
    ),
    "mentee@example.com": dict(
        wants="A first R-level grant and a plan for promotion.",
        meeting_frequency="monthly",
        meeting_mode="video",
    ),
    "mentor2@example.com": dict(
        offers="Quality improvement projects and leading a team.",
        meeting_frequency="monthly",
        meeting_mode="in_person",
    ),
    "mentee2@example.com": dict(
        wants="A QI project that counts towards promotion.",
        meeting_frequency="fortnightly",
        meeting_mode="in_person",
    ),
    "mentee3@example.com": dict(
        wants="Leadership and teaching experience.",
        meeting_frequency="monthly",
        meeting_mode="video",
    ),
    "mentor3@example.com": dict(
        offers="Study design and statistics.", meeting_frequency="fortnightly", meeting_mode="video"
    ),
    "mentee4@example.com": dict(
        wants="A first clinical trial project.",
        meeting_frequency="fortnightly",
        meeting_mode="video",
    ),
}
SUPERVISORS = {"mentee2@example.com": "mentor2@example.com"}
VOCABULARY = "\n".join(
    [
        "grant writing",
        "health services research",
        "medical education",
        "quality improvement",
        "leadership",
        "career planning",
        "clinical trials",
        "biostatistics",
    ]
)


def _profiles(users: dict[str, User]) -> None:
    for email, user in users.items():
        profile, _created = Profile.objects.get_or_create(
            user=user, defaults={**PROFILES.get(email, {}), "completed_at": timezone.now()}
        )
        supervisor = users.get(SUPERVISORS.get(email, ""))
        if supervisor is not None and profile.supervisor_id is None:
            profile.supervisor = supervisor
            profile.save(update_fields=["supervisor"])


@dataclass
class DemoWorld:
    program_a: Program
    program_b: Program
    users: dict[str, User]

    def __getitem__(self, email_local: str) -> User:
        return self.users[f"{email_local}@example.com"]


def _user(email: str, **profile) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, **profile)
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _member(program: Program, user: User, role: str, capacity: int | None = None) -> None:
    Membership.objects.get_or_create(
        program=program, user=user, role=role, defaults={"capacity": capacity}
    )


# The demo's pairings began before their history: the demo meetings go back 80 days (and a
# load program's six months), so a dyad made today would read "Since 7 Dec" beside a meeting of
# September. A re-pairing happened between the old dyad's last meeting (50 days ago) and the new
# one's first (12 days ago).
DEMO_STARTED = timedelta(days=120)
DEMO_RE_PAIRED = timedelta(days=30)
LOAD_STARTED = timedelta(days=210)


def _began(dyad: Dyad, ago: timedelta) -> Dyad:
    """Date a new demo dyad back: made and started `ago`, before its first demo meeting."""
    dyad.created_at = timezone.now() - ago
    fields = ["created_at"]
    if dyad.started_on is not None:
        dyad.started_on = timezone.localdate(dyad.created_at)
        fields.append("started_on")
    Dyad.objects.filter(pk=dyad.pk).update(**{name: getattr(dyad, name) for name in fields})
    return dyad


def _dyad(program: Program, mentor: User, mentee: User, by: User, **kwargs) -> Dyad:
    existing = program.dyads.filter(mentor=mentor, mentee=mentee).order_by("created_at").first()
    if existing is not None:
        return existing
    return _began(
        create_dyad(program=program, mentor=mentor, mentee=mentee, by=by, **kwargs), DEMO_STARTED
    )


@transaction.atomic
def seed() -> DemoWorld:
    users = {email: _user(email, **profile) for email, profile in PEOPLE.items()}
    superuser = users["superuser@example.com"]
    if not superuser.is_superuser:
        superuser.is_superuser = superuser.is_staff = True
        superuser.save(update_fields=["is_superuser", "is_staff"])

    def u(local: str) -> User:
        return users[f"{local}@example.com"]

    a, _ = Program.objects.get_or_create(
        slug="pediatrics",
        defaults=dict(
            name="Pediatrics Faculty Mentoring",
            description="Career mentoring for junior faculty of the Department of Pediatrics.",
            default_cadence_days=30,
            feedback_cycle_months=6,
        ),
    )
    b, _ = Program.objects.get_or_create(
        slug="residency-research",
        defaults=dict(
            name="Residency Research Mentoring",
            description="Research mentoring for pediatric residents.",
            default_cadence_days=21,
            feedback_cycle_months=4,
            requests_need_approval=True,
        ),
    )
    _profiles(users)
    for program in (a, b):
        if not program.topic_vocabulary:
            program.topic_vocabulary = VOCABULARY
            program.save(update_fields=["topic_vocabulary"])
    _member(a, u("admin"), Membership.Role.ADMIN)
    _member(a, u("mentor"), Membership.Role.MENTOR, capacity=4)
    _member(a, u("mentor2"), Membership.Role.MENTOR, capacity=3)
    for local in ("mentee", "mentee2", "mentee3"):
        _member(a, u(local), Membership.Role.MENTEE)
    _member(b, u("admin2"), Membership.Role.ADMIN)
    _member(b, u("mentor3"), Membership.Role.MENTOR, capacity=2)
    _member(b, u("mentee4"), Membership.Role.MENTEE)

    admin, admin2 = u("admin"), u("admin2")
    main = _dyad(a, u("mentor"), u("mentee"), admin)
    if main.agreement.mentee_acknowledged_at is None:
        acknowledge_agreement(agreement=main.agreement, by=u("mentee"))
        acknowledge_agreement(agreement=main.agreement, by=u("mentor"))
    _dyad(a, u("mentor2"), u("mentee2"), admin, mentor_is_supervisor=True)
    _dyad(
        a, u("mentor"), u("mentee2"), admin, kind=Dyad.Kind.SUPPLEMENTAL, focus_area="grant writing"
    )
    first = _dyad(a, u("mentor"), u("mentee3"), admin)
    if first.is_open:
        new = re_pair_mentee(
            dyad=first,
            by=admin,
            new_mentor=u("mentor2"),
            reason=Dyad.EndReason.POOR_FIT,
            note="Different research interests; both agreed a new pairing would help.",
        )
        _began(new, DEMO_RE_PAIRED)
        Dyad.objects.filter(pk=first.pk).update(ended_at=new.created_at)
    _dyad(b, u("mentor3"), u("mentee4"), admin2)
    return DemoWorld(program_a=a, program_b=b, users=users)


@transaction.atomic
def seed_load_program(dyads: int) -> Program:
    """A large program with `dyads` active dyads, for load tests. Idempotent per size."""
    program, _ = Program.objects.get_or_create(
        slug=f"load-{dyads}",
        defaults=dict(name=f"Load Test Program ({dyads} dyads)", default_cadence_days=30),
    )
    # Its admin (CONTRACTS), so that its pages can be measured as an admin sees them.
    _member(program, _user(LOAD_ADMIN, name="Load Admin"), Membership.Role.ADMIN)
    if program.dyads.exists():
        return program
    now = timezone.now()
    emails = [f"load{dyads}-mentor{i}@example.com" for i in range(dyads)] + [
        f"load{dyads}-mentee{i}@example.com" for i in range(dyads)
    ]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    template = User(email="x")
    template.set_password(DEMO_PASSWORD)
    User.objects.bulk_create(
        [
            User(
                email=e, name=e.split("@")[0].replace("-", " ").title(), password=template.password
            )
            for e in emails
            if e not in existing
        ]
    )
    people = {u.email: u for u in User.objects.filter(email__in=emails)}
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=p, email=p.email, verified=True, primary=True) for p in people.values()],
        ignore_conflicts=True,
    )
    mentors = [people[f"load{dyads}-mentor{i}@example.com"] for i in range(dyads)]
    mentees = [people[f"load{dyads}-mentee{i}@example.com"] for i in range(dyads)]
    Membership.objects.bulk_create(
        [Membership(program=program, user=m, role="mentor", capacity=2) for m in mentors]
        + [Membership(program=program, user=m, role="mentee") for m in mentees],
        ignore_conflicts=True,
    )
    from programs.models import Agreement

    created = Dyad.objects.bulk_create(
        [
            Dyad(
                program=program,
                mentor=mentor,
                mentee=mentee,
                status=Dyad.Status.ACTIVE,
                started_on=(now - LOAD_STARTED).date(),
                created_at=now - LOAD_STARTED,
            )
            for mentor, mentee in zip(mentors, mentees, strict=True)
        ]
    )
    Agreement.objects.bulk_create(
        [
            Agreement(dyad=d, text=program.agreement_template, meeting_frequency="Monthly")
            for d in created
        ]
    )
    return program
