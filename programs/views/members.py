"""The program admin's people pages: the members list (with its CSV) and the audit log."""

import csv
from datetime import date, datetime

from django.apps import apps
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mentoring.models import User
from programs.access import program_for_admin
from programs.member_forms import AuditFilterForm, MemberFilterForm
from programs.models import Membership, Program
from programs.selectors import (
    audit_actions,
    audit_log,
    members_with_load,
    pending_invitations,
)

MEMBERS_PER_PAGE = 50
AUDIT_PER_PAGE = 25
# Audit snapshots keep people as ids; the page shows their names.
PERSON_FIELDS = {"mentor", "mentee", "user", "actor", "invited_by", "accepted_by"}


def _filtered_members(request, program: Program):
    form = MemberFilterForm(request.GET or None)
    query = role = ""
    if form.is_valid():
        query, role = form.cleaned_data["q"], form.cleaned_data["role"]
    return form, members_with_load(program, query=query, role=role)


def member_list(request, slug):
    program = program_for_admin(request.user, slug=slug)
    form, members = _filtered_members(request, program)
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "programs/members.html",
        {
            "program": program,
            "form": form,
            "page": page,
            "filtered": bool(request.GET.get("q") or request.GET.get("role")),
            "query_string": params.urlencode(),
            "invitations": list(pending_invitations(program)),
        },
    )


def _csv_cell(value) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def members_csv(request, slug):
    program = program_for_admin(request.user, slug=slug)
    _form, members = _filtered_members(request, program)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{program.slug}-members.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["name", "email", "role", "department", "expertise", "interests", "capacity", "load"]
    )
    for membership in members:
        is_mentor = membership.role == Membership.Role.MENTOR
        writer.writerow(
            [
                _csv_cell(cell)
                for cell in (
                    membership.user.name,
                    membership.user.email,
                    membership.role,
                    membership.user.department,
                    membership.user.expertise,
                    membership.user.interests,
                    membership.capacity if is_mentor else "",
                    membership.load if is_mentor else "",
                )
            ]
        )
    return response


def _choice_labels(target_type: str) -> dict[str, dict]:
    """{field: {value: label}} of the audited model's fields with choices (status, reason, role)."""
    try:
        model = apps.get_model("programs", target_type) if target_type else None
    except LookupError:
        model = None
    if model is None:
        return {"role": dict(Membership.Role.choices)}
    return {
        f.name: dict(f.flatchoices) for f in model._meta.get_fields() if getattr(f, "choices", None)
    }


def _readable(field: str, value, people: dict[int, str], labels: dict[str, dict]) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field in PERSON_FIELDS and isinstance(value, int):
        return people.get(value, f"#{value}")
    if field in labels and value in labels[field]:
        return str(labels[field][value])
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            if len(value) == 10:
                return date_format(date.fromisoformat(value), "DATE_FORMAT")
            moment = datetime.fromisoformat(value)
            if timezone.is_aware(moment):
                return date_format(timezone.localtime(moment), "DATETIME_FORMAT")
        except ValueError:
            pass
    return str(value)


def _changes(entry, people: dict[int, str]) -> list[tuple[str, str, str]]:
    """(field, before, after) for each field the entry changed; all fields of a creation."""
    before, after = entry.before or {}, entry.after or {}
    fields = list(after) + [key for key in before if key not in after]
    labels = _choice_labels(entry.target_type)
    return [
        (
            field.replace("_", " ").capitalize(),
            _readable(field, before.get(field), people, labels) if entry.before is not None else "",
            _readable(field, after.get(field), people, labels) if entry.after is not None else "",
        )
        for field in fields
        if before.get(field) != after.get(field)
        # A creation lists what was set, not every empty field.
        and not (entry.before is None and after.get(field) in (None, ""))
    ]


def audit(request, slug):
    program = program_for_admin(request.user, slug=slug)
    form = AuditFilterForm(request.GET or None, actions=audit_actions(program))
    action = form.cleaned_data["action"] if form.is_valid() else ""
    page = Paginator(audit_log(program, action=action), AUDIT_PER_PAGE).get_page(
        request.GET.get("page")
    )
    entries = list(page)
    ids = {
        value
        for entry in entries
        for snapshot in (entry.before or {}, entry.after or {})
        for field, value in snapshot.items()
        if field in PERSON_FIELDS and isinstance(value, int)
    }
    people = {user.pk: str(user) for user in User.objects.filter(pk__in=ids)} if ids else {}
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "programs/audit.html",
        {
            "program": program,
            "form": form,
            "page": page,
            "rows": [(entry, _changes(entry, people)) for entry in entries],
            "query_string": params.urlencode(),
        },
    )
