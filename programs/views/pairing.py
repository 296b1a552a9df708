"""Pairing that never dead-ends: the admin's pair, supplemental and re-pair pages, the mentors
ranked by programs/matching.py, and making a supplemental mentor primary. The cohort run, the
supervisors and the re-pair requests have their own modules beside this one.

The pages work without JavaScript (plain GET forms and links); with htmx, choosing a mentee or
typing in a search swaps only the part of the page that changes (`data-hx-select`).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from mentoring.converters import parse_id
from mentoring.search import contains
from mentoring.search import matching as text_matching
from programs import matching, rules
from programs.access import dyad_for_admin, program_for_admin
from programs.forms import PairChoiceForm, RePairChoiceForm, SupplementalChoiceForm
from programs.models import Dyad
from programs.selectors import mentee_memberships, open_primary_dyad
from programs.services import pairing as pairing_services
from programs.services.supervisors import recorded_supervisor

SUGGESTIONS_SHOWN = 10
MENTEES_SHOWN = 20
# What a search of people looks in, case and accents aside.
SEARCHED = ("name", "email", "department")


def _posted(request) -> bool:
    """A submit that should act (not the 'change something' button of the confirmation page)."""
    return request.method == "POST" and "edit" not in request.POST


def _supervisor_confirmation(request, form, *, heading: str, mentor, mentee):
    """The blurred-roles warning, when the mentor is the mentee's supervisor (recorded on the
    mentee's profile, or ticked on the form): a page that asks before pairing them. A second
    submit with confirm=1 proceeds, `edit` goes back. None: nothing to ask, go ahead."""
    if recorded_supervisor(mentee, mentor):
        form.cleaned_data["mentor_is_supervisor"] = True
    if not form.cleaned_data.get("mentor_is_supervisor") or request.POST.get("confirm") == "1":
        return None
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", "confirm", "edit", "save")
        for value in values
    ]
    return render(
        request,
        "programs/confirm_supervisor.html",
        {"heading": heading, "fields": fields, "mentor": mentor, "mentee": mentee},
    )


def _mentee_memberships(program):
    return mentee_memberships([program.pk]).select_related("user__profile")


def _search(queryset, query: str, prefix: str = "user__"):
    if not query:
        return queryset
    return queryset.filter(text_matching(query, [f"{prefix}{name}" for name in SEARCHED]))


def _mentee_picker(request, program) -> dict:
    """The searched mentees (unpaired first, at most MENTEES_SHOWN) and the chosen one (or None)."""
    query = request.GET.get("mentee_q", "").strip()
    mentee_id = parse_id(request.POST.get("mentee") or request.GET.get("mentee"))
    chosen = None
    if mentee_id is not None:
        chosen = _mentee_memberships(program).filter(user_id=mentee_id).first()
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
    return [
        m
        for m in matches
        if contains(query, m.mentor.name, m.mentor.email, m.mentor.expertise, m.mentor.department)
    ]


def _suggestion_context(request, program, mentee, *, supervisor_confirmed=False) -> dict:
    """The ranked mentors for the mentee: the first SUGGESTIONS_SHOWN (or the searched ones), and
    the excluded ones with their reasons; at-capacity mentors only as a count beside the best few."""
    if mentee is None:
        return {
            "suggested": [],
            "excluded": [],
            "not_suggested": [],
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
        # Listed under "Not suggested, and why": the supervisor is offered with the suggestions.
        "not_suggested": [
            m for m in excluded if m.exclusion != matching.AT_CAPACITY and not m.may_choose_anyway
        ],
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
    context["suggested"] = matching.best_first(context["suggested"] + context.pop("at_capacity"))
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
