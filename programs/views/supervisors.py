"""The admin records supervisors: a member's administrative supervisor (one at a time, or many
pasted from a spreadsheet), and on a live dyad, that the mentor supervises the mentee."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mentoring.access import get_visible_or_404
from programs.access import dyad_for_admin, program_for_admin
from programs.forms import SupervisorForm, SupervisorImportForm
from programs.models import Membership
from programs.services.supervisors import (
    import_supervisors,
    parse_supervisor_rows,
    set_supervisor,
    set_supervisor_conflict,
)


@require_POST
def dyad_supervisor(request, pk):
    """Record or clear, on a live dyad, that the mentor is the mentee's supervisor."""
    dyad = dyad_for_admin(request.user, pk=pk)
    value = request.POST.get("mentor_is_supervisor") == "1"
    try:
        set_supervisor_conflict(dyad=dyad, by=request.user, value=value)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Recorded: the mentor is the mentee's supervisor; the dyad is flagged.")
            if value
            else _("Cleared: the dyad is no longer flagged for a supervisor conflict."),
        )
    return redirect(dyad)


def member_supervisor(request, slug, user_pk):
    """The admin records a member's administrative supervisor (chosen among the program's members)."""
    program = program_for_admin(request.user, slug=slug)
    membership = get_visible_or_404(
        Membership.objects.filter(program=program).select_related("user__profile"),
        request.user,
        user_id=user_pk,
        role__in=[Membership.Role.MENTEE, Membership.Role.MENTOR],
    )
    person = membership.user
    profile = getattr(person, "profile", None)
    current = profile.supervisor if profile is not None else None
    form = SupervisorForm(request.POST or None, program=program, person=person)
    if form.is_valid():
        try:
            set_supervisor(
                program=program,
                person=person,
                supervisor=form.cleaned_data["supervisor"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The supervisor of %(person)s is saved.") % {"person": person}
            )
            return redirect("programs:members", program.slug)
    return render(
        request,
        "programs/member_supervisor.html",
        {"program": program, "person": person, "current": current, "form": form},
    )


def supervisors_import(request, slug):
    """Many supervisors at once, from a spreadsheet's two columns; all lines or none."""
    program = program_for_admin(request.user, slug=slug)
    form = SupervisorImportForm(request.POST or None)
    if form.is_valid():
        try:
            changed = import_supervisors(
                program=program,
                by=request.user,
                rows=parse_supervisor_rows(form.cleaned_data["text"]),
            )
        except ValidationError as error:
            # The lines to fix are listed once, in the summary at the top; the field only says
            # where to look (as a field error they were listed there and again beside the field).
            form.add_error(None, error)
            form.add_error(
                "text",
                ngettext(
                    "%(count)d line to fix, listed above.",
                    "%(count)d lines to fix, listed above.",
                    len(error.messages),
                )
                % {"count": len(error.messages)},
            )
        else:
            messages.success(
                request, _("%(count)d supervisors recorded or cleared.") % {"count": changed}
            )
            return redirect("programs:members", program.slug)
    return render(request, "programs/supervisors_import.html", {"program": program, "form": form})
