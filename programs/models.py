from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mentoring import viewer
from mentoring.addresses import address
from mentoring.models import TIME_ZONE_CHOICES, zone_of
from programs.viewer import own_dyad_ids

DEFAULT_AGREEMENT = """\
We agree to meet regularly, at the frequency written below, and to keep our appointments and be on time.
The mentee sets the agenda for each meeting and says what kind of help is needed; materials for review
reach the mentor in good time.
The mentor listens, helps set realistic goals and milestones, gives honest and constructive feedback,
and advocates for the mentee.
What we discuss stays between us unless we both agree otherwise.
Either of us may ask the program for a different pairing at any time, without blame."""


WEIGHT_FIELDS = (
    "weight_topic",
    "weight_seniority",
    "weight_other_department",
    "weight_preferences",
    "weight_open_places",
)

# What a program admin edits on the settings page (the form and programs.services.program).
PROGRAM_SETTINGS_FIELDS = [
    "name",
    "description",
    "default_cadence_days",
    "feedback_cycle_months",
    "time_zone",
    "requests_need_approval",
    "agreement_template",
    "topic_vocabulary",
    *WEIGHT_FIELDS,
]


def administered_ids(user) -> list[int]:
    """The programs `user` administers, by id, from the request's one fetch of their memberships:
    every rule below filters on this list instead of nesting a subquery of memberships."""
    if not getattr(user, "is_authenticated", False):
        return []
    return viewer.program_ids(user, Membership.Role.ADMIN)


def sees_dyad(user, via: str = "") -> Q:
    """THE rule of who sees a dyad and what hangs on it: the dyad's own two people (also once it
    ended) and its program's admins. `via` is the row's path to its dyad ("dyad", "meeting__dyad";
    empty for a dyad itself). Both lists come from the request's one fetch of the person's
    memberships and dyads, so the query filters on ids, with no subquery to compile or plan."""
    own, administered = own_dyad_ids(user), administered_ids(user)
    if not via:
        return Q(id__in=own) | Q(program_id__in=administered)
    return Q(**{f"{via}_id__in": own}) | Q(**{f"{via}__program_id__in": administered})


class ProgramQuerySet(models.QuerySet):
    def administered_by(self, user) -> "ProgramQuerySet":
        return self.filter(id__in=administered_ids(user))

    def visible_to(self, user) -> "ProgramQuerySet":
        """Programs the user holds any role in."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(id__in=viewer.program_ids(user))


def default_time_zone() -> str:
    """A new program's zone: the server's (settings.TIME_ZONE)."""
    return settings.TIME_ZONE


class Program(models.Model):
    """A department's mentoring program: its people, its dyads and its rhythm."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    description = models.TextField(_("description"), blank=True)
    default_cadence_days = models.PositiveSmallIntegerField(
        _("default meeting cadence (days)"),
        default=30,
        help_text=_(
            "A dyad that has not met for longer than this is overdue. Dyads may override it."
        ),
    )
    feedback_cycle_months = models.PositiveSmallIntegerField(
        _("feedback cycle (months)"),
        default=6,
        help_text=_("How often both sides of every dyad give each other formal feedback."),
    )
    # The zone of the program's calendar days: a dyad's next meeting is due by a day of this zone
    # (meetings.selectors._cadence), the same day for both members and the admins.
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        choices=TIME_ZONE_CHOICES,
        default=default_time_zone,
        help_text=_(
            "A pairing's next meeting is due by a day in this zone: the same date for the "
            "mentor, the mentee and you, wherever each of them is."
        ),
    )
    agreement_template = models.TextField(
        _("mentoring agreement template"),
        default=DEFAULT_AGREEMENT,
        help_text=_("Copied into each new dyad's agreement, where the pair can adapt it."),
    )
    requests_need_approval = models.BooleanField(
        _("mentor requests need admin approval"),
        default=False,
        help_text=_(
            "When on, a request the mentor accepts waits for a program admin to approve it."
        ),
    )
    # Matching (programs/matching.py): the shared vocabulary and the weights of a suggestion's score.
    topic_vocabulary = models.TextField(
        _("interests vocabulary"),
        blank=True,
        help_text=_(
            "One topic per line. Members pick their interests from this list (and may add their "
            "own), so that a mentee's and a mentor's topics match."
        ),
    )
    weight_topic = models.SmallIntegerField(
        _("weight: each shared topic"),
        default=10,
        help_text=_("Points for each topic (interest or expertise) mentee and mentor share."),
    )
    weight_seniority = models.SmallIntegerField(
        _("weight: mentor further in their career"),
        default=5,
        help_text=_("Points when the mentor's career stage is later than the mentee's."),
    )
    weight_other_department = models.SmallIntegerField(
        _("weight: a different department"),
        default=3,
        help_text=_(
            "Points when the mentor works in another department (an outside view). Negative "
            "prefers the same department."
        ),
    )
    weight_preferences = models.SmallIntegerField(
        _("weight: same meeting preferences"),
        default=2,
        help_text=_("Points for each of meeting mode and frequency that both prefer alike."),
    )
    weight_open_places = models.SmallIntegerField(
        _("weight: open places"),
        default=4,
        help_text=_(
            "Points, in proportion to the share of places a mentor has left, so load spreads."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)  # trigger: 0008

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(default_cadence_days__gte=1), name="program_cadence_positive"
            ),
            models.CheckConstraint(
                condition=Q(feedback_cycle_months__gte=1), name="program_cycle_positive"
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": -100, f"{name}__lte": 100}),
                    name=f"program_{name}_bounded",
                )
                for name in WEIGHT_FIELDS
            ],
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return address("programs:detail", self.slug)

    @property
    def zone(self):
        """The program's zone as a zone (UTC if the stored one is no longer known)."""
        return zone_of(self.time_zone)


class MembershipQuerySet(models.QuerySet):
    def current(self) -> "MembershipQuerySet":
        return self.filter(deactivated_at=None)

    def visible_to(self, user) -> "MembershipQuerySet":
        """Memberships of programs the user administers, the user's own, and the mentors of every
        program the user belongs to (the directory a mentee chooses a mentor from)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(user_id=user.pk)
            | Q(program_id__in=administered_ids(user))
            | Q(role=Membership.Role.MENTOR, program_id__in=viewer.program_ids(user))
        )


class CurrentMembershipManager(models.Manager.from_queryset(MembershipQuerySet)):
    """The memberships of people who are in the program now: deactivated ones are left out."""

    def get_queryset(self) -> MembershipQuerySet:
        return super().get_queryset().current()


class Membership(models.Model):
    """One role of one person in one program. A person may hold several roles, in several programs.

    A program admin may deactivate a member (programs/services/members.py): every membership of
    theirs in the program gets `deactivated_at`, their history stays. `Membership.objects` (and
    `program.memberships`, `user.memberships`) are the current memberships only, so a deactivated
    member is paired, requested, counted and admitted nowhere; `Membership.everyone` includes
    them, for the members page and for reactivating. A query that joins through a relation
    (`User.objects.filter(memberships__…)`) does not go through a manager: it says
    `memberships__deactivated_at=None` itself."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Program admin")
        MENTOR = "mentor", _("Mentor")
        MENTEE = "mentee", _("Mentee")

    program = models.ForeignKey(Program, models.PROTECT, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role)
    capacity = models.PositiveSmallIntegerField(
        _("capacity (mentees)"),
        null=True,
        blank=True,
        help_text=_("Most primary mentees this mentor takes at once. Empty: no limit."),
    )
    joined_at = models.DateTimeField(default=timezone.now)
    deactivated_at = models.DateTimeField(_("deactivated"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = CurrentMembershipManager()
    everyone = MembershipQuerySet.as_manager()

    class Meta:
        # By ids: ordering by the relations would join the program and the user (and order by their
        # names) in every query of memberships, wanted or not. A page that shows names orders by them.
        ordering = ["program_id", "role", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "user", "role"], name="one_membership_per_role"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(role="mentor"),
                name="capacity_only_for_mentors",
            ),
            models.CheckConstraint(
                condition=Q(deactivated_at__isnull=True) | Q(deactivated_at__gte=F("joined_at")),
                name="deactivated_after_joining",
            ),
        ]
        # Related managers (`program.memberships`) are the current memberships.
        default_manager_name = "objects"

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} in {self.program}"


class DyadQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DyadQuerySet":
        """Dyads the user is or was in, plus every dyad of programs they administer."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(sees_dyad(user))

    def open(self) -> "DyadQuerySet":
        return self.exclude(status=Dyad.Status.ENDED)

    def active(self) -> "DyadQuerySet":
        return self.filter(status=Dyad.Status.ACTIVE)


OPEN_STATUSES = ("proposed", "active", "paused")


class Dyad(models.Model):
    """One mentor and one mentee in one program, from proposal to end. Ending deletes nothing."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("dyad status", "Proposed")
        ACTIVE = "active", pgettext_lazy("dyad status", "Active")
        PAUSED = "paused", _("Paused")
        ENDED = "ended", _("Ended")

    class Kind(models.TextChoices):
        PRIMARY = "primary", _("Primary")
        SUPPLEMENTAL = "supplemental", _("Supplemental")

    class EndReason(models.TextChoices):
        GOALS_MET = "goals_met", _("Goals met")
        POOR_FIT = "poor_fit", _("Poor fit")
        MENTOR_LEFT = "mentor_left", _("Mentor left")
        MENTEE_LEFT = "mentee_left", _("Mentee left")
        OTHER = "other", _("Other")

    class Formed(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned by the program")
        CHOSEN = "chosen", _("Chosen by the mentee")

    program = models.ForeignKey(Program, models.PROTECT, related_name="dyads")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="dyads_as_mentor"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="dyads_as_mentee"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.PRIMARY)
    focus_area = models.CharField(
        _("focus area"),
        max_length=120,
        blank=True,
        help_text=_("What a supplemental mentor helps with, e.g. grant writing or statistics."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PROPOSED)
    formed = models.CharField(_("formed"), max_length=10, choices=Formed, default=Formed.ASSIGNED)
    # The mentor is also the mentee's line manager: pairing warns, feedback offers a private channel.
    mentor_is_supervisor = models.BooleanField(
        _("mentor is the mentee's supervisor"), default=False
    )
    cadence_days = models.PositiveSmallIntegerField(
        _("meeting cadence (days)"),
        null=True,
        blank=True,
        help_text=_("Empty: the program's default."),
    )
    started_on = models.DateField(_("started"), null=True, blank=True)
    ends_on = models.DateField(
        _("planned end"),
        null=True,
        blank=True,
        help_text=_("For a short-term supplemental mentor."),
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=12, choices=EndReason, blank=True)
    end_note = models.TextField(_("end note"), blank=True)
    replaces = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        help_text=_("The dyad this one re-pairs the mentee from."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = DyadQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(mentor=F("mentee")), name="dyad_not_self"),
            models.UniqueConstraint(
                fields=["program", "mentee"],
                condition=Q(kind="primary", status__in=OPEN_STATUSES),
                name="one_open_primary_per_mentee",
            ),
            models.UniqueConstraint(
                fields=["program", "mentor", "mentee"],
                condition=Q(status__in=OPEN_STATUSES),
                name="one_open_dyad_per_pair",
            ),
            models.CheckConstraint(
                condition=Q(kind="primary") | ~Q(focus_area=""), name="supplemental_has_focus"
            ),
            models.CheckConstraint(
                condition=~Q(status="ended") | (Q(ended_at__isnull=False) & ~Q(end_reason="")),
                name="ended_dyad_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(end_reason="other") | ~Q(end_note=""), name="other_reason_explained"
            ),
        ]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self) -> str:
        label = f"{self.mentor} → {self.mentee}"
        return f"{label} ({self.focus_area})" if self.focus_area else label

    def get_absolute_url(self) -> str:
        return address("programs:dyad", self.pk)

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.ENDED

    @property
    def is_proposed(self) -> bool:
        """Waiting for a program admin's approval."""
        return self.status == self.Status.PROPOSED

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def effective_cadence_days(self) -> int:
        return self.cadence_days or self.program.default_cadence_days

    def partner_of(self, user):
        return self.mentee if user.pk == self.mentor_id else self.mentor

    def role_of(self, user) -> str | None:
        if user.pk == self.mentor_id:
            return "mentor"
        if user.pk == self.mentee_id:
            return "mentee"
        return None


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AgreementQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(sees_dyad(user, "dyad"))


class Agreement(models.Model):
    """The mentoring agreement of one dyad: the program's template, adapted, acknowledged by both."""

    dyad = models.OneToOneField(Dyad, models.CASCADE, related_name="agreement")
    text = models.TextField(_("agreement"))
    meeting_frequency = models.CharField(
        _("how often we meet"), max_length=200, help_text=_("e.g. every four weeks, one hour")
    )
    communication = models.CharField(
        _("how we communicate"),
        max_length=300,
        blank=True,
        help_text=_("e.g. e-mail for scheduling, a call for anything urgent"),
    )
    confidentiality = models.TextField(_("confidentiality"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    mentor_acknowledged_at = models.DateTimeField(null=True, blank=True)
    mentee_acknowledged_at = models.DateTimeField(null=True, blank=True)

    objects = AgreementQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Agreement of {self.dyad}"

    @property
    def is_acknowledged(self) -> bool:
        return bool(self.mentor_acknowledged_at and self.mentee_acknowledged_at)

    def acknowledged_by(self, user) -> bool:
        role = self.dyad.role_of(user)
        return bool(getattr(self, f"{role}_acknowledged_at", None)) if role else False


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "InvitationQuerySet":
        return self.filter(program_id__in=administered_ids(user))


class Invitation(models.Model):
    """An admin's invitation of one e-mail address into a program with a role. Only its hash is stored."""

    program = models.ForeignKey(Program, models.PROTECT, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=10, choices=Membership.Role)
    capacity = models.PositiveSmallIntegerField(
        _("capacity (mentees)"),
        null=True,
        blank=True,
        help_text=_("For a mentor: most primary mentees at once, applied when they accept."),
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["program", "email"])]

    def __str__(self) -> str:
        return f"{self.email} as {self.get_role_display()} in {self.program}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


class AuditEntryQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AuditEntryQuerySet":
        return self.filter(program_id__in=administered_ids(user))


class AuditEntry(models.Model):
    """What a program admin did: who, what, when, and the object before and after."""

    program = models.ForeignKey(Program, models.PROTECT, related_name="audit_entries")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    action = models.CharField(max_length=40)
    summary = models.CharField(max_length=300)
    target_type = models.CharField(max_length=40, blank=True)
    target_id = models.BigIntegerField(null=True, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["program", "-created_at"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return self.summary


class Profile(models.Model):
    """What a person tells the program about themselves for matching, beyond the account's own
    fields (department, career stage, expertise, interests live on the user). One per person.

    `completed_at` empty on an existing profile means onboarding is due: a person who joins through
    an invitation fills it in once, at their first sign-in."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Every week")
        FORTNIGHTLY = "fortnightly", _("Every two weeks")
        MONTHLY = "monthly", _("Every month")
        QUARTERLY = "quarterly", _("Every three months")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIDEO = "video", _("Video call")
        EITHER = "either", _("Either")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="profile")
    wants = models.TextField(_("what I want from mentoring"), blank=True)
    offers = models.TextField(_("what I can offer as a mentor"), blank=True)
    meeting_frequency = models.CharField(
        _("how often I would like to meet"), max_length=12, choices=Frequency, blank=True
    )
    meeting_mode = models.CharField(
        _("how I would like to meet"), max_length=10, choices=Mode, blank=True
    )
    # The person's administrative supervisor (line manager): never suggested as their mentor.
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervisees",
        verbose_name=_("administrative supervisor"),
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(supervisor=F("user")), name="profile_not_own_supervisor"
            )
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


# The requests live in their own module, imported here (last: it imports this one) as models.
from programs.request_models import MentorRequest as MentorRequest  # noqa: E402
from programs.request_models import RePairRequest as RePairRequest  # noqa: E402
