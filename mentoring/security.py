"""Security events (OWASP ASVS 16.3): what happened to whose account, when and from where.

`record_security_event` is the one way in, for every app. allauth's own signals feed it here:
sign-ins, password changes and resets, second factors added, removed, reset or refused, an
institution's account (SSO) linked to a person's; the account adapter (mentoring.adapters) adds
failed sign-ins and lock-outs; the programs app adds role and membership changes; the privacy
pages add exports and deleted accounts.

The address is the client's as allauth sees it: REMOTE_ADDR, or X-Forwarded-For read from the
right past exactly ALLAUTH_TRUSTED_PROXY_COUNT proxies of our own (settings: TRUSTED_PROXY_COUNT).
"""

import logging

from allauth.account.adapter import get_adapter
from allauth.account.signals import password_changed, password_reset, user_logged_in
from allauth.mfa.signals import (
    authentication_failed,
    authenticator_added,
    authenticator_removed,
    authenticator_reset,
)
from allauth.socialaccount.models import SocialAccount
from django.core.exceptions import PermissionDenied
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest

from mentoring.middleware import current_request
from mentoring.models import SecurityEvent, User

log = logging.getLogger(__name__)
Kind = SecurityEvent.Kind


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address, trusting forwarded headers only as far as the settings say."""
    if request is None:
        return None
    try:
        return get_adapter(request).get_client_ip(request)
    except (PermissionDenied, ValueError):
        return None


def record_security_event(
    *,
    kind: str,
    user=None,
    request: HttpRequest | None = None,
    program=None,
    detail: str = "",
    actor=None,
    identifier: str = "",
) -> SecurityEvent:
    """Append one event about `user`'s account. Without `request`, the request being served (if
    any) gives the address and browser; `actor` defaults to whoever is signed in on it, when that
    is someone else than `user`."""
    if kind not in Kind.values:
        raise ValueError(f"{kind!r} is not a kind of security event")
    request = request if request is not None else current_request()
    if actor is None and request is not None:
        signed_in = getattr(request, "user", None)
        if signed_in is not None and signed_in.is_authenticated:
            actor = signed_in
    if actor is not None and user is not None and actor.pk == user.pk:
        actor = None
    agent = request.META.get("HTTP_USER_AGENT", "") if request is not None else ""
    return SecurityEvent.objects.create(
        kind=kind,
        user=user if user is not None and user.pk else None,
        actor=actor,
        program=program,
        identifier=identifier[:254],
        ip_address=client_ip(request),
        user_agent=agent[:300],
        detail=detail[:300],
    )


# --- allauth's signals -------------------------------------------------------------------------


@receiver(user_logged_in, dispatch_uid="security_signed_in")
def _signed_in(sender, request, user, **kwargs) -> None:
    record_security_event(kind=Kind.SIGNED_IN, user=user, request=request)


@receiver(password_changed, dispatch_uid="security_password_changed")
def _password_changed(sender, request, user, **kwargs) -> None:
    record_security_event(kind=Kind.PASSWORD_CHANGED, user=user, request=request)


@receiver(password_reset, dispatch_uid="security_password_reset")
def _password_reset(sender, request, user, **kwargs) -> None:
    record_security_event(kind=Kind.PASSWORD_RESET, user=user, request=request)


def _authenticator_name(authenticator) -> str:
    return str(authenticator.get_type_display())


@receiver(authenticator_added, dispatch_uid="security_mfa_added")
def _mfa_added(sender, request, user, authenticator, **kwargs) -> None:
    record_security_event(
        kind=Kind.SECOND_FACTOR_ADDED,
        user=user,
        request=request,
        detail=_authenticator_name(authenticator),
    )


@receiver(authenticator_removed, dispatch_uid="security_mfa_removed")
def _mfa_removed(sender, request, user, authenticator, **kwargs) -> None:
    record_security_event(
        kind=Kind.SECOND_FACTOR_REMOVED,
        user=user,
        request=request,
        detail=_authenticator_name(authenticator),
    )


@receiver(authenticator_reset, dispatch_uid="security_mfa_reset")
def _mfa_reset(sender, request, user, authenticator, **kwargs) -> None:
    record_security_event(
        kind=Kind.RECOVERY_CODES_RESET,
        user=user,
        request=request,
        detail=_authenticator_name(authenticator),
    )


@receiver(authentication_failed, dispatch_uid="security_mfa_failed")
def _mfa_failed(sender, request, user, authenticator=None, **kwargs) -> None:
    record_security_event(
        kind=Kind.SECOND_FACTOR_FAILED,
        user=user,
        request=request,
        detail=_authenticator_name(authenticator) if authenticator is not None else "",
    )


@receiver(post_save, sender=SocialAccount, dispatch_uid="security_sso_linked")
def _sso_linked(sender, instance, created, raw=False, **kwargs) -> None:
    # Every way a link is made: a first SSO sign-in (a new account, or one matched by its verified
    # address), "connect" from the account pages, the /admin/ site.
    if created and not raw:
        record_security_event(kind=Kind.SSO_LINKED, user=instance.user, detail=instance.provider)


# --- Privileges changed on the account itself (the /admin/ site, a script) ---------------------

PRIVILEGE_FIELDS = ("is_superuser", "is_staff", "is_active")


@receiver(pre_save, sender=User, dispatch_uid="security_privileges_before")
def _privileges_before(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw or instance._state.adding:
        return
    if update_fields is not None and not set(update_fields) & set(PRIVILEGE_FIELDS):
        return  # e.g. last_login at every sign-in: nothing to compare
    instance._privileges_before = (
        User.objects.filter(pk=instance.pk).values(*PRIVILEGE_FIELDS).first()
    )


@receiver(post_save, sender=User, dispatch_uid="security_privileges_after")
def _privileges_after(sender, instance, raw=False, **kwargs) -> None:
    before = instance.__dict__.pop("_privileges_before", None)
    if not before:
        return
    changed = [
        f"{name.removeprefix('is_')}: {before[name]} → {getattr(instance, name)}"
        for name in PRIVILEGE_FIELDS
        if before[name] != getattr(instance, name)
    ]
    if changed:
        record_security_event(kind=Kind.ROLE_CHANGED, user=instance, detail="; ".join(changed))
