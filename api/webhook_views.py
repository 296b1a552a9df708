"""A program admin's webhook endpoints: register (the secret shown once), the delivery log,
"send a test event", switch on again after it was switched off, delete (after confirmation)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from api import crypto
from api.models import WebhookAttempt, WebhookEndpoint
from api.webhook_forms import EndpointForm
from api.webhooks import new_secret, send_test_event
from mentoring.access import get_visible_or_404
from programs.access import program_for_admin

PER_PAGE = 25


@never_cache
def endpoints(request, slug):
    program = program_for_admin(request.user, slug=slug)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        secret = new_secret()
        endpoint = WebhookEndpoint.objects.create(
            program=program,
            url=form.cleaned_data["url"],
            description=form.cleaned_data["description"],
            events=sorted(form.cleaned_data["events"]),
            secret_encrypted=crypto.encrypt(secret),
            created_by=request.user,
        )
        return render(
            request,
            "api/webhook_created.html",
            {"program": program, "endpoint": endpoint, "secret": secret},
        )
    listing = program.webhook_endpoints.all()
    page = Paginator(listing, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "api/webhooks.html", {"program": program, "form": form, "page": page})


def _endpoint(request, pk) -> WebhookEndpoint:
    return get_visible_or_404(
        WebhookEndpoint.objects.select_related("program"), request.user, pk=pk
    )


def endpoint_detail(request, pk):
    endpoint = _endpoint(request, pk)
    log = (
        WebhookAttempt.objects.filter(delivery__endpoint=endpoint)
        .select_related("delivery")
        .order_by("-at", "-id")
    )
    page = Paginator(log, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "api/webhook_detail.html",
        {"program": endpoint.program, "endpoint": endpoint, "page": page},
    )


@require_POST
def send_test(request, pk):
    endpoint = _endpoint(request, pk)
    with transaction.atomic():
        send_test_event(endpoint=endpoint)
    messages.success(request, _("A test event is on its way: its answer appears in the log below."))
    return redirect("integrations:webhook", endpoint.pk)


@require_POST
def enable(request, pk):
    endpoint = _endpoint(request, pk)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        disabled_at=None, disabled_reason="", failures_in_a_row=0
    )
    messages.success(request, _("The endpoint is on again: new events are sent to it."))
    return redirect("integrations:webhook", endpoint.pk)


def delete(request, pk):
    endpoint = _endpoint(request, pk)
    back = reverse("integrations:webhooks", args=[endpoint.program.slug])
    if request.method == "POST":
        endpoint.delete()
        messages.success(request, _("The endpoint is deleted: nothing more is sent to it."))
        return redirect(back)
    return render(request, "api/webhook_delete.html", {"endpoint": endpoint, "back": back})
