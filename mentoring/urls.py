from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from mentoring import views

# The /admin/ site signs people in through allauth's login, with its rate limits.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("profile/", views.profile, name="profile"),
    path("profile/data/", views.my_data, name="my_data"),
    path("profile/data.zip", views.my_data_zip, name="my_data_zip"),
    path("profile/delete/", views.delete_account, name="delete_account"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("programs.urls")),
    path("meetings/", include("meetings.urls")),
    path("goals/", include("goals.urls")),
    path("feedback/", include("feedback.urls")),
    path("notifications/", include("mentoring.notification_urls")),
]
