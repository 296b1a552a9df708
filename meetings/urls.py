from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("dyad/<int:pk>/", views.dyad_meetings, name="dyad"),
    path("dyad/<int:pk>/propose/", views.propose_meeting, name="propose"),
    path("proposals/<int:pk>/accept/", views.accept_proposal, name="accept"),
    path("<int:pk>/change/", views.change_meeting, name="change"),
    path("<int:pk>/cancel/", views.cancel_meeting, name="cancel"),
    path("<int:pk>/mark/", views.mark_meeting, name="mark"),
    path("<int:pk>/invite.ics", views.meeting_invite, name="invite"),
    path("<int:pk>/agenda/", views.add_agenda_item, name="agenda_add"),
    path("<int:pk>/agenda/ready/", views.set_agenda_ready, name="agenda_ready"),
    path("agenda/<int:pk>/remove/", views.remove_agenda_item, name="agenda_remove"),
    path("<int:pk>/materials/add/", views.add_material, name="material_add"),
    path("materials/<int:pk>/download/", views.download_material, name="material_download"),
    path("materials/<int:pk>/review/", views.review_material, name="material_review"),
    path("<int:pk>/notes/", views.shared_notes, name="notes"),
    path("<int:pk>/private-notes/", views.private_note, name="private_note"),
    path("<int:pk>/actions/", views.add_action_item, name="action_add"),
    path("actions/<int:pk>/done/", views.set_action_item_done, name="action_done"),
    path("calendar/", views.calendar_feed_page, name="calendar"),
    path("calendar/regenerate/", views.regenerate_calendar_feed, name="calendar_regenerate"),
    path("calendar/revoke/", views.revoke_calendar_feed, name="calendar_revoke"),
    path("feed/<str:token>.ics", views.calendar_feed, name="feed"),
]
