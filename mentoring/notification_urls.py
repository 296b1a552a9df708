from django.urls import path

from mentoring import converters  # noqa: F401 (registers <id:...>, a 64-bit database id)
from mentoring import notification_views as views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<id:pk>/read", views.read, name="read"),
    path("read-all", views.read_all, name="read_all"),
    path("preferences/", views.preferences, name="preferences"),
]
