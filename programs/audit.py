"""The audit log of program admins' actions: who, what, when, before and after."""

from typing import Any

from django.db import models

from programs.models import AuditEntry, Program


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The named fields of a row as JSON-friendly values (dates and ids as strings or numbers)."""
    data: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname)
        data[name] = value if isinstance(value, int | str | bool | type(None)) else str(value)
    return data


def record(
    *,
    program: Program,
    actor,
    action: str,
    summary: str,
    target: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        program=program,
        actor=actor,
        action=action,
        summary=summary[:300],
        target_type=target._meta.model_name if target is not None else "",
        target_id=target.pk if target is not None else None,
        before=before,
        after=after,
    )
