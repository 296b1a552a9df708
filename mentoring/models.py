import functools
import uuid
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from mentoring.registry import KINDS, kind_label

HONORIFICS = {"dr", "prof", "professor", "mr", "mrs", "ms", "mx"}
TIME_ZONE_CHOICES = sorted((tz, tz.replace("_", " ")) for tz in zoneinfo.available_timezones())


@functools.lru_cache(maxsize=1024)
def zone_of(key: str) -> zoneinfo.ZoneInfo:
    """A stored zone name as a zone: UTC if it is empty or no longer known. The one fallback, for
    a User (`User.zone`) and for a person read as a plain row (mentoring.reminders.Person)."""
    try:
        return zoneinfo.ZoneInfo(key or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


# The domain of a deleted account's placeholder address (mentoring.privacy.delete_account).
DELETED_DOMAIN = "deleted.invalid"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


# The name an erased account keeps for the history (mentoring.privacy.delete_account): stored as
# it is here, read in each reader's language.
FORMER_MEMBER = gettext_noop("Former member")


def shown_name(name: str) -> str:
    """A person's name as a reader reads it: as they wrote it; an erased account's in the
    reader's language."""
    return gettext(FORMER_MEMBER) if name == FORMER_MEMBER else name


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Their roles live in programs.Membership: nobody is a mentor or mentee globally."""

    class CareerStage(models.TextChoices):
        STUDENT = "student", _("Medical student")
        RESIDENT = "resident", _("Resident")
        FELLOW = "fellow", _("Fellow")
        JUNIOR_FACULTY = "junior_faculty", _("Junior faculty")
        MID_CAREER = "mid_career", _("Mid-career faculty")
        SENIOR_FACULTY = "senior_faculty", _("Senior faculty")
        OTHER = "other", _("Other")

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("full name"), max_length=150, blank=True)
    title = models.CharField(
        _("title or rank"), max_length=100, blank=True, help_text=_("e.g. Assistant Professor")
    )
    department = models.CharField(_("department"), max_length=150, blank=True)
    career_stage = models.CharField(
        _("career stage"), max_length=20, choices=CareerStage, blank=True
    )
    expertise = models.TextField(
        _("areas of expertise"),
        blank=True,
        help_text=_("Comma-separated, e.g. health services research, QI"),
    )
    interests = models.TextField(
        _("interests"),
        blank=True,
        help_text=_("Comma-separated, e.g. grant writing, medical education"),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        choices=TIME_ZONE_CHOICES,
        default="UTC",
        help_text=_("Dates and meeting times are shown in this zone."),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_(
            "Pages, e-mails and calendar files in this language. Empty: the browser's language."
        ),
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    # What the program matches people on: edited on one page only, the matching profile
    # (/profile/matching/, programs.forms.ProfileForm), interests chosen from the program's list.
    MATCHING_FIELDS = ("department", "career_stage", "expertise", "interests")
    # The account's own: the account page (/profile/, mentoring.forms.ProfileForm) edits these.
    ACCOUNT_FIELDS = ("name", "title", "time_zone", "language")
    # What a person tells about themselves, in the order shown: the admin's "Profile" section and
    # their data export list these and only these.
    PROFILE_FIELDS = ("name", "title", *MATCHING_FIELDS, "time_zone", "language")

    class Meta:
        ordering = ["name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return shown_name(self.name) or self.email

    @property
    def shown_name(self) -> str:
        """Their name as the reader reads it (an erased account's in the reader's language), ""
        when they gave none: what a list or a CSV shows in a name column."""
        return shown_name(self.name)

    @property
    def is_former_member(self) -> bool:
        """The account was deleted (mentoring.privacy.delete_account): a name stays for the
        history, with no address to write to."""
        return self.email.endswith("@" + DELETED_DOMAIN)

    def get_full_name(self) -> str:
        return shown_name(self.name) or self.email

    def get_short_name(self) -> str:
        """The first name, for greetings: "Dr. Maria Mentor" is greeted as Maria."""
        words = [w for w in self.name.split() if w.rstrip(".").lower() not in HONORIFICS]
        return words[0] if words else self.email.split("@")[0]

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The person's time zone: every date they read is in it (UTC if the stored one is gone)."""
        return zone_of(self.time_zone)

    @property
    def topics(self) -> set[str]:
        """Expertise and interests as a set of lower-case topics, for matching mentors to mentees."""
        raw = f"{self.expertise},{self.interests}"
        return {t.strip().lower() for t in raw.replace(";", ",").split(",") if t.strip()}


# --- Notifications (reminders issue) ---------------------------------------------------------


def validate_kind(value: str) -> None:
    if value not in KINDS:
        raise ValidationError(
            _("%(kind)s is not a registered kind of notice."), params={"kind": value}
        )


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "NotificationQuerySet":
        """A person's own notices. (A program's admins see that program's notices through the
        programs app, which knows who administers what.)"""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def pending(self) -> "NotificationQuerySet":
        """Not yet handled and not given up on (served by the partial index
        `notification_pending_kind`)."""
        return self.filter(sent_at=None, failed_at=None)

    def claimable(self, *, now, lease) -> "NotificationQuerySet":
        """Pending, nobody holds a live claim, and no retry is scheduled for later."""
        return self.pending().filter(
            models.Q(claimed_at=None) | models.Q(claimed_at__lt=now - lease),
            models.Q(retry_at=None) | models.Q(retry_at__lte=now),
        )

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at=None)


class Notification(models.Model):
    """One notice to one person about one thing on one occasion: what was planned, sent and read.

    Every notice shows in the person's in-app list; the e-mail channel follows their preference.
    `dedupe_key` is unique per (kind, recipient, object, occasion): planning the same notice twice,
    from a second sweep or a second beat, inserts nothing.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        IN_APP = "in_app", _("In-app only")
        DIGEST = "digest", _("Weekly digest")

    # A kind some app registered (mentoring/registry.py): a new kind needs no migration here.
    kind = models.CharField(_("kind"), max_length=40, validators=[validate_kind])
    # Indexed by notification_inbox and notification_program (their first column): no index of
    # their own, which every planned row would also have to update.
    recipient = models.ForeignKey(
        "mentoring.User",
        models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
        db_index=False,
    )
    # The program whose admins see this notice in the operators' view (none for personal digests).
    program = models.ForeignKey(
        "programs.Program",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="notifications",
        db_index=False,
    )
    target_type = models.ForeignKey(
        "contenttypes.ContentType", models.PROTECT, null=True, blank=True, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    # Written when planned, in the recipient's time zone: the list and the e-mail say the same,
    # and the notice still reads right after its object changed or went away.
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # What the kind's e-mail renderer needs beyond the target, fixed when planned: e.g. the meeting
    # version (its sequence) and what happened to it, so a notice about an older version is dropped.
    details = models.JSONField(default=dict, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel, blank=True)
    # Unique by the constraint notification_dedupe_key (the arbiter of planning's ON CONFLICT), not
    # by unique=True, which on PostgreSQL adds a second, LIKE-pattern index nobody queries.
    dedupe_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    # When a sweep or an action last handed it to the broker: a sweep queues it again only after a
    # lease, so a backlog is never queued twice over.
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    retry_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["dedupe_key"], name="notification_dedupe_key"),
            models.CheckConstraint(
                condition=models.Q(sent_at=None) | models.Q(failed_at=None),
                name="notification_sent_or_failed",
            ),
            models.CheckConstraint(
                condition=models.Q(target_type=None, target_id=None)
                | models.Q(target_type__isnull=False, target_id__isnull=False),
                name="notification_target_whole",
            ),
        ]
        indexes = [
            # A sweep's hand-out (`deliverable_ids`: one kind's pending notices, oldest first) reads
            # only what is pending, whatever the table's size; the claim goes by primary key.
            models.Index(
                fields=["kind", "created_at"],
                condition=models.Q(sent_at=None, failed_at=None),
                name="notification_pending_kind",
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(
                fields=["recipient"], condition=models.Q(read_at=None), name="notification_unread"
            ),
            models.Index(fields=["program", "-created_at"], name="notification_program"),
        ]

    def __str__(self) -> str:
        return f"{self.kind_label} to {self.recipient_id}: {self.title}"

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def status(self) -> str:
        if self.failed_at:
            return "failed"
        if self.sent_at:
            return "sent"
        if self.retry_at:
            return "retrying"
        return "pending"

    @property
    def status_label(self) -> str:
        return NOTICE_STATUSES[self.status]


# What the operators' view of a program's notices calls each `Notification.status`.
NOTICE_STATUSES = {
    "failed": pgettext_lazy("notice", "failed"),
    "sent": pgettext_lazy("notice", "sent"),
    "retrying": pgettext_lazy("notice", "retrying"),
    "pending": pgettext_lazy("notice", "pending"),
}


class NotificationPreference(models.Model):
    """How one person wants one kind of notice by e-mail. No row: one e-mail each (the default)."""

    class Email(models.TextChoices):
        EACH = "each", _("E-mail each one")
        DIGEST = "digest", _("Weekly digest e-mail")
        OFF = "off", _("No e-mail (in-app only)")

    user = models.ForeignKey(
        "mentoring.User", models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40, validators=[validate_kind])
    email = models.CharField(_("e-mail"), max_length=10, choices=Email, default=Email.EACH)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.email}"


# --- Security events (institutional sign-in issue, OWASP ASVS 16.3) ---------------------------


class AppendOnlyError(Exception):
    """A security event is never changed or removed by the application."""


class SecurityEventQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SecurityEventQuerySet":
        """Every event for a superuser, none for anyone else. (A program's admins see the events of
        their program's members through the programs app, which knows who administers what.)"""
        if not user.is_authenticated or not user.is_superuser:
            return self.none()
        return self

    def update(self, **kwargs):
        raise AppendOnlyError("security events are append-only")

    def delete(self):
        raise AppendOnlyError("security events are append-only")


class SecurityEvent(models.Model):
    """One security-relevant event: who it concerns, who did it, when, from which address.

    Append-only: the application never updates or deletes a row (save() of an existing row,
    delete() and the queryset's update()/delete() refuse), and on PostgreSQL a trigger refuses
    UPDATE and DELETE from anyone (migration 0003). People are kept as plain ids with no foreign
    key constraint, so that nothing that happens to an account later touches its history.
    """

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        LOCKED_OUT = "locked_out", _("Locked out after failed sign-ins")
        SECOND_FACTOR_FAILED = "mfa_failed", _("Second factor refused")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        PASSWORD_RESET = "password_reset", _("Password reset")
        SECOND_FACTOR_ADDED = "mfa_added", _("Second factor added")
        SECOND_FACTOR_REMOVED = "mfa_removed", _("Second factor removed")
        RECOVERY_CODES_RESET = "mfa_reset", _("Recovery codes regenerated")
        ROLE_CHANGED = "role_changed", _("Role or membership changed")
        SSO_LINKED = "sso_linked", _("Single sign-on account linked")
        EXPORT_DOWNLOADED = "export_downloaded", _("Personal data export downloaded")
        ACCOUNT_DELETED = "account_deleted", _("Account deleted")
        API_TOKEN_CREATED = "api_token_created", _("API token created")
        API_TOKEN_FIRST_USED = "api_token_first_used", _("API token used for the first time")
        API_TOKEN_REVOKED = "api_token_revoked", _("API token revoked")

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    kind = models.CharField(_("event"), max_length=30, choices=Kind)
    # The account the event concerns (none: a failed sign-in for an address nobody has).
    user = models.ForeignKey(
        "mentoring.User",
        models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account"),
    )
    # Who did it, when not the person themselves (an admin changing a role).
    actor = models.ForeignKey(
        "mentoring.User",
        models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    program = models.ForeignKey(
        "programs.Program",
        models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("program"),
    )
    # What was typed as the login on a failed sign-in or lock-out, as the person typed it.
    identifier = models.CharField(_("login typed"), max_length=254, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="securityevent_user"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.kind} {self.user_id or self.identifier}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("security events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("security events are append-only")


def data_export_path(instance: "DataExport", filename: str) -> str:
    # A random name in the bucket: nobody guesses another person's export.
    return f"exports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.zip"


class DataExport(models.Model):
    """A person's data export (mentoring/privacy.py), built by a worker into the file storage, so
    that any web node hands it out. Only the latest one of a person is kept."""

    user = models.ForeignKey("mentoring.User", models.CASCADE, related_name="data_exports")
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to=data_export_path, blank=True, max_length=200)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(finished_at__isnull=True) | ~models.Q(file=""),
                name="finished_export_has_file",
            )
        ]

    def __str__(self) -> str:
        return f"data export {self.pk} of user {self.user_id}"

    @property
    def is_ready(self) -> bool:
        return self.finished_at is not None
