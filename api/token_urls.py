from django.urls import path

from api import token_views
from mentoring import converters  # noqa: F401 (registers <id:...>)

app_name = "api_tokens"

urlpatterns = [
    path("programs/<slug:slug>/api-tokens/", token_views.program_tokens, name="program"),
    path("api-tokens/", token_views.all_tokens, name="all"),
    path("api-tokens/<id:pk>/revoke/", token_views.revoke, name="revoke"),
]
