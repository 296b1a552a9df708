from allauth.socialaccount.models import SocialAccount, SocialApp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from mentoring import exports, privacy
from mentoring.downloads import download
from mentoring.forms import DeleteAccountForm, ProfileForm
from mentoring.models import SecurityEvent, User
from mentoring.registry import home_panels
from mentoring.security import record_security_event


def home(request):
    return render(request, "home.html", {"panels": home_panels(request.user)})


@login_not_required
@never_cache
def healthz(request):
    if settings.DRAIN_FILE.exists():  # SIGTERM: this node finishes its requests, takes no more
        return HttpResponse("draining", status=503, content_type="text/plain")
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


@login_not_required
@require_POST
def set_language(request):
    """The language switcher (mentoring/templatetags/languages.py): Django's set_language (the
    language cookie, then back to `next`), and for a signed-in person their saved preference too,
    so that e-mails and notices follow it as well."""
    code = request.POST.get("language", "")
    if code not in dict(settings.LANGUAGES):
        # Django's view accepts any language it has a catalog of (German, say): not ours.
        request.POST = request.POST.copy()
        request.POST["language"] = ""
        code = ""
    response = django_set_language(request)
    user = request.user
    if user.is_authenticated and code and user.language != code:
        User.objects.filter(pk=user.pk).update(language=code)
    return response


def _my_data_page(request, delete_form=None, status=200):
    """Someone who signs in only through their institution (no password here, or SSO_ONLY)
    confirms a deletion by signing in through it again: the page links to each institution their
    account is linked to, unless they just did."""
    user = request.user
    with_password = privacy.confirms_with_password(user)
    reconfirm = []
    if not with_password and not privacy.signed_in_through_sso_just_now(request, user):
        back = reverse("my_data") + "#delete-heading"
        for account in SocialAccount.objects.filter(user=user):
            try:
                provider = account.get_provider(request)
            except SocialApp.DoesNotExist:  # the institution's set-up was removed since
                continue
            reconfirm.append((provider.name, provider.get_login_url(request, next=back)))
    context = {
        "delete_form": delete_form or DeleteAccountForm(with_password=with_password),
        "sso_reconfirm": reconfirm,
        "export": exports.latest_export(user),
    }
    return render(request, "my_data.html", context, status=status)


def my_data(request):
    return _my_data_page(request)


@require_POST
def my_data_export(request):
    """Ask for a fresh export: a worker builds it, the page then offers it for download."""
    exports.request_export(user=request.user)
    messages.success(
        request,
        _("Your data is being gathered. It takes a minute or so: reload this page to download it."),
    )
    return redirect(reverse("my_data") + "#download-heading")


def my_data_zip(request):
    """The person's latest export, from the file storage (whatever node built or serves it)."""
    export = exports.latest_export(request.user)
    if export is None or not export.is_ready:
        messages.info(
            request, _("Your export is not ready yet: ask for it, then reload this page.")
        )
        return redirect(reverse("my_data") + "#download-heading")
    stamp = timezone.localtime(export.finished_at, request.user.zone).date().isoformat()
    response = download(
        export.file, filename=f"mentoring-my-data-{stamp}.zip", content_type="application/zip"
    )
    record_security_event(
        kind=SecurityEvent.Kind.EXPORT_DOWNLOADED, user=request.user, request=request
    )
    return response


@require_POST
def delete_account(request):
    form = DeleteAccountForm(
        request.POST, with_password=privacy.confirms_with_password(request.user)
    )
    if form.is_valid():
        try:
            # Recorded first, while the account still has its name: the event table keeps it.
            with transaction.atomic():
                record_security_event(
                    kind=SecurityEvent.Kind.ACCOUNT_DELETED, user=request.user, request=request
                )
                privacy.delete_account(
                    user=request.user,
                    password=form.cleaned_data.get("password", ""),
                    sso_confirmed=privacy.signed_in_through_sso_just_now(request, request.user),
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            logout(request)
            messages.success(
                request,
                _("Your account is deleted. Your pairings keep their history as “Former member”."),
            )
            return redirect("account_login")
    return _my_data_page(request, form, status=400)
