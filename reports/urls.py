from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.department, name="department"),
    path("programs/<slug:slug>/lists/<slug:kind>/", views.tile_list, name="list"),
    path("programs/<slug:slug>/lists/<slug:kind>.csv", views.tile_list_csv, name="list_csv"),
    path("programs/<slug:slug>/trends/", views.trends, name="trends"),
    path("programs/<slug:slug>/exports/", views.export_list, name="exports"),
    path("programs/<slug:slug>/exports/<slug:key>.csv", views.export_csv, name="export_csv"),
    path("programs/<slug:slug>/mentor-load/", views.mentor_load, name="mentor_load"),
    path("programs/<slug:slug>/annual/", views.annual, name="annual"),
]
