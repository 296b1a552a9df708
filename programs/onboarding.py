"""Onboarding: a person who joins a program through an invitation fills in their profile once, at
their first sign-in, before anything else. Editable later from the profile page.

Whether it is due is read once per sign-in (`user_logged_in`) and kept in the session, so the
middleware costs no query on the pages that follow.
"""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from programs.models import Profile

SESSION_KEY = "onboarding_due"
# Pages that stay reachable while onboarding is due: the profile pages, signing out and the account
# pages (a password change, a second factor), invitation links, static files, the health check.
OPEN_PREFIXES = (
    "/accounts/",
    "/profile/",
    "/static/",
    "/healthz",
    "/admin/",
    "/i18n/",
    "/invitations/",
)


def is_due(user) -> bool:
    return Profile.objects.filter(user=user, completed_at=None).exists()


def note(request, user) -> None:
    """Remember in the session whether the person still has to fill in their profile."""
    if is_due(user):
        request.session[SESSION_KEY] = True
    else:
        request.session.pop(SESSION_KEY, None)


def done(request) -> None:
    request.session.pop(SESSION_KEY, None)


@receiver(user_logged_in, dispatch_uid="programs.onboarding_on_login")
def _on_login(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        note(request, user)


class OnboardingMiddleware:
    """Sends a person whose onboarding is due to the profile page, then back where they went."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "GET"
            and getattr(request, "session", None) is not None
            and request.session.get(SESSION_KEY)
            and request.user.is_authenticated
            and not request.headers.get("HX-Request")
        ):
            profile_url = reverse("programs:profile")
            if request.path != profile_url and not request.path.startswith(OPEN_PREFIXES):
                return redirect(f"{profile_url}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
