from django.urls import path

from feedback import views
from mentoring import converters  # noqa: F401 (registers <id:...>, a 64-bit database id)

app_name = "feedback"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("requests/<id:pk>/", views.request_detail, name="request"),
    path("requests/<id:pk>/correct/", views.correct, name="correct"),
    path("requests/<id:pk>/remind/", views.remind, name="remind"),
    path("programs/<slug:slug>/", views.program_feedback, name="program"),
    path("programs/<slug:slug>/cycles/new/", views.open_cycle, name="open_cycle"),
    path("programs/<slug:slug>/attention/", views.attention, name="attention"),
    path("programs/<slug:slug>/mentors/", views.mentor_summary, name="mentors"),
    path("cycles/<id:pk>/", views.cycle_detail, name="cycle"),
    path("cycles/<id:pk>/questions/", views.add_question, name="add_question"),
    path("attention/<id:pk>/", views.attention_item, name="attention_item"),
    path("attention/<id:pk>/cadence/", views.adjust_cadence, name="adjust_cadence"),
]
