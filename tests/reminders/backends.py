"""A mail server that fails as told: the errors in `FlakyBackend.errors` are raised in order, one
per send, then messages are accepted into django.core.mail.outbox like the test backend."""

from django.core.mail.backends.locmem import EmailBackend


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
