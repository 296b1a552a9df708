"""Who may do what with feedback: one predicate per action, written once.

The author of a feedback request answers it and corrects what they submitted; the program's admins
open cycles, add questions, remind and work the attention list. Services enforce these (`require`
→ 403; a `ValidationError` when the dates refuse it), and pages show a control only when its
predicate allows it.
"""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.models import FeedbackRequest
from programs.models import Program
from programs.rules import administers


def oversees(user, program: Program) -> bool:
    """A program admin: opens cycles, reads confidential notes, works the attention list."""
    return administers(user, program)


def is_author(user, feedback_request: FeedbackRequest) -> bool:
    """The person asked for this feedback: only they answer it, nobody answers for them."""
    return user.pk == feedback_request.author_id


def accepting_refusal(feedback_request: FeedbackRequest, *, today: date | None = None) -> str:
    """Why a cycle's dates, or the end of the pairing, refuse answers today, or ""."""
    if feedback_request.withdrawn_at is not None:
        return _("The pairing ended, so this feedback is no longer asked for.")
    cycle = feedback_request.cycle
    if cycle is None:
        return ""
    today = today or timezone.localdate()
    if today < cycle.opens:
        return _("This feedback cycle opens on %(day)s; answers are accepted from then.") % {
            "day": cycle.opens.isoformat()
        }
    if today > cycle.closes:
        return _("This feedback cycle closed on %(day)s; answers are no longer accepted.") % {
            "day": cycle.closes.isoformat()
        }
    return ""


def is_accepting(feedback_request: FeedbackRequest, *, today: date | None = None) -> bool:
    return not accepting_refusal(feedback_request, today=today)


def can_answer(user, feedback_request: FeedbackRequest, *, has_draft: bool) -> bool:
    """The author writes a draft and submits it; once submitted, only a correction changes it."""
    return is_author(user, feedback_request) and (
        has_draft or feedback_request.submitted_at is None
    )


def can_correct(
    user, feedback_request: FeedbackRequest, *, has_draft: bool, today: date | None = None
) -> bool:
    """The author starts a correction of what they submitted, while the cycle accepts answers."""
    return (
        is_author(user, feedback_request)
        and feedback_request.submitted_at is not None
        and not has_draft
        and is_accepting(feedback_request, today=today)
    )
