"""The audit log of program admins' actions: who, what, when, before and after, and how an entry
reads on the audit page.

Values keep their type. A snapshot stores what JSON has no type for with its type beside it:
`{"type": "date", "value": "2027-01-01"}`, `{"type": "datetime", "value": "…+00:00"}`,
`{"type": "person", "value": 42}`; text, numbers, booleans and None stay as they are. So the page
shows a date as a date and a person by name because the entry says so, and a note that merely
looks like a date stays the text it was.

Entries written before typed values (bare ids of people, dates as ISO strings) still read: a bare
id under a person's field name is a person, and a string is a date or a moment only when the
audited model's field is one.
"""

from datetime import date, datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentoring import moments
from mentoring.models import User
from programs.models import AuditEntry, Membership, Program

PERSON, DATE, DATETIME, DURATION = "person", "date", "datetime", "duration"
# Entries without typed values keep people as bare ids under these names (and services that write
# `before`/`after` by hand still may): the page names them.
PERSON_FIELDS = {"mentor", "mentee", "user", "actor", "invited_by", "accepted_by"}

# What each action code (`entry.action`, shown as it is beside each entry) is called in the filter.
ACTION_LABELS = {
    "agreement.update": gettext_lazy("Agreement edited"),
    "cohort.confirm": gettext_lazy("Cohort paired"),
    "dyad.approve": gettext_lazy("Dyad approved"),
    "dyad.cadence": gettext_lazy("Dyad's meeting cadence set"),
    "dyad.create": gettext_lazy("Dyad created"),
    "dyad.end": gettext_lazy("Dyad ended"),
    "dyad.make_primary": gettext_lazy("Dyad made primary"),
    "dyad.pause": gettext_lazy("Dyad paused"),
    "dyad.resume": gettext_lazy("Dyad resumed"),
    "dyad.supervisor": gettext_lazy("Mentor marked as supervisor or not"),
    "invitation.create": gettext_lazy("Invitation sent"),
    "invitation.revoke": gettext_lazy("Invitation revoked"),
    "member.capacity": gettext_lazy("Mentor's capacity set"),
    "member.deactivate": gettext_lazy("Member deactivated"),
    "member.reactivate": gettext_lazy("Member reactivated"),
    "member.roles": gettext_lazy("Member's roles set"),
    "membership.create": gettext_lazy("Member added"),
    "profile.supervisor": gettext_lazy("Administrative supervisor set"),
    "program.settings": gettext_lazy("Program settings changed"),
    "request.decline": gettext_lazy("Mentor request declined for the program"),
}
# Keys an entry records that are no field of the audited model, or a field without a name of
# its own (a dyad's mentor and mentee).
FIELD_LABELS = {
    "mentor": gettext_lazy("mentor"),
    "mentee": gettext_lazy("mentee"),
    "user": gettext_lazy("person"),
    "roles": gettext_lazy("roles"),
    "dyads": gettext_lazy("dyads"),
    "dyads_ended": gettext_lazy("dyads ended"),
}


def action_label(action: str) -> str:
    """An action's name; an action this list does not know yet is shown by its code."""
    return str(ACTION_LABELS.get(action, action))


def field_label(field: str, fields: dict[str, models.Field]) -> str:
    """A changed field's name: the model field's own (translated) name."""
    if field in FIELD_LABELS:
        return capfirst(FIELD_LABELS[field])
    if field in fields:
        return capfirst(fields[field].verbose_name)
    return capfirst(field.replace("_", " "))


def _typed(field: models.Field, value: Any) -> Any:
    """One value as JSON that keeps its type."""
    if value is None:
        return None
    if field.is_relation and field.related_model is not None:
        if field.related_model._meta.label == settings.AUTH_USER_MODEL:
            return {"type": PERSON, "value": value}
        return value  # another row: its id
    if isinstance(value, datetime):
        return {"type": DATETIME, "value": value.isoformat()}
    if isinstance(value, date):
        return {"type": DATE, "value": value.isoformat()}
    if isinstance(value, timedelta):
        return {"type": DURATION, "value": value.total_seconds()}
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The named fields of a row as JSON values that keep their type (see the module's note)."""
    data: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        data[name] = _typed(field, getattr(obj, field.attname))
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


# Reading: what an entry changed, in words.


def _is_typed(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"type", "value"}


def _person_id(field: str, value: Any) -> int | None:
    if _is_typed(value):
        return value["value"] if value["type"] == PERSON else None
    if field in PERSON_FIELDS and isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def people_named(entries: list[AuditEntry]) -> dict[int, str]:
    """{id: name} of everyone the entries' values name (one query, none when nobody)."""
    ids = {
        person
        for entry in entries
        for values in (entry.before or {}, entry.after or {})
        for field, value in values.items()
        if (person := _person_id(field, value)) is not None
    }
    return {user.pk: str(user) for user in User.objects.filter(pk__in=ids)} if ids else {}


def _model_of(entry: AuditEntry) -> type[models.Model] | None:
    try:
        return apps.get_model("programs", entry.target_type) if entry.target_type else None
    except LookupError:
        return None


def _fields_of(model: type[models.Model] | None) -> dict[str, models.Field]:
    if model is None:
        return {}
    return {f.name: f for f in model._meta.get_fields() if isinstance(f, models.Field)}


def _choice_labels(model: type[models.Model] | None) -> dict[str, dict]:
    """{field: {value: label}} of the audited model's fields with choices (status, reason, role)."""
    if model is None:
        return {"role": dict(Membership.Role.choices)}
    return {
        f.name: dict(f.flatchoices) for f in model._meta.get_fields() if getattr(f, "choices", None)
    }


def _show_date(text: str) -> str:
    return moments.day_text(date.fromisoformat(text))


def _show_datetime(text: str) -> str:
    return moments.moment_text(datetime.fromisoformat(text))


def _legacy(value: Any, model_field: models.Field | None) -> Any:
    """A value written before typed values: a string is a date or a moment only if the model's
    field is one, never because of its shape."""
    if not isinstance(value, str) or model_field is None:
        return value
    kind = (
        DATETIME
        if isinstance(model_field, models.DateTimeField)
        else DATE
        if isinstance(model_field, models.DateField)
        else None
    )
    return {"type": kind, "value": value} if kind else value


def readable(
    field: str,
    value: Any,
    *,
    people: dict[int, str],
    labels: dict[str, dict],
    model_field: models.Field | None = None,
) -> str:
    """One stored value as the audit page shows it."""
    person = _person_id(field, value)
    if person is not None:
        return people.get(person, f"#{person}")
    if not _is_typed(value):
        value = _legacy(value, model_field)
    if _is_typed(value):
        kind, raw = value["type"], value["value"]
        try:
            if kind == DATE:
                return _show_date(raw)
            if kind == DATETIME:
                return _show_datetime(raw)
        except (TypeError, ValueError):
            return str(raw)
        if kind == DURATION:
            return str(timedelta(seconds=raw))
        value = raw
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field in labels and value in labels[field]:
        return str(labels[field][value])
    return str(value)


def changes(entry: AuditEntry, people: dict[int, str]) -> list[tuple[str, str, str]]:
    """(field, before, after) for each field the entry changed; all fields set by a creation."""
    before, after = entry.before or {}, entry.after or {}
    model = _model_of(entry)
    fields, labels = _fields_of(model), _choice_labels(model)

    def show(values: dict | None, field: str) -> str:
        if values is None:
            return ""
        return readable(
            field, values.get(field), people=people, labels=labels, model_field=fields.get(field)
        )

    return [
        (field_label(field, fields), show(entry.before, field), show(entry.after, field))
        for field in list(after) + [key for key in before if key not in after]
        if before.get(field) != after.get(field)
        # A creation lists what was set, not every empty field.
        and not (entry.before is None and after.get(field) in (None, ""))
    ]
