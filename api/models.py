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
