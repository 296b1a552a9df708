"""The mentee's development plan: goals, their revisions and reviews, milestones, progress reports
and the opportunities a mentor offers.

A goal belongs to the mentee within a program, not to a dyad, so it survives re-pairing: whoever is
the mentee's current primary mentor sees it. A mentor whose dyad ended sees the plan as it was when
the dyad ended: every row written after the end is hidden from them (`_sees_plan` in
goals/visibility.py, the rule every queryset here is built on), and what changed later in an older
row is shown as it was (`as_seen_by`).
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from goals.visibility import PlanQuerySet, sees_opportunity
from mentoring.addresses import address
from programs.models import Dyad, Program


def seen_version(user, *, goal: str = "pk") -> Case:
    """The snapshot of the goal's latest revision `user` may see, when a later one exists that they
    may not (a former mentor, after the end); otherwise NULL: the goal as it is now."""
    revisions = GoalRevision.objects.filter(goal=OuterRef(goal))
    seen = GoalRevision.objects.all()._seen(user, "at")
    return Case(
        When(
            Exists(revisions.exclude(seen)),
            then=Subquery(revisions.filter(seen).order_by("-number").values("snapshot")[:1]),
        ),
        default=None,
        output_field=models.JSONField(),
    )


class GoalQuerySet(PlanQuerySet):
    goal_path = "pk"

    def as_seen_by(self, user) -> "GoalQuerySet":
        """With `seen_version` (see there), for `Goal.show_version`."""
        return self.annotate(seen_version=seen_version(user))

    def current(self) -> "GoalQuerySet":
        """Goals still being worked on (not achieved, not dropped)."""
        return self.filter(status__in=[Goal.Status.DRAFT, Goal.Status.ACTIVE])


class Goal(models.Model):
    """One goal of a mentee in a program. Meant to be modified: every change is a GoalRevision."""

    # What the mentee writes of a goal: the form's fields, and what each revision records.
    WRITTEN_FIELDS = (
        "title",
        "description",
        "category",
        "horizon",
        "target_date",
        "status",
        "unsure",
        "options",
    )

    class Category(models.TextChoices):
        RESEARCH = "research", _("Research")
        CLINICAL = "clinical", _("Clinical")
        TEACHING = "teaching", _("Teaching")
        LEADERSHIP = "leadership", _("Leadership")
        CAREER = "career", _("Career")
        WELLBEING = "wellbeing", _("Personal and well-being")

    class Horizon(models.TextChoices):
        LONG = "long", _("Long-term")
        SHORT = "short", _("Short-term")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        ACHIEVED = "achieved", _("Achieved")
        DROPPED = "dropped", _("Dropped")

    program = models.ForeignKey(Program, models.PROTECT, related_name="goals")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="goals")
    title = models.CharField(_("goal"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=12, choices=Category)
    horizon = models.CharField(_("horizon"), max_length=6, choices=Horizon, default=Horizon.SHORT)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.ACTIVE)
    # "Not sure yet" is a valid state of a goal: the mentee writes down the options being weighed.
    unsure = models.BooleanField(_("I am not sure yet"), default=False)
    options = models.TextField(
        _("options I am weighing"),
        blank=True,
        help_text=_("The choices you are considering and what makes the decision hard."),
    )
    priority = models.PositiveIntegerField(_("priority"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["priority", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="goal_has_title"),
            models.CheckConstraint(
                condition=Q(unsure=False) | ~Q(options=""), name="unsure_goal_names_options"
            ),
        ]
        indexes = [models.Index(fields=["program", "mentee", "priority"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return address("goals:detail", self.pk)

    @property
    def is_current(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.ACTIVE)

    def show_version(self, snapshot: dict | None) -> "Goal":
        """For display only: the goal as a revision's snapshot recorded it (None: as it is)."""
        for field, value in (snapshot or {}).items():
            if field == "target_date" and value:
                value = date.fromisoformat(value)
            setattr(self, field, value)
        return self


class GoalRevisionQuerySet(PlanQuerySet):
    plan_via, goal_path, written_field = "goal__", "goal", "at"


class GoalRevision(models.Model):
    """One version of a goal: who changed it, when, which fields, and the goal as it then was."""

    goal = models.ForeignKey(Goal, models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    # {"field": [before, after]}; empty for the first version.
    changes = models.JSONField(default=dict, blank=True)
    snapshot = models.JSONField(default=dict)

    objects = GoalRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["goal", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "number"], name="one_revision_number_per_goal"),
            models.CheckConstraint(condition=Q(number__gte=1), name="revision_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.goal} v{self.number}"


class GoalReviewQuerySet(PlanQuerySet):
    plan_via, goal_path = "goal__", "goal"


class GoalReview(models.Model):
    """The primary mentor's view of a goal (agreed / suggest changes), or a supplemental mentor's
    comment on a goal shared with them. Only its author may edit it."""

    class Decision(models.TextChoices):
        AGREED = "agreed", _("Agreed")
        CHANGES = "changes", _("Suggest changes")
        COMMENT = "comment", _("Comment")

    goal = models.ForeignKey(Goal, models.CASCADE, related_name="reviews")
    revision = models.ForeignKey(
        GoalRevision, models.SET_NULL, null=True, blank=True, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="goal_reviews"
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = GoalReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="agreed") | ~Q(comment=""), name="review_explains_changes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.goal}"


class GoalShareQuerySet(PlanQuerySet):
    plan_via, goal_path = "goal__", "goal"


class GoalShare(models.Model):
    """The mentee shares one goal with a supplemental mentor's dyad."""

    goal = models.ForeignKey(Goal, models.CASCADE, related_name="shares")
    dyad = models.ForeignKey(Dyad, models.PROTECT, related_name="goal_shares")
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = GoalShareQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["goal", "dyad"], name="one_share_per_goal_and_dyad"),
        ]

    def __str__(self) -> str:
        return f"{self.goal} shared with {self.dyad}"


class MilestoneQuerySet(PlanQuerySet):
    plan_via, goal_path = "goal__", "goal"

    def as_seen_by(self, user) -> "MilestoneQuerySet":
        """With `acceptance_seen` and `closure_seen`, for `Milestone.show_as_seen`."""
        return self.annotate(
            acceptance_seen=self._seen_flag(user, "accepted_at"),
            closure_seen=self._seen_flag(user, "closed_at"),
        )

    def seen_whole(self) -> "MilestoneQuerySet":
        """`as_seen_by` for a viewer who sees the whole plan (sees_whole_plan): all of it seen."""
        return self.annotate(acceptance_seen=Value(True), closure_seen=Value(True))

    def open(self) -> "MilestoneQuerySet":
        return self.filter(status__in=[Milestone.Status.PROPOSED, Milestone.Status.ACCEPTED])

    def overdue(self, today) -> "MilestoneQuerySet":
        return self.filter(status=Milestone.Status.ACCEPTED, due_date__lt=today)


class Milestone(models.Model):
    """An intermediate target with a due date. One the mentor proposes binds once the mentee accepts."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("milestone status", "Proposed")
        ACCEPTED = "accepted", pgettext_lazy("milestone status", "Accepted")
        DONE = "done", pgettext_lazy("milestone status", "Done")
        MISSED = "missed", pgettext_lazy("milestone status", "Missed")
        DECLINED = "declined", pgettext_lazy("milestone status", "Declined")

    goal = models.ForeignKey(Goal, models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    evidence = models.TextField(
        _("evidence"),
        blank=True,
        help_text=_("What shows it is done: a submitted draft, an accepted abstract, a link."),
    )
    decline_reason = models.TextField(
        _("why not"),
        blank=True,
        help_text=_("Tell your mentor why this target does not fit, or what would."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    # When it was marked done, missed or declined: a former mentor sees it as it was before.
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="milestone_has_title"),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_on__isnull=False),
                name="done_milestone_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status="done") | Q(completed_on__isnull=True),
                name="only_done_milestone_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "declined"]) | Q(accepted_at__isnull=False),
                name="binding_milestone_was_accepted",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="declined_milestone_says_why",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "accepted"], closed_at__isnull=True)
                | Q(status__in=["done", "missed", "declined"], closed_at__isnull=False),
                name="closed_milestone_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_proposed(self) -> bool:
        """Proposed by the mentor, not binding until the mentee accepts it."""
        return self.status == self.Status.PROPOSED

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def is_declined(self) -> bool:
        return self.status == self.Status.DECLINED

    @property
    def is_missed(self) -> bool:
        return self.status == self.Status.MISSED

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == self.Status.ACCEPTED and self.due_date < today

    def show_as_seen(self) -> "Milestone":
        """For display only, after `as_seen_by`: undo what the viewer may not see (an acceptance
        or a closing that came after their dyad ended)."""
        if not self.closure_seen:
            self.status = self.Status.ACCEPTED if self.accepted_at else self.Status.PROPOSED
            self.closed_at, self.completed_on, self.evidence, self.decline_reason = (
                None,
                None,
                "",
                "",
            )
        if not self.acceptance_seen:
            self.status, self.accepted_at = self.Status.PROPOSED, None
        return self


class ProgressReportQuerySet(PlanQuerySet):
    """Supplemental mentors see no report: a report is not about one shared goal."""

    written_field = "submitted_at"

    def as_seen_by(self, user) -> "ProgressReportQuerySet":
        """With `review_seen`, for `ProgressReport.show_as_seen`."""
        return self.annotate(review_seen=self._seen_flag(user, "reviewed_at"))

    def awaiting_review(self) -> "ProgressReportQuerySet":
        return self.filter(reviewed_at=None)


class ProgressReport(models.Model):
    """What the mentee did, what went wrong and what help they need, addressed to the mentor."""

    program = models.ForeignKey(Program, models.PROTECT, related_name="progress_reports")
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="progress_reports"
    )
    accomplishments = models.TextField(_("what I accomplished"), blank=True)
    help_needed = models.TextField(_("help I need"), blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True, reviewed_by__isnull=True)
                | Q(reviewed_at__isnull=False, reviewed_by__isnull=False),
                name="report_review_has_reviewer",
            ),
        ]
        indexes = [models.Index(fields=["program", "mentee", "-submitted_at"])]

    def __str__(self) -> str:
        return f"Progress report of {self.mentee}, {self.submitted_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return address("goals:report", self.pk)

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None

    def show_as_seen(self) -> "ProgressReport":
        """For display only, after `as_seen_by`: a review marked after the viewer's dyad ended is
        not shown."""
        if not self.review_seen:
            self.reviewed_at, self.reviewed_by = None, None
        return self


class ReportPartQuerySet(PlanQuerySet):
    """Items and status lines are written with their report."""

    plan_via, written_field = "report__", "report__submitted_at"


class ReportItem(models.Model):
    """A difficulty, failure or barrier in a report, optionally about one goal."""

    class Kind(models.TextChoices):
        DIFFICULTY = "difficulty", _("Difficulty")
        FAILURE = "failure", _("Failure")
        BARRIER = "barrier", _("Barrier")

    report = models.ForeignKey(ProgressReport, models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    text = models.TextField(_("what happened"))
    goal = models.ForeignKey(
        Goal, models.PROTECT, null=True, blank=True, related_name="report_items"
    )

    objects = ReportPartQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="report_item_has_text"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:40]}"


class GoalStatusLine(models.Model):
    """In a report, one line on where one current goal stands."""

    class State(models.TextChoices):
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        STALLED = "stalled", _("Stalled")
        DONE = "done", _("Done")

    report = models.ForeignKey(ProgressReport, models.CASCADE, related_name="status_lines")
    goal = models.ForeignKey(Goal, models.PROTECT, related_name="status_lines")
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.ON_TRACK)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = ReportPartQuerySet.as_manager()

    class Meta:
        ordering = ["goal__priority", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "goal"], name="one_status_line_per_goal"),
        ]

    def __str__(self) -> str:
        return f"{self.goal}: {self.get_state_display()}"


class ReportCommentQuerySet(PlanQuerySet):
    plan_via = "report__"


class ReportComment(models.Model):
    """The mentor's (or the mentee's reply) comment on a report. Only its author may edit it."""

    report = models.ForeignKey(ProgressReport, models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ReportCommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="report_comment_has_text"),
        ]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.report}"


class OpportunityQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OpportunityQuerySet":
        """The mentee's, the offering mentor's, and the current primary mentor's. Admins see counts
        only (a selector), not the list."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(sees_opportunity(user))

    def with_seen_by(self, user) -> "OpportunityQuerySet":
        """Every row, each with `seen`: whether `user` may read it (the rule of visible_to), for a
        page that counts them all and lists only those."""
        if not user.is_authenticated:
            return self.annotate(seen=models.Value(False))
        return self.annotate(
            seen=models.ExpressionWrapper(
                sees_opportunity(user), output_field=models.BooleanField()
            )
        )


class Opportunity(models.Model):
    """The mentor as advocate: an introduction, co-authorship, nomination or talk offered to the mentee."""

    class Kind(models.TextChoices):
        INTRODUCTION = "introduction", _("Introduction")
        COAUTHORSHIP = "coauthorship", _("Co-authorship")
        NOMINATION = "nomination", _("Nomination")
        TALK = "talk", _("Talk or presentation")
        OTHER = "other", pgettext_lazy("opportunity kind", "Other")

    class Outcome(models.TextChoices):
        OPEN = "open", pgettext_lazy("opportunity outcome", "Open")
        TAKEN = "taken", _("Taken up")
        SUCCEEDED = "succeeded", _("Succeeded")
        DECLINED = "declined", pgettext_lazy("opportunity outcome", "Declined")
        UNSUCCESSFUL = "unsuccessful", _("Not successful")

    program = models.ForeignKey(Program, models.PROTECT, related_name="opportunities")
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="opportunities"
    )
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="opportunities_offered"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    title = models.CharField(_("what"), max_length=200)
    description = models.TextField(_("details"), blank=True)
    offered_on = models.DateField(_("offered on"), default=timezone.localdate)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome, default=Outcome.OPEN)
    outcome_note = models.CharField(_("outcome note"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["-offered_on", "-id"]
        verbose_name_plural = "opportunities"
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="opportunity_has_title"),
            models.CheckConstraint(
                condition=~Q(offered_by=models.F("mentee")), name="opportunity_not_self"
            ),
        ]

    def __str__(self) -> str:
        return self.title
