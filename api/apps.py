from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Read API and webhooks"

    def ready(self) -> None:
        from api import (  # noqa: F401  (the token's security scheme; the webhook receivers)
            crypto,
            receivers,
            schema,
        )
        from api.models import WebhookEndpoint
        from mentoring import secrets

        secrets.register(WebhookEndpoint, ("secret_encrypted",), crypto.BOX)
