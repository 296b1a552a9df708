"""Institutional sign-in (allauth.socialaccount: OpenID Connect and SAML): joining stays by
invitation.

A first sign-in whose address the identity provider has verified links to the account with that
address (SOCIALACCOUNT_EMAIL_AUTHENTICATION in settings). Someone without an account joins only
when a program admin has invited that address and the invitation is still pending: the sign-in
then creates the account and accepts every such invitation. Anyone else is told they have not been
invited yet, and no account is made. Referenced from settings by dotted path, because the core
(mentoring) may not import programs.

A refusal, and a sign-in the provider's answer failed (a bad SAML signature, a cancelled or denied
OIDC consent), are "Sign-in failed" security events; the link itself is recorded by
mentoring.security, whichever way it is made.
"""

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.db.models import QuerySet
from django.shortcuts import render
from django.utils import timezone

from mentoring.models import SecurityEvent, User
from mentoring.security import record_security_event
from programs.invitations import accept_invitation, normalize_email
from programs.models import Invitation


def verified_email(sociallogin: SocialLogin) -> str | None:
    """The address the identity provider vouches for (`email_verified`), or None."""
    for address in sociallogin.email_addresses:
        if address.verified and address.email:
            return normalize_email(address.email)
    return None


def pending_invitations(email: str) -> QuerySet[Invitation]:
    """Invitations of this address not yet accepted, withdrawn or expired."""
    return Invitation.objects.filter(
        email__iexact=email, accepted_at=None, expires_at__gt=timezone.now()
    ).select_related("program")


def _provider_label(provider) -> str:
    return f"{provider.sub_id} ({provider.name})" if provider is not None else "unknown provider"


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin: SocialLogin) -> bool:
        email = verified_email(sociallogin)
        if email is not None and pending_invitations(email).exists():
            return True
        given = email or next((a.email for a in sociallogin.email_addresses if a.email), "")
        record_security_event(
            kind=SecurityEvent.Kind.SIGN_IN_FAILED,
            request=request,
            identifier=given,
            detail=f"SSO through {_provider_label(sociallogin.provider)}: "
            + ("no pending invitation" if email else "address not verified by the provider"),
        )
        # A clear page instead of allauth's generic "sign-up closed": the institution's sign-in
        # worked, the person simply has not been invited to any program.
        raise ImmediateHttpResponse(
            render(request, "socialaccount/not_invited.html", {"email": email}, status=403)
        )

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        codes = ", ".join((extra_context or {}).get("saml_errors") or [str(error or "error")])
        record_security_event(
            kind=SecurityEvent.Kind.SIGN_IN_FAILED,
            request=request,
            detail=f"SSO through {_provider_label(provider)}: {codes}",
        )
        super().on_authentication_error(request, provider, error, exception, extra_context)

    def populate_user(self, request, sociallogin: SocialLogin, data: dict) -> User:
        user = super().populate_user(request, sociallogin, data)
        full_name = data.get("name") or " ".join(
            part for part in (data.get("first_name"), data.get("last_name")) if part
        )
        user.name = (full_name or "").strip()[:150]
        return user

    def save_user(self, request, sociallogin: SocialLogin, form=None) -> User:
        user = super().save_user(request, sociallogin, form)
        for invitation in pending_invitations(user.email):
            accept_invitation(invitation=invitation, user=user)
        return user
