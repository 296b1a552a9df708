"""Webhook signing secrets, encrypted at rest: we must keep them to sign, so they are not hashed.

Keys: `WEBHOOK_KEYS`, comma-separated Fernet keys, the first encrypting and every one decrypting
(MultiFernet: rotate by putting a new key first). Unset (development): one derived from SECRET_KEY.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def _fernet() -> MultiFernet:
    keys = [k.strip() for k in getattr(settings, "WEBHOOK_KEYS", []) if k.strip()]
    if not keys:
        derived = hashlib.sha256(f"webhook-keys:{settings.SECRET_KEY}".encode()).digest()
        keys = [base64.urlsafe_b64encode(derived).decode()]
    return MultiFernet([Fernet(key.encode()) for key in keys])


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()
