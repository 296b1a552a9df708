"""Webhook signing secrets, encrypted at rest: we must keep them to sign, so they are not hashed.
Keys: `WEBHOOK_KEYS` (mentoring/secrets.py: the first encrypts, all decrypt; rotate_secret_keys)."""

from mentoring.secrets import Box

BOX = Box("WEBHOOK_KEYS", "webhook-keys")
encrypt = BOX.encrypt
decrypt = BOX.decrypt
