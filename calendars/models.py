"""A person's calendars: their working hours, their calendar connections, and the busy times read
from them. Only busy intervals are stored (no titles, places or attendees), and only the owner's
pages show a connection; the partner's slot picker reads intervals, never a row of another person
(calendars.slots). Program admins see nothing of anyone's calendar.
"""

from datetime import time
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from calendars import crypto

WEEKDAYS = "01234"  # Monday = 0, as date.weekday()


class OwnedQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Only the owner's own rows: not the partner's, not a program admin's."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class WorkingHours(models.Model):
    """When a person may be offered meetings, in their own zone (no row: 9 to 17 on weekdays)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="working_hours"
    )
    starts = models.TimeField(_("from"), default=time(9))
    ends = models.TimeField(_("until"), default=time(17))
    days = models.CharField(_("days"), max_length=7, default=WEEKDAYS)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=F("starts")), name="working_hours_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(days__regex=r"^[0-6]{1,7}$"), name="working_days_are_weekdays"
            ),
        ]

    def __str__(self) -> str:
        return f"Working hours of {self.user}"

    @property
    def weekdays(self) -> set[int]:
        return {int(d) for d in self.days}


class Connection(models.Model):
    """One calendar a person connected: a published address or a CalDAV account (one of each)."""

    class Kind(models.TextChoices):
        PUBLISHED = "published", _("Published calendar address")
        CALDAV = "caldav", _("CalDAV account")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="calendar_connections"
    )
    kind = models.CharField(max_length=10, choices=Kind)
    # Published: the secret address, encrypted (it opens the whole calendar). CalDAV: the server.
    secret_address = models.TextField(blank=True)
    server_url = models.URLField(_("server address"), max_length=500, blank=True)
    username = models.CharField(_("user name"), max_length=200, blank=True)
    password_encrypted = models.TextField(blank=True)
    calendar_url = models.URLField(max_length=500, blank=True)  # CalDAV: where meetings are written
    calendar_name = models.CharField(max_length=200, blank=True)
    # CalDAV: the account's calendars when it was connected, [{"url": …, "name": …}], to choose from.
    calendars = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Sample busy times of the demo people (seed_demo): never fetched, replaced by connecting.
    is_sample = models.BooleanField(default=False)
    # Conditional GET of a published calendar.
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    failing_since = models.DateTimeField(null=True, blank=True)
    # Our own message for the owner (never text of the remote server).
    last_error = models.CharField(max_length=300, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="one_calendar_connection_per_kind"
            )
        ]
        indexes = [models.Index(fields=["kind", "last_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.user}"

    @property
    def address(self) -> str:
        return crypto.decrypt(self.secret_address)

    @address.setter
    def address(self, value: str) -> None:
        self.secret_address = crypto.encrypt(value)

    @property
    def password(self) -> str:
        return crypto.decrypt(self.password_encrypted)

    @password.setter
    def password(self, value: str) -> None:
        self.password_encrypted = crypto.encrypt(value)

    @property
    def is_caldav(self) -> bool:
        return self.kind == self.Kind.CALDAV

    @property
    def shown_address(self) -> str:
        """What the owner's page shows: the host only (the rest of a published address is secret)."""
        url = self.server_url if self.is_caldav else self.address
        return urlsplit(url).hostname or ""


class BusyInterval(models.Model):
    """A time the person is busy, read from one of their calendars: nothing but the two ends."""

    connection = models.ForeignKey(Connection, models.CASCADE, related_name="busy")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    objects = OwnedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["user", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="busy_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"


class WrittenMeeting(models.Model):
    """The version (SEQUENCE) of a meeting last written into a CalDAV calendar: a refresh writes
    again what a failure held back, and writing the same version twice changes nothing."""

    connection = models.ForeignKey(Connection, models.CASCADE, related_name="written")
    meeting = models.ForeignKey("meetings.Meeting", models.CASCADE, related_name="+")
    sequence = models.PositiveIntegerField()
    status = models.CharField(max_length=10)
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "meeting"], name="one_written_version_per_calendar"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} v{self.sequence}"
