"""Where a person is signed in (allauth.usersessions), and when every other session must end.

A changed or reset password ends every other session by itself: Django checks each session's hash
of the password. Taking a second factor off is as telling (whoever did it may hold a session they
should not), so it ends every other session too.

The session also keeps the latest step of signing in (a password, a second factor, the person's
institution vouching through SSO), from allauth's documented `authentication_step_completed`
signal: deleting an account with no password here asks for a fresh SSO sign-in.
"""

import time

from allauth.account.signals import authentication_step_completed
from allauth.mfa.signals import authenticator_removed
from django.dispatch import receiver
from django.http import HttpRequest

LAST_STEP = "mentoring_last_sign_in_step"


def end_other_sessions(request: HttpRequest, user) -> int:
    """Sign `user` out everywhere but in this request's session; how many sessions ended."""
    from allauth.usersessions.models import UserSession

    current = request.session.session_key
    ended = 0
    for session in UserSession.objects.purge_and_list(user):
        if session.session_key != current:
            session.end()
            ended += 1
    return ended


@receiver(authenticator_removed, dispatch_uid="sessions_end_on_mfa_removed")
def _second_factor_removed(sender, request, user, **kwargs) -> None:
    if request is not None:
        end_other_sessions(request, user)


@receiver(authentication_step_completed, dispatch_uid="sessions_last_sign_in_step")
def _step_completed(sender, request, user, method, **kwargs) -> None:
    if request is not None and user is not None and user.pk is not None:
        request.session[LAST_STEP] = {"user": str(user.pk), "method": method, "at": time.time()}


def last_sign_in_step(request: HttpRequest, user) -> dict | None:
    """The latest step by which `user` signed in in this session: {"method": "password", "mfa" or
    "socialaccount", "at": a time.time()}; None if none was recorded for them."""
    step = request.session.get(LAST_STEP)
    if not isinstance(step, dict) or user.pk is None or step.get("user") != str(user.pk):
        return None
    return step
