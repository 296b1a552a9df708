from django.urls import path

from conversations import views
from mentoring import converters  # noqa: F401 (registers <id:...>, a 64-bit database id)

app_name = "conversations"

urlpatterns = [
    path("", views.index, name="index"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/poll/", views.poll, name="poll"),
    path("messages/<id:pk>/edit/", views.edit, name="edit"),
    path("messages/<id:pk>/delete/", views.delete, name="delete"),
    path("messages/<id:pk>/attachment/", views.attachment, name="attachment"),
    path("messages/<id:pk>/share/", views.share, name="share"),
    path("shared/<id:pk>/", views.shared, name="shared"),
]
