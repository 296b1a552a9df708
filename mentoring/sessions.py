"""Where a person is signed in (allauth.usersessions), and when every other session must end.

A changed or reset password ends every other session by itself: Django checks each session's hash
of the password. Taking a second factor off is as telling (whoever did it may hold a session they
should not), so it ends every other session too.
"""

from allauth.mfa.signals import authenticator_removed
from django.dispatch import receiver
from django.http import HttpRequest


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
