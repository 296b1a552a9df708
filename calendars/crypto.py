"""Secrets of calendar connections (CalDAV app passwords, secret calendar addresses) encrypted at rest.

The keys come from the environment: `CALENDAR_KEYS`, a comma-separated list of Fernet keys
(`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`). The
first encrypts; every one decrypts (MultiFernet), so a key is rotated by putting a new one first,
running `python manage.py rotate_calendar_keys` (re-encrypts every secret with the first key), then
removing the old one. With no `CALENDAR_KEYS` (development, `make run`) a key is derived from
SECRET_KEY, so the app starts with no environment; production should set its own (docs/operations.md).
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _keys() -> list[bytes]:
    configured = [key.strip() for key in getattr(settings, "CALENDAR_KEYS", []) if key.strip()]
    if configured:
        return [key.encode() for key in configured]
    derived = hashlib.sha256(f"calendar-keys:{settings.SECRET_KEY}".encode()).digest()
    return [base64.urlsafe_b64encode(derived)]


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in _keys()])


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode() if text else ""


def decrypt(token: str) -> str:
    """The secret, or "" when no key decrypts it (a key removed too early): the connection then
    asks its owner to enter it again instead of failing."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def rotate(token: str) -> str:
    """The same secret encrypted with the first key."""
    return _fernet().rotate(token.encode()).decode() if token else ""
