from django.urls import path

from programs.views import dyads

app_name = "programs"

urlpatterns = [
    path("programs/<slug:slug>/", dyads.program_detail, name="detail"),
    path("dyads/<int:pk>/", dyads.dyad_detail, name="dyad"),
]
