"""Feedback test data, built through the app's own services."""

from datetime import timedelta

from django.utils import timezone

from feedback.models import FeedbackCycle, FeedbackRequest
from feedback.services import open_cycle, submit_feedback


def make_cycle(world, *, program=None, name="Spring") -> FeedbackCycle:
    """An open cycle of program A (or `program`): two requests per active dyad."""
    program = program or world.program
    admin = world.admin if program == world.program else world.outsider_admin
    today = timezone.localdate()
    return open_cycle(
        program=program,
        by=admin,
        name=name,
        opens=today,
        due=today + timedelta(days=14),
        closes=today + timedelta(days=21),
    )


def the_cycle(world) -> FeedbackCycle:
    """The one cycle of program A, opened on first use (for the permission matrix)."""
    return FeedbackCycle.objects.filter(program=world.program).first() or make_cycle(world)


def request_of(cycle, dyad, role: str) -> FeedbackRequest:
    return cycle.requests.get(dyad=dyad, author_role=role)


def rubric(feedback_request: FeedbackRequest, *, score=4, working="continue", **extra) -> dict:
    """A complete answer to a request, in the shape submit_feedback takes."""
    if feedback_request.is_fit_check:
        return {"fit": extra.pop("fit", "good"), "strengths": "Good first talk.", **extra}
    return {
        "ratings": {q.value: score for q in feedback_request.qualities},
        "strengths": f"Strengths from {feedback_request.author_role}",
        "areas_to_grow": f"Areas from {feedback_request.author_role}",
        "meeting_frequency": "right",
        "working": working,
        "role_clarity": "clear" if feedback_request.dyad.mentor_is_supervisor else "",
        **extra,
    }


def post_data(
    feedback_request: FeedbackRequest, *, action="submit", score="4", working="continue", **extra
):
    """What the browser posts for a complete answer."""
    data = {"action": action}
    if feedback_request.is_fit_check:
        data.update(fit="good", strengths="Good first talk.")
    else:
        data.update({f"q_{q.value}": score for q in feedback_request.qualities})
        data.update(
            strengths=f"Strengths from {feedback_request.author_role}",
            areas_to_grow="More drafts, earlier.",
            meeting_frequency="right",
            working=working,
        )
        if feedback_request.dyad.mentor_is_supervisor and feedback_request.author_role == "mentee":
            data["role_clarity"] = "clear"
    data.update(extra)
    return data


def submit(feedback_request: FeedbackRequest, **answers):
    return submit_feedback(
        feedback_request=feedback_request,
        by=feedback_request.author,
        answers=rubric(feedback_request, **answers),
    )
