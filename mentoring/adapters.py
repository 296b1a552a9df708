from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # People join through an invitation from a program admin (programs.invitations), never by
        # signing themselves up.
        return False

    def pre_authenticate(self, request, **credentials) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            # The failed sign-in limit is hit: this attempt is refused before the password is read.
            _record_failed(request, credentials, kind="locked_out")
            raise

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None and settings.SSO_ONLY and not user.is_superuser:
            # SSO_ONLY: the institution's sign-in is the only way in, save for superusers.
            raise ValidationError(_("Sign in with your institution's account, not a password."))
        return user

    def authentication_failed(self, request, **credentials) -> None:
        super().authentication_failed(request, **credentials)
        _record_failed(request, credentials, kind="sign_in_failed")


def _record_failed(request, credentials: dict, *, kind: str) -> None:
    from mentoring.models import User
    from mentoring.security import record_security_event

    typed = str(credentials.get("email") or credentials.get("username") or "")
    user = User.objects.filter(email__iexact=typed.strip()).first() if typed.strip() else None
    record_security_event(kind=kind, user=user, request=request, identifier=typed)
