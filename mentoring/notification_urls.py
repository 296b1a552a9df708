from django.urls import path

from mentoring import notification_views as views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/read", views.read, name="read"),
    path("read-all", views.read_all, name="read_all"),
    path("preferences/", views.preferences, name="preferences"),
    path("program/<slug:slug>/", views.program_sends, name="program"),
    path("<int:pk>/send-again", views.send_again, name="send_again"),
]
