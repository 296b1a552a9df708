"""The feedback app's URLs in the permission matrix (tests/test_access.py)."""

from feedback.models import AttentionItem
from tests.access import EVERYONE, Case, roles
from tests.feedback.helpers import request_of, submit, the_cycle


def _mentee_request(w):
    return request_of(the_cycle(w), w.dyad, "mentee")


def _submitted_mentee_request(w):
    feedback_request = _mentee_request(w)
    if feedback_request.submitted_at is None:
        submit(feedback_request)
    return feedback_request


def _attention_item(w):
    feedback_request = _mentee_request(w)
    if feedback_request.submitted_at is None:
        submit(feedback_request, working="different")
    return AttentionItem.objects.filter(dyad=w.dyad).first()


ADMIN = roles("admin")

CASES = [
    Case("feedback:mine", ok=EVERYONE),
    Case(
        "feedback:request", lambda w: [_mentee_request(w).pk], ok=roles("admin", "mentor", "mentee")
    ),
    Case(
        "feedback:request",
        lambda w: [_mentee_request(w).pk],
        ok=roles("mentee"),
        method="post",
        data=lambda w: {"action": "save", "strengths": "A draft"},
        label="save draft",
    ),
    Case(
        "feedback:correct",
        lambda w: [_submitted_mentee_request(w).pk],
        ok=roles("mentee"),
        method="post",
    ),
    Case("feedback:remind", lambda w: [_mentee_request(w).pk], ok=ADMIN, method="post"),
    Case("feedback:program", lambda w: [w.program.slug], ok=ADMIN),
    Case("feedback:open_cycle", lambda w: [w.program.slug], ok=ADMIN),
    Case("feedback:attention", lambda w: [w.program.slug], ok=ADMIN),
    Case("feedback:mentors", lambda w: [w.program.slug], ok=ADMIN),
    Case("feedback:cycle", lambda w: [the_cycle(w).pk], ok=ADMIN),
    Case(
        "feedback:add_question",
        lambda w: [the_cycle(w).pk],
        ok=ADMIN,
        method="post",
        data=lambda w: {"text": "How useful were your meetings?", "kind": "scale"},
    ),
    Case("feedback:attention_item", lambda w: [_attention_item(w).pk], ok=ADMIN),
    Case(
        "feedback:adjust_cadence",
        lambda w: [_attention_item(w).pk],
        ok=ADMIN,
        method="post",
        data=lambda w: {"cadence_days": "14"},
    ),
]
