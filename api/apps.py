from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Read API and webhooks"

    def ready(self) -> None:
        from api import (  # noqa: F401  (the token's security scheme; the webhook receivers)
            receivers,
            schema,
        )
