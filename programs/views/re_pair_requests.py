"""Re-pair requests: the mentee or the mentor asks the program's admins for a different pairing
(the partner is not told); the admins read the reason and act."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mentoring.access import get_visible_or_404, require
from programs import rules
from programs.forms import RePairRequestForm
from programs.models import Dyad, RePairRequest
from programs.services import requests as request_services


def request_re_pair(request, pk):
    dyad = get_visible_or_404(
        Dyad.objects.select_related("program", "mentor", "mentee"), request.user, pk=pk
    )
    require(dyad.role_of(request.user) is not None)
    refusal = rules.re_pair_request_refusal(dyad)
    form = RePairRequestForm(request.POST or None)
    if not refusal and form.is_valid():
        try:
            request_services.request_re_pair(
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
        request_services.handle_re_pair_request(re_pair_request=re_pair_request, by=request.user)
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
