"""Mail servers for the tests: one that fails as told (the errors in `FlakyBackend.errors` are raised
in order, one per send, then messages are accepted into django.core.mail.outbox like the test
backend), one that refuses for now, and the real worker's .eml files with a pause to kill it in."""

import os
import re
import time
from pathlib import Path

from django.core.mail.backends.locmem import EmailBackend

from mentoring.mail import EmlFileBackend


class FlakyBackend(EmailBackend):
    errors: list[Exception] = []

    def send_messages(self, messages):
        if FlakyBackend.errors:
            raise FlakyBackend.errors.pop(0)
        return super().send_messages(messages)


class RefusingBackend(EmailBackend):
    """A mail server that refuses, for now (451), the next message to each address in `refuse`
    as many times as it says, and accepts everything else into django.core.mail.outbox."""

    refuse: dict[str, int] = {}
    # Or the server goes away (the connection drops) at the n-th message it is sent, once.
    away_at: int | None = None
    seen = 0

    def send_messages(self, messages):
        import smtplib

        for message in messages:
            RefusingBackend.seen += 1
            if RefusingBackend.seen == RefusingBackend.away_at:
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            address = message.to[0]
            if RefusingBackend.refuse.get(address):
                RefusingBackend.refuse[address] -= 1
                raise smtplib.SMTPResponseException(451, b"try again later")
        return super().send_messages(messages)


class PausingEmlBackend(EmlFileBackend):
    """The .eml backend of a real worker (tests/reminders/worker.py), made to wait where the
    worker-kill test lands its SIGKILL. With NOTIFICATION_TEST_PAUSE=<point>:<folder> in the
    environment (<point> "before_send" or "after_send"), a message whose notice has
    <folder>/hold-<id> announces itself as <folder>/<point>-<id> and waits while the hold exists:
    before its .eml is written (the server never got it) or after (accepted, not yet recorded)."""

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            notice = _notice_id(message)
            _pause("before_send", notice)
            sent += super().send_messages([message])
            _pause("after_send", notice)
        return sent


def _notice_id(message) -> int | None:
    """The notice a message carries, from the Message-ID delivery gives it (<notice-<id>-…@…>)."""
    found = re.match(r"<notice-(\d+)-", message.extra_headers.get("Message-ID", ""))
    return int(found[1]) if found else None


def _pause(point: str, notice: int | None) -> None:
    setting = os.environ.get("NOTIFICATION_TEST_PAUSE", "")
    if notice is None or not setting.startswith(f"{point}:"):
        return
    folder = Path(setting.partition(":")[2])
    hold = folder / f"hold-{notice}"
    if not hold.exists():
        return
    (folder / f"{point}-{notice}").touch()
    while hold.exists():
        time.sleep(0.02)
