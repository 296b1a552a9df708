from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError


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

    def authentication_failed(self, request, **credentials) -> None:
        super().authentication_failed(request, **credentials)
        _record_failed(request, credentials, kind="sign_in_failed")


def _record_failed(request, credentials: dict, *, kind: str) -> None:
    from mentoring.models import User
    from mentoring.security import record_security_event

    typed = str(credentials.get("email") or credentials.get("username") or "")
    user = User.objects.filter(email__iexact=typed.strip()).first() if typed.strip() else None
    record_security_event(kind=kind, user=user, request=request, identifier=typed)
