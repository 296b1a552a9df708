from django.urls import path

from programs.views import dyads
from programs.views import invitations as invitation_views
from programs.views import members as member_views

app_name = "programs"

urlpatterns = [
    path("programs/<slug:slug>/", dyads.program_detail, name="detail"),
    path("dyads/<int:pk>/", dyads.dyad_detail, name="dyad"),
    path("programs/<slug:slug>/members/", member_views.member_list, name="members"),
    path("programs/<slug:slug>/members.csv", member_views.members_csv, name="members_csv"),
    path("programs/<slug:slug>/audit/", member_views.audit, name="audit"),
    path("programs/<slug:slug>/invite/", invitation_views.invite, name="invite"),
    path("programs/<slug:slug>/invite/bulk/", invitation_views.invite_bulk, name="invite_bulk"),
    path("invitations/<str:token>/", invitation_views.accept, name="accept_invitation"),
]
