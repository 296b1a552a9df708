"""A person's own data: "Download my data" (a ZIP of JSON files and the files they uploaded, built
by a worker into the file storage: mentoring/exports.py) and
"Delete my account" (sign-in and personal details erased, the history of their dyads kept).

Each app adds its part of the export in its own `privacy.py` (mentoring.registry.personal_data) and
reacts to `account_deleted` in its `receivers.py`; the core names none of them.
"""

import functools
import json
import shutil
import time
import zipfile
from datetime import date, datetime
from decimal import Decimal

from allauth.account import app_settings as account_settings
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentoring import registry
from mentoring.models import (
    DELETED_DOMAIN,
    FORMER_MEMBER,
    DataExport,
    Notification,
    NotificationPreference,
    User,
)
from mentoring.sessions import last_sign_in_step

# Sent inside the transaction that erases an account, with `user` (already anonymised; the rows of
# every app still point to it). Apps end what must end and tell whom they must.
account_deleted = Signal()

README = gettext_lazy("""Your data from Mentoring, exported %(when)s.

Each .json file holds one part: your profile and notice settings, your programs and pairings,
meetings (agendas, shared notes, your own private notes, action items, materials), your development
plan (goals, milestones, reports, comments), and feedback you gave and, once revealed, received.
Files you uploaded for review are under files/. Nobody else's private or confidential notes are
included.
""")


def value(raw):
    """A field's value as JSON: dates as ISO 8601, related rows by their name, files by name."""
    if raw is None or isinstance(raw, bool | int | float | str):
        return raw
    if isinstance(raw, datetime | date):
        return raw.isoformat()
    if isinstance(raw, Decimal):
        return str(raw)
    if isinstance(raw, models.Model):
        return str(raw)
    if isinstance(raw, models.fields.files.FieldFile):
        return raw.name or None
    if isinstance(raw, dict | list):
        return raw
    return str(raw)


def as_data(obj: models.Model, fields: list[str]) -> dict:
    """The named fields of one row (choices as their labels), ready for JSON."""
    data = {}
    for name in fields:
        display = getattr(obj, f"get_{name}_display", None)
        data[name] = display() if callable(display) else value(getattr(obj, name))
    return data


@registry.personal_data("profile")
def profile_data(user: User) -> registry.PersonalData:
    return registry.PersonalData(
        data={
            "profile": as_data(user, ["email", *User.PROFILE_FIELDS, "date_joined", "last_login"]),
            "notice_preferences": dict(
                NotificationPreference.objects.filter(user=user).values_list("kind", "email")
            ),
            "notices": [
                as_data(n, ["kind", "title", "body", "created_at", "sent_at", "read_at"])
                for n in Notification.objects.filter(recipient=user).order_by("created_at")
            ],
        }
    )


def write_export_zip(user: User, target) -> None:
    """Every registered part as <part>.json, and the files the person uploaded, in one ZIP written
    to `target` (a file open for writing: a worker's temporary file, not memory)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README % {"when": timezone.now().isoformat()})
        for name, section in sorted(registry.PERSONAL_DATA.items()):
            part = section(user)
            archive.writestr(
                f"{name}.json", json.dumps(part.data, indent=2, ensure_ascii=False, default=str)
            )
            for arcname, stored in part.files:
                try:
                    with stored.open("rb") as handle, archive.open(f"files/{arcname}", "w") as out:
                        shutil.copyfileobj(handle, out, 1 << 20)
                except (FileNotFoundError, OSError):
                    continue  # a file gone from storage is listed in the JSON, not fatal


def confirms_with_password(user: User) -> bool:
    """Whether deleting the account asks for the password: not for someone with none here (signed
    up through their institution), nor for a member under SSO_ONLY, whose password signs in no
    more; they confirm with a fresh sign-in through their institution instead."""
    return user.has_usable_password() and (not settings.SSO_ONLY or user.is_superuser)


def signed_in_through_sso_just_now(request, user: User) -> bool:
    """Whether this session's latest sign-in is the person's institution (SSO) vouching for them,
    within ACCOUNT_REAUTHENTICATION_TIMEOUT: how someone with no password here confirms it is them.
    """
    latest = last_sign_in_step(request, user)
    if latest is None:
        return False
    return (
        latest.get("method") == "socialaccount"
        and time.time() - latest.get("at", 0) < account_settings.REAUTHENTICATION_TIMEOUT
    )


@transaction.atomic
def delete_account(*, user: User, password: str = "", sso_confirmed: bool = False) -> User:
    """The person erases their account, confirming with their password (or, with no password
    here, by signing in again through their institution: `sso_confirmed`). Their sign-in and
    personal details go, their institution's accounts unlinked; what they did in their dyads stays,
    under the name "Former member", so that their partners and the program keep their history."""
    if confirms_with_password(user):
        if not user.check_password(password):
            raise ValidationError(
                {"password": _("That is not your password: nothing was deleted.")}
            )
    elif not sso_confirmed:
        raise ValidationError(
            _(
                "Sign in again with your institution first, then delete your account within a "
                "few minutes: nothing was deleted."
            )
        )
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    user.name = FORMER_MEMBER
    user.email = f"former-member-{user.pk}@{DELETED_DOMAIN}"
    user.title = user.department = user.expertise = user.interests = user.career_stage = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.emailaddress_set.all().delete()
    # The institution's accounts go too: their uid and the attributes it sent (name, address).
    SocialAccount.objects.filter(user=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
    Notification.objects.filter(recipient=user).delete()
    for export in DataExport.objects.filter(user=user).exclude(file=""):
        transaction.on_commit(functools.partial(export.file.storage.delete, export.file.name))
    DataExport.objects.filter(user=user).delete()
    account_deleted.send(sender=User, user=user)
    return user
