import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone


class EmlFileBackend(BaseEmailBackend):
    """Writes each message to EMAIL_FILE_PATH as its own .eml file, so a person can open what was sent."""

    folder: Path | None = None  # made once per backend, not once per message of a chunk

    def send_messages(self, email_messages) -> int:
        folder = Path(settings.EMAIL_FILE_PATH)
        if folder != self.folder:
            folder.mkdir(parents=True, exist_ok=True)
            self.folder = folder
        sent = 0
        for message in email_messages:
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            name = f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
            # Written beside, then renamed: a process killed mid-write leaves a hidden temporary
            # file, never a truncated .eml that looks sent.
            partial = folder / f".{name}.part"
            partial.write_bytes(message.message().as_bytes())
            os.replace(partial, folder / name)
            sent += 1
        return sent
