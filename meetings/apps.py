from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"

    def ready(self) -> None:
        from meetings import receivers  # noqa: F401  (connects the signal receivers)
