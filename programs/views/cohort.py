"""The cohort run: mentors proposed for all the unpaired mentees at once, confirmed together."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from mentoring.converters import parse_id
from mentoring.search import contains
from programs import matching
from programs.access import program_for_admin
from programs.forms import CohortFilterForm
from programs.models import Membership
from programs.services.pairing import confirm_cohort

COHORT_ALTERNATIVES = 4


def cohort(request, slug):
    """Propose mentors for the unpaired mentees at once (the best total within every capacity and
    exclusion); the admin keeps, changes or removes rows, then confirms all in one transaction."""
    program = program_for_admin(request.user, slug=slug)
    filter_form = CohortFilterForm(request.GET or None)
    query = filter_form.cleaned_data["q"] if filter_form.is_valid() else ""
    mentees = matching.unpaired_mentees(program)
    if query:
        mentees = [m for m in mentees if contains(query, m.name, m.email, m.department)]
    if request.method == "POST":
        return _confirm_cohort(request, program, mentees)
    rows = []
    if request.GET.get("run") or query:
        world = matching.MatchWorld.load(program)
        rows = matching.solve_cohort(world, mentees, alternatives=COHORT_ALTERNATIVES)
    return render(
        request,
        "programs/cohort.html",
        {
            "program": program,
            "filter_form": filter_form,
            "mentee_count": len(mentees),
            "rows": rows,
            "ran": bool(rows) or bool(request.GET.get("run")),
            "paired_count": sum(1 for row in rows if row.match is not None),
            "total_score": sum(row.match.score for row in rows if row.match is not None),
            "needs_approval": program.requests_need_approval,
        },
    )


def _confirm_cohort(request, program, mentees):
    by_id = {m.pk: m for m in mentees}
    mentor_ids = {
        m.user_id: m.user
        for m in program.memberships.filter(role=Membership.Role.MENTOR).select_related("user")
    }
    pairs = []
    for key, value in request.POST.items():
        if not key.startswith("mentor_") or not value:
            continue
        mentee_id, mentor_id = parse_id(key.removeprefix("mentor_")), parse_id(value)
        if mentee_id is None or mentor_id is None:
            continue
        mentee, mentor = by_id.get(mentee_id), mentor_ids.get(mentor_id)
        if mentee is None or mentor is None:
            messages.error(
                request,
                _("A row of the draft no longer fits (someone was paired meanwhile): run again."),
            )
            return redirect(reverse("programs:cohort", args=[program.slug]) + "?run=1")
        pairs.append((mentee, mentor))
    try:
        dyads = confirm_cohort(program=program, by=request.user, pairs=pairs)
    except ValidationError as error:
        messages.error(
            request,
            " ".join(error.messages)
            + " "
            + _("Change or remove that row, or raise the mentor's capacity, and confirm again."),
        )
        return redirect(reverse("programs:cohort", args=[program.slug]) + "?run=1")
    messages.success(
        request,
        _("%(count)d pairs confirmed; each person has been told.") % {"count": len(dyads)},
    )
    return redirect(program)
