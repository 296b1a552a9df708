"""Meetings of a dyad: proposed times, the mentee's agenda, materials for review, notes, action items.

Everything here hangs below a Dyad and is visible to whoever sees the dyad, except private notes,
which are their own model so that the access rule (not a template) keeps them from everyone else.
"""

import hashlib
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy

from mentoring.addresses import address
from programs.models import Dyad, sees_dyad


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MeetingQuerySet":
        """Meetings of the dyads the user sees: their own (also ended ones) and their programs'."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(sees_dyad(user, "dyad"))

    def of_participant(self, user) -> "MeetingQuerySet":
        """Meetings the user takes part in (as mentor or mentee), not those they only administer."""
        return self.filter(Q(dyad__mentor=user) | Q(dyad__mentee=user))


# The reason the app itself gives when an ended pairing's meetings are cancelled: the row keeps it
# in English, each reader reads it in their language (Meeting.shown_cancel_reason).
PAIRING_ENDED = gettext_noop("The pairing ended.")


class Meeting(models.Model):
    """One meeting of a dyad, from the first proposed times to held, missed or cancelled."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Times proposed")
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")
        MISSED = "missed", pgettext_lazy("meeting status", "Missed")

    dyad = models.ForeignKey(Dyad, models.PROTECT, related_name="meetings")
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.REQUESTED)
    # Empty while only proposed times exist; set when the other side accepts one of them.
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    location = models.CharField(
        _("place"), max_length=200, blank=True, help_text=_("e.g. Room 4B, or 'phone'")
    )
    video_url = models.URLField(_("video link"), blank=True)
    note = models.TextField(_("note"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    # RFC 5545: the UID never changes, SEQUENCE grows with every change calendars must apply.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    change_reason = models.CharField(_("reason for the last change"), max_length=300, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.CharField(_("reason"), max_length=300, blank=True)
    marked_at = models.DateTimeField(null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    agenda_ready_at = models.DateTimeField(_("agenda ready"), null=True, blank=True)
    # Shared notes: `notes_version` is the optimistic lock both editors save against.
    notes = models.TextField(_("shared notes"), blank=True)
    notes_version = models.PositiveIntegerField(default=0)
    notes_updated_at = models.DateTimeField(null=True, blank=True)
    notes_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Bumped by the database on every change of the row (a trigger: see the migration): the API's
    # `updated_since`.
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="requested")
                | Q(status="cancelled")
                | Q(starts_at__isnull=False),
                name="meeting_has_time_once_scheduled",
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="meeting_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
                name="cancelled_meeting_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["dyad", "status", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["updated_at", "id"], name="meeting_updated"),
        ]

    def __str__(self) -> str:
        when = (
            timezone.localtime(self.starts_at).strftime("%Y-%m-%d %H:%M") if self.starts_at else ""
        )
        return f"Meeting {self.dyad.mentor} / {self.dyad.mentee} {when}".strip()

    def get_absolute_url(self) -> str:
        return address("meetings:detail", self.pk)

    @property
    def duration(self) -> timedelta | None:
        return self.ends_at - self.starts_at if self.starts_at and self.ends_at else None

    @property
    def duration_minutes(self) -> int | None:
        duration = self.duration
        return int(duration.total_seconds() // 60) if duration else None

    @property
    def is_requested(self) -> bool:
        """Only times are proposed so far."""
        return self.status == self.Status.REQUESTED

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.SCHEDULED

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def shown_cancel_reason(self) -> str:
        """Why it was cancelled, as the reader reads it: what a person typed, as they typed it;
        the app's own reason (PAIRING_ENDED) lazily, in the language it is made text in (a page's,
        or a notice's recipient's)."""
        if self.cancel_reason == PAIRING_ENDED:
            return _(PAIRING_ENDED)
        return self.cancel_reason

    @property
    def is_open(self) -> bool:
        """Still ahead of the pair: proposed or scheduled."""
        return self.status in (self.Status.REQUESTED, self.Status.SCHEDULED)

    def awaits_outcome(self, now=None) -> bool:
        """Scheduled and started: it asks to be marked held or missed."""
        now = now or timezone.now()
        return self.status == self.Status.SCHEDULED and self.starts_at <= now


class BelowMeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> "BelowMeetingQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(sees_dyad(user, "meeting__dyad"))


class ProposedTime(models.Model):
    """One of the times the requester offers; the other side accepts one."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="proposals")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    objects = BelowMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "starts_at"], name="one_proposal_per_time"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="proposal_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"


class AgendaItem(models.Model):
    """A topic for the meeting and the kind of help the mentee needs with it."""

    class Help(models.TextChoices):
        ADVICE = "advice", _("Advice")
        REVIEW = "review", _("Review of a document")
        DECISION = "decision", _("A decision")
        INTRODUCTION = "introduction", _("An introduction")
        OTHER = "other", _("Other")

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="agenda_items")
    topic = models.CharField(_("topic"), max_length=200)
    help_needed = models.CharField(
        _("help needed"), max_length=12, choices=Help, default=Help.ADVICE
    )
    details = models.TextField(_("details"), blank=True)
    goal = models.ForeignKey(
        "goals.Goal",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("goal"),
    )
    progress_report = models.ForeignKey(
        "goals.ProgressReport",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("progress report"),
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = BelowMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.topic


def material_path(instance: "Material", filename: str) -> str:
    # A random name: the person's file name is kept in `original_name`, never used on disk.
    return f"materials/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Material(models.Model):
    """A file or link the mentee sends for review, with the date they need it back."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=material_path, blank=True, max_length=200)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    link = models.URLField(_("link"), blank=True)
    review_by = models.DateField(_("please review by"), null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_comment = models.TextField(_("comment"), blank=True)
    # Asked → reviewed, kept so that a program can see how long reviews take.
    turnaround = models.DurationField(null=True, blank=True)

    objects = BelowMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(link="")) | (~Q(file="") & Q(link="")),
                name="material_file_or_link",
            ),
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True) | Q(reviewed_by__isnull=False),
                name="material_review_has_reviewer",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None

    @property
    def is_file(self) -> bool:
        return bool(self.file)


class PrivateNoteQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PrivateNoteQuerySet":
        """Only the author's own notes: not the partner's, not a program admin's, nobody else's."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(author=user)


class PrivateNote(models.Model):
    """One person's own notes on a meeting. Nobody else reads them, admins included."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="private_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    text = models.TextField(_("my private notes"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = PrivateNoteQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "author"], name="one_private_note_each")
        ]

    def __str__(self) -> str:
        return f"Private note of {self.author}"


class ActionItemQuerySet(BelowMeetingQuerySet):
    def open(self) -> "ActionItemQuerySet":
        return self.filter(done_at=None)


class ActionItem(models.Model):
    """Something one of the two will do after the meeting, by a date."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="action_items")
    description = models.CharField(_("what"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="action_items", verbose_name=_("who")
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["done_at", "due_on", "id"]
        indexes = [models.Index(fields=["owner", "done_at"])]

    def __str__(self) -> str:
        return self.description

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        return not self.is_done and self.due_on is not None and self.due_on < timezone.localdate()


class CalendarFeedQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CalendarFeedQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


def hash_feed_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A person's calendar subscription. Only the token's hash is stored; regenerating revokes."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = CalendarFeedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
