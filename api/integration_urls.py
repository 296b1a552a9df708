"""The admins' pages of the api app: API tokens and webhook endpoints."""

from django.urls import path

from api import token_views, webhook_views
from mentoring import converters  # noqa: F401 (registers <id:...>)

app_name = "integrations"

urlpatterns = [
    path("programs/<slug:slug>/api-tokens/", token_views.program_tokens, name="tokens"),
    path("api-tokens/", token_views.all_tokens, name="all_tokens"),
    path("api-tokens/<id:pk>/revoke/", token_views.revoke, name="revoke_token"),
    path("programs/<slug:slug>/webhooks/", webhook_views.endpoints, name="webhooks"),
    path("webhooks/<id:pk>/", webhook_views.endpoint_detail, name="webhook"),
    path("webhooks/<id:pk>/test/", webhook_views.send_test, name="webhook_test"),
    path("webhooks/<id:pk>/enable/", webhook_views.enable, name="webhook_enable"),
    path("webhooks/<id:pk>/delete/", webhook_views.delete, name="webhook_delete"),
]
