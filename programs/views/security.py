"""The program admin's view of its members' security events (sign-ins, failures, second factors,
role changes), with its CSV. The events themselves are the core's (mentoring.security)."""

from django.core.paginator import Paginator
from django.shortcuts import render

from programs.access import program_for_admin
from programs.forms import SecurityEventFilterForm
from programs.models import Program
from programs.selectors import security_events
from programs.spreadsheet import csv_download

EVENTS_PER_PAGE = 50


def _filtered(request, program: Program):
    form = SecurityEventFilterForm(request.GET or None)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    return form, security_events(program, kind=kind)


def program_security(request, slug):
    program = program_for_admin(request.user, slug=slug)
    form, events = _filtered(request, program)
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "programs/security_events.html",
        {"program": program, "form": form, "page": page, "query_string": params.urlencode()},
    )


def program_security_csv(request, slug):
    program = program_for_admin(request.user, slug=slug)
    _form, events = _filtered(request, program)
    header = ["when", "event", "account", "by", "address", "login typed", "browser", "detail"]
    rows = (
        [
            event.created_at.isoformat(),
            event.kind,
            event.user.email if event.user_id and event.user else "",
            event.actor.email if event.actor_id and event.actor else "",
            event.ip_address,
            event.identifier,
            event.user_agent,
            event.detail,
        ]
        for event in events.iterator(chunk_size=2000)
    )
    return csv_download(f"{program.slug}-security-events.csv", header, rows)
