from django.urls import path

from goals import views

app_name = "goals"

urlpatterns = [
    path("plan/<int:program_pk>/<int:mentee_pk>/", views.plan, name="plan"),
    path("plan/<int:program_pk>/new/", views.goal_create, name="create"),
    path("plan/<int:program_pk>/report/", views.report_create, name="report_create"),
    path(
        "plan/<int:program_pk>/<int:mentee_pk>/opportunities/new/",
        views.opportunity_create,
        name="opportunity_create",
    ),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/share/", views.share, name="share"),
    path("<int:pk>/milestones/new/", views.milestone_add, name="milestone_add"),
    path("reviews/<int:pk>/edit/", views.review_edit, name="review_edit"),
    path("shares/<int:pk>/delete/", views.unshare, name="unshare"),
    path("milestones/<int:pk>/accept/", views.milestone_accept, name="milestone_accept"),
    path("milestones/<int:pk>/done/", views.milestone_complete, name="milestone_complete"),
    path("milestones/<int:pk>/missed/", views.milestone_missed, name="milestone_missed"),
    path("milestones/<int:pk>/decline/", views.milestone_decline, name="milestone_decline"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/comment/", views.report_comment, name="report_comment"),
    path("reports/<int:pk>/reviewed/", views.report_reviewed, name="report_reviewed"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("opportunities/<int:pk>/edit/", views.opportunity_edit, name="opportunity_edit"),
]
