"""Writes of the api app: tokens created and revoked (each a security event)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from api.models import ApiToken, hash_token, new_token_secret
from mentoring.access import require
from mentoring.models import SecurityEvent
from mentoring.security import record_security_event
from programs.models import Program, administered_ids


def may_manage_tokens(user, programs) -> bool:
    """A program's admins manage its tokens; only a superuser makes one for several programs."""
    ids = {p.pk for p in programs}
    if not ids:
        return False
    if user.is_superuser:
        return True
    return len(ids) == 1 and ids <= set(administered_ids(user))


@transaction.atomic
def create_token(
    *, programs: list[Program], by, name: str, expires_at: datetime | None
) -> tuple[ApiToken, str]:
    """A new read token for these programs; returns it with its secret, which is not kept."""
    require(may_manage_tokens(by, programs))
    raw = new_token_secret()
    token = ApiToken.objects.create(
        name=name,
        token_hash=hash_token(raw),
        hint=raw[:10],
        created_by=by,
        expires_at=expires_at,
    )
    token.programs.set(programs)
    for program in programs:
        record_security_event(
            kind=SecurityEvent.Kind.API_TOKEN_CREATED,
            user=by,
            program=program,
            detail=f"{name} ({token.hint}…)",
        )
    return token, raw


@transaction.atomic
def revoke_token(*, token: ApiToken, by) -> ApiToken:
    """Refused from the next request on. Revoking twice changes nothing."""
    programs = list(token.programs.all())
    require(by.is_superuser or bool({p.pk for p in programs} & set(administered_ids(by))))
    if token.revoked_at is not None:
        return token
    token.revoked_at, token.revoked_by = timezone.now(), by
    token.save(update_fields=["revoked_at", "revoked_by"])
    for program in programs:
        record_security_event(
            kind=SecurityEvent.Kind.API_TOKEN_REVOKED,
            user=token.created_by,
            actor=by,
            program=program,
            detail=f"{token.name} ({token.hint}…)",
        )
    return token
