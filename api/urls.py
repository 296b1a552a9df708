from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import errors, views
from mentoring import converters  # noqa: F401 (registers <id:...>)

app_name = "api"


def _open(view):
    """The API answers with 401 itself: no redirect to the sign-in page (LoginRequiredMiddleware)."""
    return login_not_required(view)


urlpatterns = [
    path("", _open(views.ApiRoot.as_view()), name="root"),
    path("schema/", _open(SpectacularAPIView.as_view()), name="schema"),
    path(
        "docs/",
        _open(
            SpectacularSwaggerSplitView.as_view(
                url_name="api:schema", template_name="api/swagger_ui.html"
            )
        ),
        name="docs",
    ),
    path("programs/", _open(views.ProgramList.as_view()), name="programs"),
    path("programs/<id:pk>/", _open(views.ProgramDetail.as_view()), name="program"),
    path("programs/<id:pk>/overview/", _open(views.OverviewDetail.as_view()), name="overview"),
    path(
        "programs/<id:pk>/mentor-feedback/",
        _open(views.MentorFeedbackList.as_view()),
        name="mentor_feedback",
    ),
    path("members/", _open(views.MemberList.as_view()), name="members"),
    path("members/<id:pk>/", _open(views.MemberDetail.as_view()), name="member"),
    path("dyads/", _open(views.DyadList.as_view()), name="dyads"),
    path("dyads/<id:pk>/", _open(views.DyadDetail.as_view()), name="dyad"),
    path("meetings/", _open(views.MeetingList.as_view()), name="meetings"),
    path("meetings/<id:pk>/", _open(views.MeetingDetail.as_view()), name="meeting"),
    path("goals/", _open(views.GoalSummaryList.as_view()), name="goals"),
    path("feedback-cycles/", _open(views.FeedbackCycleList.as_view()), name="feedback_cycles"),
    path(
        "feedback-cycles/<id:pk>/",
        _open(views.FeedbackCycleDetail.as_view()),
        name="feedback_cycle",
    ),
    re_path(r"^.*$", _open(errors.not_found)),
]
