from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mentoring import privacy
from mentoring.forms import DeleteAccountForm, ProfileForm
from mentoring.models import SecurityEvent
from mentoring.registry import home_context
from mentoring.security import record_security_event


def home(request):
    return render(request, "home.html", home_context(request.user))


@login_not_required
@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database failure means "not healthy", never a 500 page
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("profile")
    return render(request, "profile.html", {"form": form})


def my_data(request):
    return render(request, "my_data.html", {"delete_form": DeleteAccountForm()})


def my_data_zip(request):
    response = HttpResponse(privacy.export_zip(request.user), content_type="application/zip")
    record_security_event(
        kind=SecurityEvent.Kind.EXPORT_DOWNLOADED, user=request.user, request=request
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="mentoring-my-data-{stamp}.zip"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def delete_account(request):
    form = DeleteAccountForm(request.POST)
    if form.is_valid():
        try:
            # Recorded first, while the account still has its name: the event table keeps it.
            with transaction.atomic():
                record_security_event(
                    kind=SecurityEvent.Kind.ACCOUNT_DELETED, user=request.user, request=request
                )
                privacy.delete_account(user=request.user, password=form.cleaned_data["password"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            logout(request)
            messages.success(
                request,
                _("Your account is deleted. Your pairings keep their history as “Former member”."),
            )
            return redirect("account_login")
    return render(request, "my_data.html", {"delete_form": form}, status=400)
