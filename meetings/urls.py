from django.urls import path

from meetings import views
from mentoring import converters  # noqa: F401 (registers <id:...>, a 64-bit database id)

app_name = "meetings"

urlpatterns = [
    path("", views.my_meetings, name="mine"),
    path("<id:pk>/", views.meeting_detail, name="detail"),
    path("dyad/<id:pk>/", views.dyad_meetings, name="dyad"),
    path("dyad/<id:pk>/propose/", views.propose_meeting, name="propose"),
    path("proposals/<id:pk>/accept/", views.accept_proposal, name="accept"),
    path("<id:pk>/change/", views.change_meeting, name="change"),
    path("<id:pk>/cancel/", views.cancel_meeting, name="cancel"),
    path("<id:pk>/mark/", views.mark_meeting, name="mark"),
    path("<id:pk>/invite.ics", views.meeting_invite, name="invite"),
    path("<id:pk>/agenda/", views.add_agenda_item, name="agenda_add"),
    path("<id:pk>/agenda/ready/", views.set_agenda_ready, name="agenda_ready"),
    path("agenda/<id:pk>/remove/", views.remove_agenda_item, name="agenda_remove"),
    path("<id:pk>/materials/add/", views.add_material, name="material_add"),
    path("materials/<id:pk>/download/", views.download_material, name="material_download"),
    path("materials/<id:pk>/review/", views.review_material, name="material_review"),
    path("<id:pk>/notes/", views.shared_notes, name="notes"),
    path("<id:pk>/private-notes/", views.private_note, name="private_note"),
    path("<id:pk>/actions/", views.add_action_item, name="action_add"),
    path("actions/<id:pk>/done/", views.set_action_item_done, name="action_done"),
    path("calendar/", views.calendar_feed_page, name="calendar"),
    path("calendar/regenerate/", views.regenerate_calendar_feed, name="calendar_regenerate"),
    path("calendar/revoke/", views.revoke_calendar_feed, name="calendar_revoke"),
    path("feed/<str:token>.ics", views.calendar_feed, name="feed"),
]
