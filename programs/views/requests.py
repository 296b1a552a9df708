"""Chosen, not only assigned: a mentee browses mentors and asks one; the mentor answers;
the program admin approves or overrides."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mentoring.access import get_visible_or_404, require
from mentoring.converters import parse_id
from mentoring.paging import query_without
from programs import matching, rules
from programs.access import program_for_admin
from programs.forms import DeclineForm, MentorRequestForm
from programs.models import Dyad, Membership, MentorRequest, Program
from programs.selectors import (
    has_role,
    is_program_admin,
    mentee_request_state,
    pending_requests,
    proposed_dyads,
    shared_topics,
)
from programs.services import dyads as dyad_services
from programs.services import requests as request_services

MENTORS_PER_PAGE = 20
REQUESTS_PER_PAGE = 50  # the admin's waiting lists


def mentors(request, slug):
    """The mentor directory: for a mentee, in suggestion order with the reasons (never their
    supervisor, nor a mentor whose earlier dyad with them ended for poor fit); paginated."""
    program = get_visible_or_404(Program, request.user, slug=slug)
    is_mentee = has_role(request.user, program, Membership.Role.MENTEE)
    require(is_mentee or is_program_admin(request.user, program))
    state = (
        mentee_request_state(program, request.user)
        if is_mentee
        else {"primary_dyad": None, "pending_request": None}
    )
    if is_mentee:
        world = matching.MatchWorld.load(program, mentee_ids=[request.user.pk])
        suggested, excluded = world.suggestions(request.user)
        # Shown: the suggestions, then who is full, is already the mentee's mentor (never the
        # supervisor, nor a former mentor whose dyad with them ended for poor fit).
        supervisor_id = getattr(getattr(request.user, "profile", None), "supervisor_id", None)
        listing = suggested + [
            m
            for m in excluded
            if m.exclusion in (matching.AT_CAPACITY, matching.CURRENT, matching.SUPPLEMENTAL)
            and m.mentor.pk != supervisor_id
        ]
    else:
        world = matching.MatchWorld.load(program, mentee_ids=[])
        listing = [matching.Match(m) for m in world.mentors]
    page = Paginator(listing, MENTORS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "programs/mentors.html",
        {
            "program": program,
            "page": page,
            "matches": list(page.object_list),
            "is_mentee": is_mentee,
            "can_request": is_mentee
            and state["primary_dyad"] is None
            and state["pending_request"] is None,
            **state,
        },
    )


def request_mentor(request, slug, user_pk):
    program = get_visible_or_404(Program, request.user, slug=slug)
    require(has_role(request.user, program, Membership.Role.MENTEE))
    # The mentor comes from the program's mentor directory, which every member can see.
    membership = get_visible_or_404(
        Membership.objects.filter(program=program, role=Membership.Role.MENTOR).select_related(
            "user"
        ),
        request.user,
        user_id=user_pk,
    )
    mentor = membership.user
    form = MentorRequestForm(request.POST or None)
    if form.is_valid():
        try:
            mentor_request = request_services.request_mentor(
                program=program, mentee=request.user, mentor=mentor, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your request is on its way to %(mentor)s. You will see the answer here.")
                % {"mentor": mentor},
            )
            return redirect("programs:request", mentor_request.pk)
    return render(
        request,
        "programs/request_mentor.html",
        {
            "program": program,
            "mentor": mentor,
            "membership": membership,
            "shared": shared_topics(mentor, request.user),
            "form": form,
            **mentee_request_state(program, request.user),
        },
    )


def request_detail(request, pk):
    mentor_request = get_visible_or_404(
        MentorRequest.objects.select_related("program", "mentor", "mentee", "dyad", "responded_by"),
        request.user,
        pk=pk,
    )
    is_mentor = request.user.pk == mentor_request.mentor_id
    is_mentee = request.user.pk == mentor_request.mentee_id
    is_admin = is_program_admin(request.user, mentor_request.program)
    decline_form = DeclineForm(request.POST if request.POST.get("decision") == "decline" else None)
    refusal = ""  # why the service said no, shown above the forms
    if request.method == "POST":
        decision = request.POST.get("decision")
        require(is_mentor or (is_admin and decision == "decline"))
        try:
            if decision == "accept":
                dyad = request_services.accept_mentor_request(
                    mentor_request=mentor_request, by=request.user
                )
                if dyad.status == Dyad.Status.PROPOSED:
                    messages.success(
                        request,
                        _("Accepted. The program admin approves the pairing before it starts."),
                    )
                else:
                    messages.success(
                        request,
                        _("Accepted: you are now %(mentee)s's mentor.") % {"mentee": dyad.mentee},
                    )
                return redirect(dyad)
            if decision == "decline" and decline_form.is_valid():
                request_services.decline_mentor_request(
                    mentor_request=mentor_request,
                    by=request.user,
                    reason=decline_form.cleaned_data["reason"],
                )
                messages.success(request, _("Declined. The mentee can see your reason."))
                if is_mentor:
                    return redirect("home")
                return redirect("programs:requests", mentor_request.program.slug)
        except ValidationError as error:
            refusal = " ".join(error.messages)
    return render(
        request,
        "programs/request_detail.html",
        {
            "mentor_request": mentor_request,
            "program": mentor_request.program,
            "is_mentor": is_mentor,
            "is_mentee": is_mentee,
            "is_admin": is_admin,
            "is_pending": mentor_request.status == MentorRequest.Status.PENDING,
            # What the viewer may do: the page shows a control only for an action in this set.
            "actions": rules.request_actions(request.user, mentor_request, admin=is_admin),
            "shared": shared_topics(mentor_request.mentor, mentor_request.mentee),
            "decline_form": decline_form,
            "refusal": refusal,
        },
    )


@require_POST
def request_withdraw(request, pk):
    mentor_request = get_visible_or_404(
        MentorRequest.objects.select_related("program"), request.user, pk=pk
    )
    require(request.user.pk == mentor_request.mentee_id)
    try:
        request_services.withdraw_mentor_request(mentor_request=mentor_request, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("programs:request", mentor_request.pk)
    messages.success(request, _("Your request is withdrawn. You can ask another mentor."))
    return redirect("programs:mentors", mentor_request.program.slug)


def program_requests(request, slug):
    program = program_for_admin(request.user, slug=slug)
    answered = (
        program.mentor_requests.exclude(status=MentorRequest.Status.PENDING)
        .select_related("mentor", "mentee", "responded_by")
        .order_by("-responded_at")[:20]
    )
    # Both waiting lists grow with the program (a cohort asking at once): in pages.
    proposed = Paginator(proposed_dyads(program).order_by("created_at", "pk"), REQUESTS_PER_PAGE)
    pending = Paginator(pending_requests(program).order_by("created_at", "pk"), REQUESTS_PER_PAGE)
    return render(
        request,
        "programs/requests.html",
        {
            "program": program,
            "pending": pending.get_page(request.GET.get("page")),
            "proposed": proposed.get_page(request.GET.get("proposed")),
            "pending_query": query_without(request, "page"),
            "proposed_query": query_without(request, "proposed"),
            "answered": list(answered),
        },
    )


def approve_all(request, slug):
    """Every pairing waiting for the admin's approval, approved at once after a confirmation page
    that lists them: exactly the ones listed (the form carries their ids), in one transaction."""
    program = program_for_admin(request.user, slug=slug)
    if request.method == "POST":
        # Ids as the URL converter takes them: digits within a 64-bit id, anything else dropped.
        ids = [i for i in map(parse_id, request.POST.getlist("dyad")) if i is not None]
        try:
            approved = dyad_services.approve_dyads(program=program, by=request.user, dyad_ids=ids)
        except ValidationError as error:  # one refused: none approved
            messages.error(request, _("Nothing was approved. %s") % " ".join(error.messages))
            return redirect("programs:requests", program.slug)
        if not approved:
            messages.info(request, _("No pairing was waiting any more: nothing was approved."))
            return redirect("programs:requests", program.slug)
        messages.success(
            request,
            ngettext(
                "%(count)d pairing approved; both people have been told.",
                "%(count)d pairings approved; each person has been told.",
                len(approved),
            )
            % {"count": len(approved)},
        )
        return redirect("programs:requests", program.slug)
    return render(
        request,
        "programs/approve_all.html",
        {"program": program, "waiting": list(proposed_dyads(program).order_by("created_at", "pk"))},
    )
