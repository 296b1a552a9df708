"""Two-way feedback: cycles, requests, versioned responses, confidential notes, the attention list.

Visibility is the heart of it, so it lives here in `visible_to`, never in a template:
- a response's author sees it (drafts included); nobody else ever sees a draft;
- the partner sees a submitted response only once they have submitted their own answer to the
  counterpart request, or once the cycle has closed ("independent reveal");
- program admins see every submitted response of their program's dyads;
- a confidential note is its own model: its author and program admins read it, the partner never.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from conversations.models import SharedMessage
from mentoring.addresses import address
from programs.models import Dyad, Program, administered_ids, sees_dyad
from programs.viewer import own_dyad_ids, own_dyads


def _today():
    return timezone.localdate()


class Quality(models.TextChoices):
    """The paper's table of qualities: the mentee rates the mentor on the first nine, the mentor
    rates the mentee on the second nine."""

    INSPIRATIONAL = "inspirational", _("Inspirational")
    EMPATHETIC = "empathetic", _("Empathetic")
    CREDIBLE = "credible", _("Honest / credible")
    AVAILABLE = "available", _("Available / approachable")
    ROLE_MODEL = "role_model", _("Role model")
    RESOURCEFUL = "resourceful", _("Resourceful")
    LISTENER = "listener", _("Listener / communicator")
    MODEST = "modest", _("Modest / humble")
    FLEXIBLE = "flexible", _("Flexible")

    MOTIVATED = "motivated", _("Motivated")
    SELF_REFLECTIVE = "self_reflective", _("Self-reflective")
    HONEST = "honest", _("Honest")
    ORGANIZED = "organized", _("Organized / persistent")
    ACTIVE = "active", pgettext_lazy("quality", "Active")
    CREATIVE = "creative", _("Creative")
    RECEPTIVE = "receptive", _("Receptive")
    HUMBLE = "humble", _("Humble")
    RESILIENT = "resilient", _("Resilient")


MENTOR_QUALITIES = [
    Quality.INSPIRATIONAL,
    Quality.EMPATHETIC,
    Quality.CREDIBLE,
    Quality.AVAILABLE,
    Quality.ROLE_MODEL,
    Quality.RESOURCEFUL,
    Quality.LISTENER,
    Quality.MODEST,
    Quality.FLEXIBLE,
]
MENTEE_QUALITIES = [
    Quality.MOTIVATED,
    Quality.SELF_REFLECTIVE,
    Quality.HONEST,
    Quality.ORGANIZED,
    Quality.ACTIVE,
    Quality.CREATIVE,
    Quality.RECEPTIVE,
    Quality.HUMBLE,
    Quality.RESILIENT,
]

# What counts as "low ratings" for the attention list: any quality rated 1, or an average of the
# rated qualities (not-observed excluded) at or below 2.5 on the 1-5 scale. Either says the
# relationship struggles; an admin should look before the next cycle.
LOW_RATING_SCORE = 1
LOW_RATING_AVERAGE = 2.5
# Aggregates of a mentor's ratings are shown only when at least this many mentees answered, so
# that no single mentee can be identified.
AGGREGATE_THRESHOLD = 3


class FeedbackCycleQuerySet(models.QuerySet):
    def visible_to(self, user) -> "FeedbackCycleQuerySet":
        """Cycles of programs the user administers or holds a dyad in."""
        if not user.is_authenticated:
            return self.none()
        in_a_dyad = {d.program_id for d in own_dyads(user)}
        return self.filter(program_id__in=sorted(in_a_dyad.union(administered_ids(user))))

    def open_on(self, day) -> "FeedbackCycleQuerySet":
        return self.filter(opens__lte=day, closes__gte=day)


class FeedbackCycle(models.Model):
    """One round of formal two-way feedback in a program: it opens, is due, and closes.

    `closes` is the last day answers are accepted; from the day after, both sides are revealed.
    """

    program = models.ForeignKey(Program, models.PROTECT, related_name="feedback_cycles")
    name = models.CharField(_("name"), max_length=120)
    opens = models.DateField(_("opens"))
    due = models.DateField(_("due"), help_text=_("The date reminders ask people to answer by."))
    closes = models.DateField(
        _("closes"),
        help_text=_("The last day answers are accepted; then both sides are revealed."),
    )
    # Set when the cycle was opened from the program's cadence, so that open_due_cycles is
    # idempotent; empty for a cycle an admin opened by hand.
    scheduled = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Bumped by the database on every change of the row (a trigger: see the migration): the API's
    # `updated_since`.
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = FeedbackCycleQuerySet.as_manager()

    class Meta:
        ordering = ["-opens", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(opens__lte=F("due")), name="cycle_opens_by_due"),
            models.CheckConstraint(condition=Q(due__lte=F("closes")), name="cycle_due_by_close"),
            models.UniqueConstraint(
                fields=["program", "opens"],
                condition=Q(scheduled=True),
                name="one_scheduled_cycle_per_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return address("feedback:cycle", self.pk)

    def is_closed(self, today=None) -> bool:
        return (today or _today()) > self.closes

    def is_open(self, today=None) -> bool:
        today = today or _today()
        return self.opens <= today <= self.closes


class CycleQuestion(models.Model):
    """A program's own question, added by an admin to one cycle and asked of both sides."""

    class Kind(models.TextChoices):
        SCALE = "scale", _("Scale 1–5")
        TEXT = "text", _("Free text")

    cycle = models.ForeignKey(FeedbackCycle, models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("answer"), max_length=5, choices=Kind, default=Kind.SCALE)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class FeedbackRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> "FeedbackRequestQuerySet":
        """Requests of the user's dyads (both directions) and of programs they administer."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(sees_dyad(user, "dyad"))

    def pending(self) -> "FeedbackRequestQuerySet":
        """Still asked: not submitted, and not withdrawn because the pairing ended."""
        return self.filter(submitted_at=None, withdrawn_at=None)


class FeedbackRequest(models.Model):
    """One person is asked to give feedback on their partner: in a cycle, or a first-meeting fit
    check. Requests come in pairs (mentee → mentor and mentor → mentee), linked by `counterpart`."""

    class Kind(models.TextChoices):
        CYCLE = "cycle", _("Feedback cycle")
        FIT_CHECK = "fit_check", _("First-meeting fit check")

    class Role(models.TextChoices):
        MENTOR = "mentor", _("Mentor")
        MENTEE = "mentee", _("Mentee")

    dyad = models.ForeignKey(Dyad, models.PROTECT, related_name="feedback_requests")
    kind = models.CharField(max_length=10, choices=Kind)
    cycle = models.ForeignKey(
        FeedbackCycle, models.PROTECT, null=True, blank=True, related_name="requests"
    )
    author_role = models.CharField(max_length=6, choices=Role)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="feedback_requests"
    )
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    counterpart = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # First submission (versions after it are corrections): the reveal and the progress page ask it.
    submitted_at = models.DateTimeField(null=True, blank=True)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    # Set when the dyad ends before the author answered: nobody asks about a pairing that is over.
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = FeedbackRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="cycle") & Q(cycle__isnull=False))
                | (Q(kind="fit_check") & Q(cycle__isnull=True)),
                name="request_cycle_matches_kind",
            ),
            models.CheckConstraint(
                condition=~Q(author=F("subject")), name="request_not_about_self"
            ),
            models.UniqueConstraint(
                fields=["cycle", "dyad", "author_role"],
                condition=Q(kind="cycle"),
                name="one_request_per_cycle_dyad_side",
            ),
            models.UniqueConstraint(
                fields=["dyad", "author_role"],
                condition=Q(kind="fit_check"),
                name="one_fit_check_per_dyad_side",
            ),
        ]
        indexes = [models.Index(fields=["author", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.author} → {self.subject}"

    def get_absolute_url(self) -> str:
        return address("feedback:request", self.pk)

    @property
    def is_fit_check(self) -> bool:
        return self.kind == self.Kind.FIT_CHECK

    @property
    def qualities(self) -> list[Quality]:
        return MENTOR_QUALITIES if self.author_role == self.Role.MENTEE else MENTEE_QUALITIES

    def is_closed(self, today=None) -> bool:
        return self.cycle is not None and self.cycle.is_closed(today)


class SubmittedFeedbackIsFinal(Exception):
    """A programming error: something tried to overwrite a submitted version."""


class FeedbackResponseQuerySet(models.QuerySet):
    def visible_to(self, user, *, today=None) -> "FeedbackResponseQuerySet":
        """The author's own (drafts too); the partner's once revealed; an admin's program's."""
        if not user.is_authenticated:
            return self.none()
        today = today or _today()
        submitted = Q(status=FeedbackResponse.Status.SUBMITTED)
        in_dyad = Q(request__dyad_id__in=own_dyad_ids(user))
        revealed = Q(request__counterpart__submitted_at__isnull=False) | Q(
            request__cycle__closes__lt=today
        )
        return self.filter(
            Q(request__author=user)
            | (submitted & in_dyad & revealed)
            | (submitted & Q(request__dyad__program_id__in=administered_ids(user)))
        )

    def submitted(self) -> "FeedbackResponseQuerySet":
        return self.filter(status=FeedbackResponse.Status.SUBMITTED)


class FeedbackResponse(models.Model):
    """One version of one person's answer to a request. A submitted version never changes; a
    correction is a new version, and the old one is kept."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    class Frequency(models.TextChoices):
        TOO_RARELY = "too_rarely", _("Too rarely")
        RIGHT = "right", _("About right")
        TOO_OFTEN = "too_often", _("Too often")

    class Working(models.TextChoices):
        CONTINUE = "continue", _("Yes, let's continue")
        ADJUST = "adjust", _("Mostly, but let's adjust something")
        DIFFERENT = "different", _("I'd like a different pairing")

    class Fit(models.TextChoices):
        GOOD = "good", _("Yes, a good fit")
        UNSURE = "unsure", _("Too early to say")
        POOR = "poor", _("No, I have doubts")

    class RoleClarity(models.TextChoices):
        CLEAR = "clear", _("Always clear")
        MOSTLY = "mostly", _("Mostly clear")
        BLURRED = "blurred", _("Often blurred")

    request = models.ForeignKey(FeedbackRequest, models.PROTECT, related_name="responses")
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    strengths = models.TextField(_("strengths"), blank=True)
    areas_to_grow = models.TextField(_("areas to grow"), blank=True)
    meeting_frequency = models.CharField(
        _("how often we meet"), max_length=12, choices=Frequency, blank=True
    )
    working = models.CharField(
        _("is this relationship working?"), max_length=10, choices=Working, blank=True
    )
    role_clarity = models.CharField(
        _("mentor or supervisor?"), max_length=8, choices=RoleClarity, blank=True
    )
    fit = models.CharField(_("is this a good fit?"), max_length=6, choices=Fit, blank=True)
    correction_reason = models.CharField(
        _("what this version corrects"), max_length=300, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = FeedbackResponseQuerySet.as_manager()

    class Meta:
        ordering = ["request", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "version"], name="one_response_per_request_version"
            ),
            models.UniqueConstraint(
                fields=["request"], condition=Q(status="draft"), name="one_draft_per_request"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="response_version_positive"),
            models.CheckConstraint(
                condition=(Q(status="submitted") & Q(submitted_at__isnull=False))
                | (Q(status="draft") & Q(submitted_at__isnull=True)),
                name="submitted_response_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request} v{self.version}"

    def save(self, *args, **kwargs):
        # Submitted feedback is a record: whatever code path tries, the stored version stays.
        if (
            not self._state.adding
            and FeedbackResponse.objects.filter(pk=self.pk, status=self.Status.SUBMITTED).exists()
        ):
            raise SubmittedFeedbackIsFinal(
                "A submitted feedback version cannot change; start a correction (a new version)."
            )
        super().save(*args, **kwargs)

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Rating(models.Model):
    """One quality rated 1–5 in one response; an empty score means "not observed"."""

    response = models.ForeignKey(FeedbackResponse, models.CASCADE, related_name="ratings")
    quality = models.CharField(max_length=20, choices=Quality)
    score = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["response", "quality"], name="one_rating_per_quality"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="rating_score_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(quality__in=Quality.values), name="rating_quality_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_quality_display()}: {self.score or 'not observed'}"


class QuestionAnswer(models.Model):
    """An answer to one of the program's own questions of a cycle."""

    response = models.ForeignKey(FeedbackResponse, models.CASCADE, related_name="answers")
    question = models.ForeignKey(CycleQuestion, models.PROTECT, related_name="answers")
    scale = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["question__position", "question_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question"
            ),
            models.CheckConstraint(
                condition=Q(scale__isnull=True) | Q(scale__gte=1, scale__lte=5),
                name="answer_scale_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.scale or self.text}"


class ConfidentialNoteQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ConfidentialNoteQuerySet":
        """Its author, always; program admins once the response is submitted; the partner never."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(response__request__author=user)
            | Q(
                response__status=FeedbackResponse.Status.SUBMITTED,
                response__request__dyad__program_id__in=administered_ids(user),
            )
        )


class ConfidentialNote(models.Model):
    """A note to the program admin that comes with one response version. The partner never reads
    it: it is its own model so that FeedbackResponse's visibility cannot leak it."""

    response = models.OneToOneField(
        FeedbackResponse, models.CASCADE, related_name="confidential_note"
    )
    text = models.TextField(_("note to the program admin"))
    created_at = models.DateTimeField(default=timezone.now)

    objects = ConfidentialNoteQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="confidential_note_not_empty")
        ]

    def __str__(self) -> str:
        return f"Confidential note on {self.response}"


class AttentionItemQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AttentionItemQuerySet":
        """Program admins only: the people in the dyad never see why it was flagged."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(dyad__program_id__in=administered_ids(user))

    def unresolved(self) -> "AttentionItemQuerySet":
        return self.filter(resolved_at=None)


class AttentionItem(models.Model):
    """A dyad the program admin should look at, and why; resolved with a note."""

    class Reason(models.TextChoices):
        DIFFERENT_PAIRING = "different_pairing", _("Asked for a different pairing")
        LOW_RATINGS = "low_ratings", _("Low ratings")
        CONFIDENTIAL_NOTE = "confidential_note", _("Confidential note to the admin")
        POOR_FIT = "poor_fit", _("Doubts after the first meeting")
        SHARED_MESSAGE = "shared_message", _("A message shared with you")

    class Resolution(models.TextChoices):
        NOTE = "note", _("Resolved with a note")
        CADENCE = "cadence", _("Meeting cadence adjusted")
        RE_PAIRED = "re_paired", _("Re-paired")

    dyad = models.ForeignKey(Dyad, models.PROTECT, related_name="attention_items")
    reason = models.CharField(max_length=20, choices=Reason)
    response = models.ForeignKey(
        FeedbackResponse, models.PROTECT, null=True, blank=True, related_name="attention_items"
    )
    # "Ask the program admin about this message": the one message shared (conversations).
    shared_message = models.OneToOneField(
        SharedMessage, models.PROTECT, null=True, blank=True, related_name="attention_item"
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution = models.CharField(max_length=10, choices=Resolution, blank=True)
    resolution_note = models.TextField(_("resolution note"), blank=True)

    objects = AttentionItemQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "reason"], name="one_attention_item_per_response_reason"
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True)
                | (~Q(resolution="") & ~Q(resolution_note="") & Q(resolved_by__isnull=False)),
                name="resolved_item_has_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dyad}: {self.get_reason_display()}"
