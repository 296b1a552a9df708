"""The feedback app's part of a person's data export: the feedback they gave (every version, with
their own confidential notes) and the feedback about them that the pages would show them (once
revealed). Nobody else's confidential note is ever included."""

from feedback.models import ConfidentialNote, FeedbackResponse, QuestionAnswer, Rating
from mentoring import registry
from mentoring.privacy import as_data

FIELDS = [
    "version",
    "status",
    "strengths",
    "areas_to_grow",
    "meeting_frequency",
    "working",
    "role_clarity",
    "fit",
    "correction_reason",
    "submitted_at",
]


def _response(response: FeedbackResponse) -> dict:
    return {
        **as_data(response, FIELDS),
        "about": str(response.request.subject),
        "by": str(response.request.author),
        "cycle": str(response.request.cycle) if response.request.cycle_id else "fit check",
        "ratings": {
            r.quality: r.score for r in Rating.objects.filter(response=response).order_by("pk")
        },
        "answers": [
            as_data(a, ["question", "scale", "text"])
            for a in QuestionAnswer.objects.filter(response=response).select_related("question")
        ],
    }


@registry.personal_data("feedback")
def feedback_data(user) -> registry.PersonalData:
    related = ("request__author", "request__subject", "request__cycle")
    given = FeedbackResponse.objects.filter(request__author=user).select_related(*related)
    received = (
        FeedbackResponse.objects.visible_to(user)
        .submitted()
        .filter(request__subject=user)
        .select_related(*related)
    )
    return registry.PersonalData(
        data={
            "given": [_response(r) for r in given.order_by("created_at")],
            "received": [_response(r) for r in received.order_by("created_at")],
            "my_confidential_notes": [
                as_data(n, ["text", "created_at"])
                for n in ConfidentialNote.objects.filter(response__request__author=user)
            ],
        }
    )
