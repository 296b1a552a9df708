"""Secrets of calendar connections (CalDAV app passwords, secret calendar addresses) encrypted at
rest. Keys: `CALENDAR_KEYS` (mentoring/secrets.py: the first encrypts, all decrypt;
rotate_secret_keys). A secret no key opens reads as "": the connection asks its owner to enter it
again instead of failing."""

from mentoring.secrets import Box

BOX = Box("CALENDAR_KEYS", "calendar-keys")
encrypt = BOX.encrypt
decrypt = BOX.decrypt_or_empty
rotate = BOX.rotate
