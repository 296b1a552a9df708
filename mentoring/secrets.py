"""Secrets the app must keep readable (a CalDAV app password, a secret calendar address, a webhook
signing secret), encrypted at rest: one way for every app.

A `Box` reads its keys from a setting (from the environment): comma-separated Fernet keys
(`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`). The
first encrypts; every one decrypts (MultiFernet), so a key is rotated by putting a new one first,
running `python manage.py rotate_secret_keys` (every registered column re-encrypted with the first
key), then removing the old one. With the setting empty (development, `make run`) a key is derived
from SECRET_KEY and the box's purpose, so the app starts with no environment.

An app declares its encrypted columns with `register(model, fields, box)`, so the command finds
them without the core naming any app.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@dataclass(frozen=True)
class Box:
    setting: str  # the setting that lists the keys
    purpose: str  # tells apart the keys derived from SECRET_KEY

    def _fernet(self) -> MultiFernet:
        keys = [key.strip() for key in getattr(settings, self.setting, []) if key.strip()]
        if not keys:
            derived = hashlib.sha256(f"{self.purpose}:{settings.SECRET_KEY}".encode()).digest()
            keys = [base64.urlsafe_b64encode(derived).decode()]
        return MultiFernet([Fernet(key.encode()) for key in keys])

    def encrypt(self, text: str) -> str:
        return self._fernet().encrypt(text.encode()).decode() if text else ""

    def decrypt(self, token: str) -> str:
        """The secret; `InvalidToken` when no key opens it (a key removed too early)."""
        return self._fernet().decrypt(token.encode()).decode() if token else ""

    def decrypt_or_empty(self, token: str) -> str:
        """The secret, or "" when no key opens it: its owner is then asked to enter it again."""
        try:
            return self.decrypt(token)
        except InvalidToken:
            return ""

    def rotate(self, token: str) -> str:
        """The same secret encrypted with the first key."""
        return self._fernet().rotate(token.encode()).decode() if token else ""


# (model, encrypted fields, box) for rotate_secret_keys.
ENCRYPTED: list[tuple[type, tuple[str, ...], Box]] = []


def register(model, fields: tuple[str, ...], box: Box) -> None:
    ENCRYPTED[:] = [entry for entry in ENCRYPTED if entry[0] is not model]
    ENCRYPTED.append((model, fields, box))
