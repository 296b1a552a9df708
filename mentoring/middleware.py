from contextvars import ContextVar

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mentoring import viewer

_request: ContextVar[HttpRequest | None] = ContextVar("mentoring_request", default=None)


def current_request() -> HttpRequest | None:
    """The request this thread (or task) is serving, if any: for code that a signal reaches
    without one (a model saved in a view), such as mentoring.security's events."""
    return _request.get()


class CurrentRequestMiddleware:
    """Make the request being served known to `current_request()` while it is served.

    Our own rather than allauth's `allauth.core.context.request`, which allauth's middleware sets
    too but does not document: its internals may change in any release."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


class UserTimezoneMiddleware:
    """Render every date in the signed-in person's own zone (templates never convert by hand)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(user.zone)
        else:
            timezone.deactivate()
        return self.get_response(request)


class RequireSecondFactorMiddleware:
    """With MFA_REQUIRED_FOR_ADMINS, a superuser or program admin who has no second factor reaches
    nothing but the pages that set one up (and signing out), wherever they go.

    "Program admin" is read from the request's one fetch of the person's memberships
    (mentoring.viewer), which the navigation reads anyway: no query of its own for that; one for the
    second factor of an admin, only where the setting is on.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.MFA_REQUIRED_FOR_ADMINS and self._must_set_up(request):
            request.second_factor_required = True
            if request.path == reverse("mfa_index"):
                messages.warning(
                    request,
                    _(
                        "An account that administers a program needs a second factor: set up an "
                        "authenticator app or a security key before you go on."
                    ),
                )
            elif not self._allowed(request.path):
                return redirect("mfa_index")
        return self.get_response(request)

    @staticmethod
    def _must_set_up(request) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if not (user.is_superuser or "admin" in viewer.roles(user)):
            return False
        return not is_mfa_enabled(user)

    @staticmethod
    def _allowed(path: str) -> bool:
        open_prefixes = (
            reverse("mfa_index"),  # set-up, recovery codes, security keys, re-authentication
            reverse("account_reauthenticate"),
            reverse("account_logout"),
            reverse("healthz"),
            settings.STATIC_URL,  # Django gives it the leading slash
        )
        return path.startswith(open_prefixes)


class UserLanguageMiddleware:
    """A signed-in person who chose a language (User.language) reads every page in it, whatever
    their browser says; everyone else gets what LocaleMiddleware chose (cookie, Accept-Language).
    Placed right after AuthenticationMiddleware: the user is loaded once per request anyway
    (UserTimezoneMiddleware), so this costs no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
