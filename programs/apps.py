from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"

    def ready(self) -> None:
        from programs import onboarding, receivers  # noqa: F401  (connects the signal receivers)
