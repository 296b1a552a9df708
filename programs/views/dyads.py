"""The program admin's dashboard and dyad pages, and the dyad page its two people share."""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from mentoring import registry
from mentoring.access import get_visible_or_404, require
from programs import rules
from programs.access import dyad_for_admin, program_for_admin
from programs.forms import (
    AgreementForm,
    CadenceForm,
    DeclineProposedForm,
    EndDyadForm,
    ProgramSettingsForm,
)
from programs.models import PROGRAM_SETTINGS_FIELDS, Agreement, Dyad, Membership
from programs.selectors import (
    DYAD_FILTERS,
    dashboard_dyads,
    dashboard_rows,
    dyad_counts,
    dyad_history,
)
from programs.services.agreements import acknowledge_agreement, update_agreement
from programs.services.dyads import (
    approve_dyad,
    decline_proposed_dyad,
    end_dyad,
    pause_dyad,
    resume_dyad,
    set_dyad_cadence,
)
from programs.services.program import update_program_settings

DYAD_DETAIL_RELATIONS = ("program", "mentor", "mentee", "agreement", "replaces__mentor")


def _filter_label(key: str) -> str:
    """A status filter's name: a dyad status's own label, or "Open" / "All" (of the dyads)."""
    if key in Dyad.Status.values:
        return Dyad.Status(key).label
    return pgettext("dyads", "Open") if key == "open" else pgettext("dyads", "All")


def _safe_next(request) -> str | None:
    """Where a POST action returns to, if it named a page of this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


DYADS_PER_PAGE = 50


class CountedPaginator(Paginator):
    """A paginator told its count: the status counts already know it, so no COUNT query. Told
    nothing (a search), it counts as Django's does."""

    def __init__(self, object_list, per_page, *, count: int | None = None):
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return super().count if self.known_count is None else self.known_count


def program_detail(request, slug):
    program = program_for_admin(request.user, slug=slug)
    status = request.GET.get("status", "open")
    if status not in DYAD_FILTERS:
        status = "open"
    query = request.GET.get("q", "").strip()
    counts = dyad_counts(program)
    paginator = CountedPaginator(
        dashboard_dyads(program, status=status, query=query),
        DYADS_PER_PAGE,
        count=None if query else counts[status],
    )
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "program": program,
        "dyads": dashboard_rows(program, page.object_list),
        "page": page,
        "counts": counts,
        "filters": [(key, _filter_label(key), counts[key]) for key in DYAD_FILTERS],
        "status": status,
        "query": query,
    }
    panels, templates = registry.program_panels(program, request.user)
    context.update(panels, program_panels=templates)
    return render(request, "programs/program_detail.html", context)


def mentee_history(request, slug, user_pk):
    program = program_for_admin(request.user, slug=slug)
    # The person comes from a membership of this program the admin can see, never from User.
    membership = get_visible_or_404(
        Membership.objects.filter(program=program, role=Membership.Role.MENTEE).select_related(
            "user"
        ),
        request.user,
        user_id=user_pk,
    )
    return render(
        request,
        "programs/mentee_history.html",
        {
            "program": program,
            "mentee": membership.user,
            "dyads": list(dyad_history(program=program, mentee=membership.user)),
        },
    )


def dyad_detail(request, pk):
    dyad = get_visible_or_404(
        Dyad.objects.select_related(*DYAD_DETAIL_RELATIONS), request.user, pk=pk
    )
    is_admin = rules.administers(request.user, dyad.program)
    return render(
        request,
        "programs/dyad_detail.html",
        {
            "dyad": dyad,
            "program": dyad.program,
            "agreement": getattr(dyad, "agreement", None),
            "is_admin": is_admin,
            "role": dyad.role_of(request.user),
            # What the viewer may do: the page shows a control only for an action in this set.
            "actions": rules.dyad_actions(request.user, dyad, admin=is_admin),
            # The pairings before and after this one are linked only for those who may open them:
            # a new mentor does not see the mentee's earlier dyad, nor the old mentor the new one.
            "followed_by": list(dyad.replaced_by.visible_to(request.user).select_related("mentor")),
            "previous_visible": dyad.replaces_id is not None
            and Dyad.objects.visible_to(request.user).filter(pk=dyad.replaces_id).exists(),
        },
    )


def dyad_end(request, pk):
    dyad = dyad_for_admin(request.user, pk=pk)
    if not dyad.is_open:
        messages.info(request, _("This dyad has already ended."))
        return redirect(dyad)
    form = EndDyadForm(request.POST or None)
    if form.is_valid():
        try:
            end_dyad(
                dyad=dyad,
                by=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The dyad has ended. Its meetings, notes and feedback stay readable."),
            )
            return redirect(dyad)
    return render(request, "programs/dyad_end.html", {"dyad": dyad, "form": form})


def _status_action(request, pk, service, done: str):
    dyad = dyad_for_admin(request.user, pk=pk)
    try:
        service(dyad=dyad, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(_safe_next(request) or dyad.get_absolute_url())


@require_POST
def dyad_pause(request, pk):
    return _status_action(request, pk, pause_dyad, _("The dyad is paused."))


@require_POST
def dyad_resume(request, pk):
    return _status_action(request, pk, resume_dyad, _("The dyad is active again."))


@require_POST
def dyad_approve(request, pk):
    # The dyad page's approve form also says whether the mentor is the mentee's supervisor.
    supervisor = (
        request.POST.get("mentor_is_supervisor") == "1"
        if request.POST.get("supervisor_asked")
        else None
    )

    def approve(*, dyad, by):
        return approve_dyad(dyad=dyad, by=by, mentor_is_supervisor=supervisor)

    return _status_action(request, pk, approve, _("Approved: the dyad is active now."))


@require_POST
def dyad_decline(request, pk):
    dyad = dyad_for_admin(request.user, pk=pk)
    form = DeclineProposedForm(request.POST)
    try:
        form.is_valid()
        decline_proposed_dyad(dyad=dyad, by=request.user, note=form.cleaned_data.get("note", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Not approved: the mentee can choose or be paired anew."))
    return redirect("programs:requests", dyad.program.slug)


def dyad_cadence(request, pk):
    dyad = dyad_for_admin(request.user, pk=pk)
    form = CadenceForm(
        request.POST or None, initial={"cadence_days": dyad.cadence_days}, program=dyad.program
    )
    if form.is_valid():
        try:
            set_dyad_cadence(
                dyad=dyad, by=request.user, cadence_days=form.cleaned_data["cadence_days"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting cadence is saved."))
            return redirect(dyad)
    return render(request, "programs/dyad_cadence.html", {"dyad": dyad, "form": form})


def _agreement_of(dyad: Dyad) -> Agreement:
    agreement = getattr(dyad, "agreement", None)  # every dyad made by the services has one
    if agreement is None:
        raise Http404
    return agreement


def agreement_edit(request, pk):
    dyad = get_visible_or_404(
        Dyad.objects.select_related("program", "mentor", "mentee", "agreement"),
        request.user,
        pk=pk,
    )
    require(rules.may_edit_agreement(request.user, dyad))
    agreement = _agreement_of(dyad)
    form = AgreementForm(
        request.POST or None,
        initial={
            "text": agreement.text,
            "meeting_frequency": agreement.meeting_frequency,
            "communication": agreement.communication,
            "confidentiality": agreement.confidentiality,
        },
    )
    if form.is_valid():
        try:
            update_agreement(agreement=agreement, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The agreement is saved. Both of you acknowledge the new version.")
            )
            return redirect(reverse("programs:dyad", args=[dyad.pk]) + "#agreement")
    return render(request, "programs/agreement_edit.html", {"dyad": dyad, "form": form})


@require_POST
def agreement_ack(request, pk):
    dyad = get_visible_or_404(
        Dyad.objects.select_related("program", "mentor", "mentee", "agreement"),
        request.user,
        pk=pk,
    )
    require(dyad.role_of(request.user) is not None)
    acknowledge_agreement(agreement=_agreement_of(dyad), by=request.user)
    messages.success(request, _("You have acknowledged the agreement."))
    return redirect(reverse("programs:dyad", args=[dyad.pk]) + "#agreement")


def program_settings(request, slug):
    program = program_for_admin(request.user, slug=slug)
    # The form edits a copy: on invalid input the page title keeps the saved name.
    form = ProgramSettingsForm(request.POST or None, instance=copy.copy(program))
    if form.is_valid():
        update_program_settings(
            program=program,
            by=request.user,
            **{name: form.cleaned_data[name] for name in PROGRAM_SETTINGS_FIELDS},
        )
        messages.success(request, _("The program's settings are saved."))
        return redirect(program)
    return render(request, "programs/program_settings.html", {"program": program, "form": form})
