from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "calendars"

    def ready(self) -> None:
        from calendars import receivers  # noqa: F401  (connects the signal receivers)
