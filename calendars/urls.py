from django.urls import path

from calendars import views

app_name = "calendars"
urlpatterns = [
    path("", views.my_calendars, name="mine"),
    path("hours/", views.save_hours, name="hours"),
    path("published/", views.connect_published, name="connect_published"),
    path("caldav/", views.connect_caldav, name="connect_caldav"),
    path("<id:pk>/refresh/", views.refresh, name="refresh"),
    path("<id:pk>/calendar/", views.choose_calendar, name="choose_calendar"),
    path("<id:pk>/disconnect/", views.disconnect, name="disconnect"),
    path("slots/<id:pk>/", views.slots, name="slots"),
]
