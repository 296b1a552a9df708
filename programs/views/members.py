"""The program admin's people pages: the members list (with its CSV) and the audit log."""

import csv

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from programs.access import program_for_admin
from programs.audit import changes, people_named
from programs.member_forms import AuditFilterForm, MemberFilterForm
from programs.models import Membership, Program
from programs.selectors import (
    audit_actions,
    audit_log,
    members_with_load,
    pending_invitations,
)
from programs.spreadsheet import csv_cell

MEMBERS_PER_PAGE = 50
AUDIT_PER_PAGE = 25


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
                csv_cell(cell)
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


def audit(request, slug):
    program = program_for_admin(request.user, slug=slug)
    form = AuditFilterForm(request.GET or None, actions=audit_actions(program))
    action = form.cleaned_data["action"] if form.is_valid() else ""
    page = Paginator(audit_log(program, action=action), AUDIT_PER_PAGE).get_page(
        request.GET.get("page")
    )
    entries = list(page)
    people = people_named(entries)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "programs/audit.html",
        {
            "program": program,
            "form": form,
            "page": page,
            "rows": [(entry, changes(entry, people)) for entry in entries],
            "query_string": params.urlencode(),
        },
    )
