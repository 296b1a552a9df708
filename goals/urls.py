from django.urls import path

from goals import views
from mentoring import converters  # noqa: F401 (registers <id:...>, a 64-bit database id)

app_name = "goals"

urlpatterns = [
    path("", views.my_plans, name="mine"),
    path("plan/<id:program_pk>/<id:mentee_pk>/", views.plan, name="plan"),
    path("plan/<id:program_pk>/new/", views.goal_create, name="create"),
    path("plan/<id:program_pk>/report/", views.report_create, name="report_create"),
    path(
        "plan/<id:program_pk>/<id:mentee_pk>/opportunities/new/",
        views.opportunity_create,
        name="opportunity_create",
    ),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/edit/", views.edit, name="edit"),
    path("<id:pk>/move/", views.move, name="move"),
    path("<id:pk>/review/", views.review, name="review"),
    path("<id:pk>/share/", views.share, name="share"),
    path("<id:pk>/milestones/new/", views.milestone_add, name="milestone_add"),
    path("reviews/<id:pk>/edit/", views.review_edit, name="review_edit"),
    path("shares/<id:pk>/delete/", views.unshare, name="unshare"),
    path("milestones/<id:pk>/accept/", views.milestone_accept, name="milestone_accept"),
    path("milestones/<id:pk>/done/", views.milestone_complete, name="milestone_complete"),
    path("milestones/<id:pk>/missed/", views.milestone_missed, name="milestone_missed"),
    path("milestones/<id:pk>/decline/", views.milestone_decline, name="milestone_decline"),
    path("reports/<id:pk>/", views.report, name="report"),
    path("reports/<id:pk>/comment/", views.report_comment, name="report_comment"),
    path("reports/<id:pk>/reviewed/", views.report_reviewed, name="report_reviewed"),
    path("comments/<id:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("opportunities/<id:pk>/edit/", views.opportunity_edit, name="opportunity_edit"),
]
