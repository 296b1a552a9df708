"""API tokens (and webhook endpoints): what outside systems of the institution use to read a program.

A token is a secret we hand out once and keep only as its SHA-256 (like invitations and calendar
feeds): a stolen database gives no working token. It reads the programs it names, nothing else.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import Program, administered_ids

TOKEN_PREFIX = "mtk_"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token_secret() -> str:
    """A fresh token: the prefix says what it is (secret scanners recognise it), 256 random bits."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiTokenQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ApiTokenQuerySet":
        """Tokens of the programs the user administers (a superuser's tokens of several programs
        show to each of those programs' admins), and every token for a superuser."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(programs__in=administered_ids(user)).distinct()

    def usable(self, now=None) -> "ApiTokenQuerySet":
        now = now or timezone.now()
        return self.filter(revoked_at=None).filter(Q(expires_at=None) | Q(expires_at__gt=now))


class ApiToken(models.Model):
    """A read-only token for one program (a superuser's may name several)."""

    class Scope(models.TextChoices):
        READ = "read", _("Read")

    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("Who uses it, e.g. “Faculty affairs dashboard”. Only program admins see it."),
    )
    programs = models.ManyToManyField(Program, related_name="api_tokens")
    scope = models.CharField(_("access"), max_length=10, choices=Scope, default=Scope.READ)
    token_hash = models.CharField(max_length=64, unique=True)
    # The first characters of the token, to tell tokens apart in the list (the rest is not kept).
    hint = models.CharField(max_length=12)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="api_token_has_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired


class Event(models.TextChoices):
    """What a webhook endpoint can be told. The payload is thin: the type, the time, the ids and the
    API address of the resource; the receiver reads the rest through the API."""

    MEMBER_JOINED = "member.joined", _("A member joined (or was reactivated)")
    MEMBER_LEFT = "member.left", _("A member left (deactivated or account deleted)")
    DYAD_CREATED = "dyad.created", _("A pairing was created")
    DYAD_ENDED = "dyad.ended", _("A pairing ended")
    DYAD_RE_PAIRED = "dyad.re_paired", _("A mentee was re-paired")
    RE_PAIR_REQUESTED = "dyad.re_pair_requested", _("Someone asked for a different pairing")
    MEETING_SCHEDULED = "meeting.scheduled", _("A meeting was scheduled")
    MEETING_HELD = "meeting.held", _("A meeting was held")
    MEETING_MISSED = "meeting.missed", _("A meeting was missed")
    MEETING_CANCELLED = "meeting.cancelled", _("A meeting was cancelled")
    CYCLE_OPENED = "feedback_cycle.opened", _("A feedback cycle opened")
    CYCLE_CLOSED = "feedback_cycle.closed", _("A feedback cycle closed")


TEST_EVENT = "webhook.test"


class WebhookEndpointQuerySet(models.QuerySet):
    def visible_to(self, user) -> "WebhookEndpointQuerySet":
        """Endpoints of the programs the user administers."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(program_id__in=administered_ids(user))


class WebhookEndpoint(models.Model):
    """An address of the institution's that is told of a program's events, signed per the
    Standard Webhooks spec with a secret shown once to the admin (kept encrypted: we must sign)."""

    program = models.ForeignKey(Program, models.PROTECT, related_name="webhook_endpoints")
    url = models.URLField(_("address"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)
    secret_encrypted = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Deliveries that failed for good, in a row; at settings.WEBHOOK_DISABLE_AFTER_FAILURES the
    # endpoint is switched off and its admins are told once.
    failures_in_a_row = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(_("switched off"), null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)

    objects = WebhookEndpointQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.url

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None

    def event_labels(self) -> list[str]:
        labels = dict(Event.choices)
        return [str(labels.get(e, e)) for e in self.events]


class WebhookDelivery(models.Model):
    """One event for one endpoint: sent until the endpoint answers 2xx, with back-off, for about a
    day. The row is the truth (Celery only hands it out): a lost task or a worker killed mid-send
    is found again by the sweep once its claim lapses."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SUCCEEDED = "succeeded", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(WebhookEndpoint, models.CASCADE, related_name="deliveries")
    # The webhook-id header: the same on every attempt, so the receiver can drop a repeat.
    message_id = models.CharField(max_length=40, unique=True)
    event_type = models.CharField(max_length=40)
    # Which happening this is (e.g. "dyad.ended:42"): one delivery per endpoint and happening.
    dedupe_key = models.CharField(max_length=100)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "dedupe_key"], name="one_delivery_per_endpoint_and_event"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="webhook_delivery_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.endpoint}"


class WebhookAttempt(models.Model):
    """The delivery log: one row per request made, with the status code or what went wrong."""

    delivery = models.ForeignKey(WebhookDelivery, models.CASCADE, related_name="log")
    at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.status_code or self.error}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
