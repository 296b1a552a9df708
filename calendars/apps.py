from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "calendars"

    def ready(self) -> None:
        from calendars import crypto, receivers  # noqa: F401  (connects the signal receivers)
        from calendars.models import Connection
        from mentoring import secrets

        secrets.register(Connection, ("secret_address", "password_encrypted"), crypto.BOX)
