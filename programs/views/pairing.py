"""Pairing that never dead-ends: the admin's pair, supplemental and re-pair pages ranked by
programs/matching.py, making a supplemental mentor primary, the cohort run, supervisors, and the
re-pair requests mentees and mentors send.

The pages work without JavaScript (plain GET forms and links); with htmx, choosing a mentee or
typing in a search swaps only the part of the page that changes (`data-hx-select`).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentoring.access import get_visible_or_404, require
from mentoring.models import User
from programs import matching, rules
from programs.access import dyad_for_admin, program_for_admin
from programs.forms import (
    CohortFilterForm,
    PairChoiceForm,
    RePairChoiceForm,
    RePairRequestForm,
    SupervisorForm,
    SupervisorImportForm,
    SupplementalChoiceForm,
)
from programs.models import Dyad, Membership, RePairRequest
from programs.selectors import mentee_memberships, open_primary_dyad
from programs.services import pairing as pairing_services
from programs.services import profiles as profiles_services
from programs.services import requests as requests_services
from programs.services import supervisors as supervisors_services
from programs.views.dyads import _posted, _supervisor_confirmation

SUGGESTIONS_SHOWN = 10
MENTEES_SHOWN = 20
COHORT_ALTERNATIVES = 4


def _mentee_memberships(program):
    return mentee_memberships([program.pk]).select_related("user__profile")


def _search(queryset, query: str, prefix: str = "user__"):
    if not query:
        return queryset
    return queryset.filter(
        Q(**{f"{prefix}name__icontains": query})
        | Q(**{f"{prefix}email__icontains": query})
        | Q(**{f"{prefix}department__icontains": query})
    )


def _mentee_picker(request, program) -> dict:
    """The searched mentees (unpaired first, at most MENTEES_SHOWN) and the chosen one (or None)."""
    query = request.GET.get("mentee_q", "").strip()
    raw = request.POST.get("mentee") or request.GET.get("mentee") or ""
    chosen = None
    if raw.isdigit():
        chosen = _mentee_memberships(program).filter(user_id=int(raw)).first()
    found = list(
        _search(_mentee_memberships(program), query).order_by(
            "has_primary", "user__name", "user__email"
        )[: MENTEES_SHOWN + 1]
    )
    return {
        "mentee_q": query,
        "found_mentees": found[:MENTEES_SHOWN],
        "more_mentees": len(found) > MENTEES_SHOWN,
        "mentee_membership": chosen,
        "mentee": chosen.user if chosen else None,
    }


def _mentor_filter(matches, query: str):
    if not query:
        return matches
    query = query.lower()
    return [
        m
        for m in matches
        if query in m.mentor.name.lower()
        or query in m.mentor.email.lower()
        or query in m.mentor.expertise.lower()
        or query in m.mentor.department.lower()
    ]


def _suggestion_context(request, program, mentee, *, supervisor_confirmed=False) -> dict:
    """The ranked mentors for the mentee: the first SUGGESTIONS_SHOWN (or the searched ones), and
    the excluded ones with their reasons; at-capacity mentors only as a count beside the best few."""
    if mentee is None:
        return {
            "suggested": [],
            "excluded": [],
            "at_capacity": [],
            "mentor_q": "",
            "choosable": False,
        }
    world = matching.MatchWorld.load(program, mentee_ids=[mentee.pk])
    suggested, excluded = world.suggestions(mentee, supervisor_confirmed=supervisor_confirmed)
    query = request.GET.get("mentor_q", "").strip()
    suggested = _mentor_filter(suggested, query)
    excluded = _mentor_filter(excluded, query)
    at_capacity = [m for m in excluded if m.exclusion == matching.AT_CAPACITY]
    return {
        "suggested": suggested[: SUGGESTIONS_SHOWN * (3 if query else 1)],
        "more_suggested": max(len(suggested) - SUGGESTIONS_SHOWN * (3 if query else 1), 0),
        "excluded": [m for m in excluded if m.exclusion != matching.AT_CAPACITY],
        # Something to choose: a suggestion, or the supervisor (after a confirmation).
        "choosable": bool(suggested) or any(m.may_choose_anyway for m in excluded),
        "at_capacity": at_capacity[:3],
        "at_capacity_count": len(at_capacity),
        "mentor_q": query,
    }


def pair(request, slug):
    """Choose a mentee (search), see the mentors ranked with reasons, pair with one."""
    program = program_for_admin(request.user, slug=slug)
    picker = _mentee_picker(request, program)
    mentee = picker["mentee"]
    form = PairChoiceForm(request.POST or None, program=program)
    if _posted(request) and form.is_valid():
        data = form.cleaned_data
        if data["mentee"].pk != getattr(mentee, "pk", None):
            mentee = data["mentee"]
        if supervisors_services.recorded_supervisor(data["mentee"], data["mentor"]):
            form.cleaned_data["mentor_is_supervisor"] = True
        confirmation = _supervisor_confirmation(
            request,
            form,
            heading=_("Pair %(mentee)s with their supervisor?") % {"mentee": data["mentee"]},
            mentor=data["mentor"],
            mentee=data["mentee"],
        )
        if confirmation:
            return confirmation
        try:
            dyad = pairing_services.pair_mentee(
                program=program,
                mentor=data["mentor"],
                mentee=data["mentee"],
                by=request.user,
                mentor_is_supervisor=data["mentor_is_supervisor"],
                cadence_days=data["cadence_days"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(dyad)s is paired.") % {"dyad": dyad})
            return redirect(dyad)
    current = (
        open_primary_dyad(program=program, mentee=mentee)
        if picker["mentee_membership"] is not None and picker["mentee_membership"].has_primary
        else None
    )
    return render(
        request,
        "programs/pair.html",
        {
            "program": program,
            "form": form,
            "current_primary": current,
            "page_url": reverse("programs:pair", args=[program.slug]),
            **picker,
            **_suggestion_context(request, program, mentee),
        },
    )


def add_supplemental(request, slug):
    """A mentor for one focus area beside the primary one: capacity does not apply."""
    program = program_for_admin(request.user, slug=slug)
    picker = _mentee_picker(request, program)
    mentee = picker["mentee"]
    form = SupplementalChoiceForm(request.POST or None, program=program)
    if _posted(request) and form.is_valid():
        data = form.cleaned_data
        if supervisors_services.recorded_supervisor(data["mentee"], data["mentor"]):
            form.cleaned_data["mentor_is_supervisor"] = True
        confirmation = _supervisor_confirmation(
            request,
            form,
            heading=_("Add %(mentee)s's supervisor as a supplemental mentor?")
            % {"mentee": data["mentee"]},
            mentor=data["mentor"],
            mentee=data["mentee"],
        )
        if confirmation:
            return confirmation
        try:
            dyad = pairing_services.add_supplemental_mentor(
                program=program,
                mentor=data["mentor"],
                mentee=data["mentee"],
                by=request.user,
                focus_area=data["focus_area"],
                ends_on=data["ends_on"],
                mentor_is_supervisor=data["mentor_is_supervisor"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(dyad)s is a supplemental dyad now.") % {"dyad": dyad})
            return redirect(dyad)
    context = _suggestion_context(request, program, mentee)
    # Capacity counts primary mentees only: a mentor at capacity can still be supplemental.
    context["suggested"] = context["suggested"] + context.pop("at_capacity")
    context["at_capacity_count"] = 0
    context["choosable"] = context["choosable"] or bool(context["suggested"])
    return render(
        request,
        "programs/supplemental.html",
        {
            "program": program,
            "form": form,
            "page_url": reverse("programs:add_supplemental", args=[program.slug]),
            **picker,
            **context,
        },
    )


def dyad_re_pair(request, pk):
    dyad = dyad_for_admin(
        request.user, pk=pk, queryset=Dyad.objects.select_related("mentee__profile")
    )
    if not dyad.is_open:
        messages.info(request, _("This dyad has already ended; pair the mentee anew instead."))
        return redirect(dyad)
    form = RePairChoiceForm(request.POST or None, dyad=dyad)
    if _posted(request) and form.is_valid():
        data = form.cleaned_data
        if supervisors_services.recorded_supervisor(dyad.mentee, data["new_mentor"]):
            form.cleaned_data["mentor_is_supervisor"] = True
        confirmation = _supervisor_confirmation(
            request,
            form,
            heading=_("Re-pair %(mentee)s with their supervisor?") % {"mentee": dyad.mentee},
            mentor=data["new_mentor"],
            mentee=dyad.mentee,
        )
        if confirmation:
            return confirmation
        try:
            new = pairing_services.re_pair_mentee(
                dyad=dyad,
                by=request.user,
                new_mentor=data["new_mentor"],
                reason=data["reason"],
                note=data["note"],
                mentor_is_supervisor=data["mentor_is_supervisor"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(mentee)s is re-paired with %(mentor)s. The previous dyad stays readable.")
                % {"mentee": new.mentee, "mentor": new.mentor},
            )
            return redirect(new)
    return render(
        request,
        "programs/dyad_re_pair.html",
        {
            "dyad": dyad,
            "program": dyad.program,
            "form": form,
            "mentee": dyad.mentee,
            "page_url": reverse("programs:dyad_re_pair", args=[dyad.pk]),
            "open_requests": list(
                dyad.re_pair_requests.filter(handled_at=None).values_list("id", flat=True)
            ),
            **_suggestion_context(request, dyad.program, dyad.mentee),
        },
    )


def make_primary(request, pk):
    """A supplemental mentor becomes the primary one (ending the current primary dyad, if any, in
    the same transaction). GET asks, POST does."""
    dyad = dyad_for_admin(request.user, pk=pk)
    refusal = rules.make_primary_refusal(dyad)
    if refusal:
        messages.info(request, refusal)
        return redirect(dyad)
    current = open_primary_dyad(program=dyad.program, mentee=dyad.mentee)
    if request.method == "POST":
        try:
            pairing_services.make_primary(dyad=dyad, by=request.user, replacing=current)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(mentor)s is %(mentee)s's primary mentor now.")
                % {"mentor": dyad.mentor, "mentee": dyad.mentee},
            )
            return redirect(dyad)
    return render(
        request,
        "programs/make_primary.html",
        {"dyad": dyad, "program": dyad.program, "current": current},
    )


@require_POST
def dyad_supervisor(request, pk):
    """Record or clear, on a live dyad, that the mentor is the mentee's supervisor."""
    dyad = dyad_for_admin(request.user, pk=pk)
    value = request.POST.get("mentor_is_supervisor") == "1"
    try:
        supervisors_services.set_supervisor_conflict(dyad=dyad, by=request.user, value=value)
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
            supervisors_services.set_supervisor(
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
            changed = supervisors_services.import_supervisors(
                program=program,
                by=request.user,
                rows=supervisors_services.parse_supervisor_rows(form.cleaned_data["text"]),
            )
        except ValidationError as error:
            form.add_error("text", error)
        else:
            messages.success(
                request, _("%(count)d supervisors recorded or cleared.") % {"count": changed}
            )
            return redirect("programs:members", program.slug)
    return render(request, "programs/supervisors_import.html", {"program": program, "form": form})


# --- The cohort run ------------------------------------------------------------------------------


def cohort(request, slug):
    """Propose mentors for the unpaired mentees at once (the best total within every capacity and
    exclusion); the admin keeps, changes or removes rows, then confirms all in one transaction."""
    program = program_for_admin(request.user, slug=slug)
    filter_form = CohortFilterForm(request.GET or None)
    query = filter_form.cleaned_data["q"] if filter_form.is_valid() else ""
    mentees = matching.unpaired_mentees(program)
    if query:
        q = query.lower()
        mentees = [
            m
            for m in mentees
            if q in m.name.lower() or q in m.email.lower() or q in m.department.lower()
        ]
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
        mentee_id, mentor_id = key.removeprefix("mentor_"), value
        if not (mentee_id.isdigit() and mentor_id.isdigit()):
            continue
        mentee, mentor = by_id.get(int(mentee_id)), mentor_ids.get(int(mentor_id))
        if mentee is None or mentor is None:
            messages.error(
                request,
                _("A row of the draft no longer fits (someone was paired meanwhile): run again."),
            )
            return redirect(reverse("programs:cohort", args=[program.slug]) + "?run=1")
        pairs.append((mentee, mentor))
    try:
        dyads = pairing_services.confirm_cohort(program=program, by=request.user, pairs=pairs)
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


# --- Re-pair requests from the mentee or the mentor ---------------------------------------------


def request_re_pair(request, pk):
    dyad = get_visible_or_404(
        Dyad.objects.select_related("program", "mentor", "mentee"), request.user, pk=pk
    )
    require(dyad.role_of(request.user) is not None)
    refusal = rules.re_pair_request_refusal(dyad)
    form = RePairRequestForm(request.POST or None)
    if not refusal and form.is_valid():
        try:
            requests_services.request_re_pair(
                dyad=dyad, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Your request is with the program's admins, who will be in touch. "
                    "%(partner)s is not told."
                )
                % {"partner": dyad.partner_of(request.user)},
            )
            return redirect(dyad)
    return render(
        request,
        "programs/request_re_pair.html",
        {
            "dyad": dyad,
            "program": dyad.program,
            "partner": dyad.partner_of(request.user),
            "form": form,
            "refusal": refusal,
        },
    )


def re_pair_request_detail(request, pk):
    """The admins read the reason and act: re-pair, or mark the request handled."""
    re_pair_request = get_visible_or_404(
        RePairRequest.objects.select_related(
            "dyad__program", "dyad__mentor", "dyad__mentee", "requested_by"
        ),
        request.user,
        pk=pk,
    )
    dyad = re_pair_request.dyad
    require(rules.administers(request.user, dyad.program))
    if request.method == "POST" and re_pair_request.handled_at is None:
        requests_services.handle_re_pair_request(re_pair_request=re_pair_request, by=request.user)
        messages.success(request, _("Marked as handled."))
        return redirect(dyad)
    return render(
        request,
        "programs/re_pair_request.html",
        {
            "re_pair_request": re_pair_request,
            "dyad": dyad,
            "program": dyad.program,
            "actions": rules.dyad_actions(request.user, dyad, admin=True),
        },
    )


# --- Profiles -----------------------------------------------------------------------------------


def profile_status(request, slug):
    """Who in the program has not completed their profile; the admin reminds them."""
    program = program_for_admin(request.user, slug=slug)
    incomplete = (
        User.objects.filter(
            memberships__program=program,
            memberships__role__in=[Membership.Role.MENTOR, Membership.Role.MENTEE],
        )
        .filter(Q(profile__isnull=True) | Q(profile__completed_at__isnull=True))
        .select_related("profile")
        .distinct()
        .order_by("name", "email")
    )
    if request.method == "POST":
        people = list(incomplete)
        count = profiles_services.remind_profile(program=program, by=request.user, people=people)
        messages.success(request, _("%(count)d reminders are on their way.") % {"count": count})
        return redirect("programs:profile_status", program.slug)
    page = Paginator(incomplete, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "programs/profile_status.html",
        {"program": program, "page": page, "people": list(page.object_list)},
    )
