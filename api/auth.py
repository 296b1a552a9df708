"""Who is calling the API: a program token, sent as `Authorization: Bearer <token>`. Never a session.

A token is read in one query (with the ids of its programs); a revoked or expired one is refused on
the very next request. "Last used" is written at most once a minute, and the first use is a
security event, like the token's creation and its revocation.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions, permissions, throttling

from api.models import TOKEN_PREFIX, ApiToken, hash_token
from mentoring.models import SecurityEvent, User
from mentoring.security import record_security_event
from programs.models import Program

LAST_USED_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class TokenClient:
    """The caller of one API request: the token's id and the programs it reads."""

    token_id: int
    program_ids: frozenset[int]
    created_by_id: int

    is_authenticated = True
    is_anonymous = False
    is_active = True
    pk = None  # not a person: nothing of a user's (sessions, permissions) applies

    def __str__(self) -> str:
        return f"API token {self.token_id}"


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").strip()
        if not header:
            return None
        keyword, _space, raw = header.partition(" ")
        raw = raw.strip()
        if keyword.lower() != "bearer" or not raw:
            raise exceptions.AuthenticationFailed(
                _("Send the token as “Authorization: Bearer <token>”.")
            )
        if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
            raise exceptions.AuthenticationFailed(_("That is not a valid API token."))
        rows = list(
            ApiToken.objects.filter(token_hash=hash_token(raw)).values_list(
                "pk",
                "revoked_at",
                "expires_at",
                "last_used_at",
                "created_by_id",
                "name",
                "hint",
                "programs__id",
            )
        )
        if not rows:
            raise exceptions.AuthenticationFailed(_("That is not a valid API token."))
        pk, revoked_at, expires_at, last_used_at, created_by_id, name, hint, _program = rows[0]
        now = timezone.now()
        if revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This API token was revoked."))
        if expires_at is not None and expires_at <= now:
            raise exceptions.AuthenticationFailed(_("This API token has expired."))
        program_ids = frozenset(row[-1] for row in rows if row[-1] is not None)
        if last_used_at is None or now - last_used_at >= LAST_USED_EVERY:
            _note_use(pk, last_used_at, now, created_by_id, program_ids, f"{name} ({hint}…)")
        client = TokenClient(pk, program_ids, created_by_id)
        return client, client

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


def _note_use(pk, last_used_at, now, created_by_id, program_ids, label: str) -> None:
    """Write "last used"; the request that flips it from empty records the first use (two at
    once: one event). By ids, so a first request costs two writes and no read more."""
    if last_used_at is not None:
        ApiToken.objects.filter(pk=pk).update(last_used_at=now)
        return
    if ApiToken.objects.filter(pk=pk, last_used_at=None).update(last_used_at=now):
        record_security_event(
            kind=SecurityEvent.Kind.API_TOKEN_FIRST_USED,
            user=User(pk=created_by_id),
            program=Program(pk=min(program_ids)) if program_ids else None,
            detail=label,
        )


class HasToken(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, TokenClient)


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """Requests per token, counted in the shared cache (every web process sees the same count);
    over the limit: 429 with Retry-After."""

    scope = "token"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, TokenClient):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.token_id}
