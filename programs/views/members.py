"""The program admin's people pages: the members list (with its CSV) and the audit log."""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programs.access import member_for_admin, program_for_admin
from programs.audit import changes, people_named
from programs.member_forms import AuditFilterForm, MemberFilterForm, MemberForm
from programs.models import Membership, Program
from programs.selectors import (
    audit_actions,
    audit_log,
    deactivated_members,
    members_with_load,
    pending_invitations,
)
from programs.services.members import (
    deactivate_member,
    deactivation_plan,
    reactivate_member,
    update_member,
)
from programs.spreadsheet import csv_download

MEMBERS_PER_PAGE = 50
AUDIT_PER_PAGE = 25


def _search(request) -> tuple[MemberFilterForm, str, str]:
    form = MemberFilterForm(request.GET or None)
    if form.is_valid():
        return form, form.cleaned_data["q"], form.cleaned_data["role"]
    return form, "", ""


def _filtered_members(request, program: Program):
    form, query, role = _search(request)
    return form, members_with_load(program, query=query, role=role)


def member_list(request, slug):
    program = program_for_admin(request.user, slug=slug)
    form, query, role = _search(request)
    members = members_with_load(program, query=query, role=role)
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
            "former": [] if role else deactivated_members(program, query=query),
        },
    )


def members_csv(request, slug):
    program = program_for_admin(request.user, slug=slug)
    _form, members = _filtered_members(request, program)
    header = ["name", "email", "role", "department", "expertise", "interests", "capacity", "load"]

    def rows():
        for membership in members:
            is_mentor = membership.role == Membership.Role.MENTOR
            yield [
                membership.user.shown_name,
                membership.user.email,
                membership.role,
                membership.user.department,
                membership.user.expertise,
                membership.user.interests,
                membership.capacity if is_mentor else "",
                membership.load if is_mentor else "",
            ]

    return csv_download(f"{program.slug}-members.csv", header, rows())


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


def _person_and_program(memberships):
    return memberships[0].user, memberships[0].program


def member_edit(request, slug, user_pk):
    """The admin changes a member's roles, capacity and supervisor (one form, one notice)."""
    memberships = member_for_admin(request.user, slug=slug, user_pk=user_pk)
    person, program = _person_and_program(memberships)
    profile = getattr(person, "profile", None)
    mentor = next((m for m in memberships if m.role == Membership.Role.MENTOR), None)
    initial = {
        "roles": [m.role for m in memberships],
        "capacity": mentor.capacity if mentor else None,
        "supervisor": profile.supervisor.email if profile and profile.supervisor else "",
    }
    form = MemberForm(request.POST or None, initial=initial, program=program, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            changes = update_member(
                program=program, person=person, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Saved: %(person)s is told.") % {"person": person}
                if changes
                else _("Nothing changed."),
            )
            if person == request.user and Membership.Role.ADMIN not in form.cleaned_data["roles"]:
                return redirect("home")  # no longer this program's admin: its pages are closed
            return redirect(_member_anchor(program, person))
    return render(
        request,
        "programs/member_edit.html",
        {"program": program, "person": person, "memberships": memberships, "form": form},
    )


def _member_anchor(program: Program, person) -> str:
    return reverse("programs:members", args=[program.slug]) + f"?q={quote(person.email)}"


def member_deactivate(request, slug, user_pk):
    """A confirmation page that says what deactivating does (which dyads end, who is told); its
    POST with confirm=1 does it."""
    memberships = member_for_admin(request.user, slug=slug, user_pk=user_pk)
    person, program = _person_and_program(memberships)
    error = ""
    if request.method == "POST" and request.POST.get("confirm") == "1":
        try:
            plan = deactivate_member(program=program, person=person, by=request.user)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(
                request,
                _("%(person)s is deactivated; %(count)d open dyads ended.")
                % {"person": person, "count": len(plan.dyads)},
            )
            return redirect("programs:members", program.slug)
    return render(
        request,
        "programs/member_deactivate.html",
        {
            "program": program,
            "person": person,
            "plan": deactivation_plan(program=program, person=person),
            "error": error,
        },
    )


@require_POST
def member_reactivate(request, slug, user_pk):
    memberships = member_for_admin(request.user, slug=slug, user_pk=user_pk, current=False)
    person, program = _person_and_program(memberships)
    reactivate_member(program=program, person=person, by=request.user)
    messages.success(request, _("%(person)s is active again.") % {"person": person})
    return redirect(_member_anchor(program, person))
