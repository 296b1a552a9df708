from allauth import urls as allauth_urls
from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.urls.resolvers import RoutePattern

from mentoring import (
    converters,  # noqa: F401 (registers <id:...>, a 64-bit database id)
    saml,
    views,
)

# The /admin/ site signs people in through allauth's login, with its rate limits.
admin.site.login = secure_admin_login(admin.site.login)


def _ids_in_64_bits(patterns: list) -> list:
    """allauth's routes with each `<int:...>` read as `<id:...>` (a security key's id): an id
    beyond 64 bits is a 404 there too, as on every page of ours (tests/test_id_overflow.py)."""
    rebuilt = []
    for entry in patterns:
        route = str(entry.pattern) if isinstance(entry.pattern, RoutePattern) else None
        if isinstance(entry, URLResolver) and route is not None and not entry.namespace:
            rebuilt.append(
                path(route.replace("<int:", "<id:"), include(_ids_in_64_bits(entry.url_patterns)))
            )
        elif isinstance(entry, URLPattern) and route is not None and "<int:" in route:
            rebuilt.append(
                path(
                    route.replace("<int:", "<id:"),
                    entry.callback,
                    entry.default_args,
                    name=entry.name,
                )
            )
        else:
            rebuilt.append(entry)
    return rebuilt


urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("profile/", views.profile, name="profile"),
    path("language/", views.set_language, name="set_language"),
    path("profile/data/", views.my_data, name="my_data"),
    path("profile/data.zip", views.my_data_zip, name="my_data_zip"),
    path("profile/data/export/", views.my_data_export, name="my_data_export"),
    path("profile/delete/", views.delete_account, name="delete_account"),
    # Ahead of allauth's own, which read the IdP's metadata first and fail when the IdP is down.
    path("accounts/saml/<str:organization_slug>/metadata/", saml.sp_metadata),
    path("accounts/saml/<str:organization_slug>/login/", saml.login),
    path("accounts/", include(_ids_in_64_bits(allauth_urls.urlpatterns))),
    path("admin/", admin.site.urls),
    path("", include("programs.urls")),
    path("meetings/", include("meetings.urls")),
    path("conversations/", include("conversations.urls")),
    path("goals/", include("goals.urls")),
    path("feedback/", include("feedback.urls")),
    path("reports/", include("reports.urls")),
    path("calendars/", include("calendars.urls")),
    path("notifications/", include("mentoring.notification_urls")),
    path("api/v1/", include("api.urls")),
    path("", include("api.integration_urls")),
]
