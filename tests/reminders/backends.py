"""A mail server that fails as told: the errors in `FlakyBackend.errors` are raised in order, one
per send, then messages are accepted into django.core.mail.outbox like the test backend."""

from django.core.mail.backends.locmem import EmailBackend


class FlakyBackend(EmailBackend):
    errors: list[Exception] = []

    def send_messages(self, messages):
        if FlakyBackend.errors:
            raise FlakyBackend.errors.pop(0)
        return super().send_messages(messages)
