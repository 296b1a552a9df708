"""The "next step" card at the top of home: the one most urgent thing for the person, picked from
what the home panels already fetched (meetings, goals, feedback: no query of its own).

It lives in the feedback app, the top of the feature layers, because it reads the panels of the
apps below it; the order of `_CANDIDATES` is the order of urgency.
"""

from dataclasses import dataclass

from django import template
from django.urls import reverse

from meetings import rules as meeting_rules
from mentoring import moments

register = template.Library()


@dataclass(frozen=True)
class Step:
    text: str
    url: str
    why: str


def _partner(meeting, user) -> str:
    dyad = meeting.dyad
    return str(dyad.mentee if dyad.mentor_id == user.pk else dyad.mentor)


def _answer_proposal(context, user):
    for meeting in context.get("meetings_to_answer") or ():
        return Step(
            f"Pick a time for your meeting with {_partner(meeting, user)}",
            meeting.get_absolute_url(),
            "They proposed times and wait for your answer.",
        )


def _write_agenda(context, user):
    for meeting in context.get("meetings_upcoming") or ():
        if meeting_rules.can_mark_agenda_ready(user, meeting) and not meeting.agenda_ready_at:
            return Step(
                f"Write the agenda for {moments.moment_text(meeting.starts_at)}",
                f"{meeting.get_absolute_url()}#agenda",
                f"Your meeting with {_partner(meeting, user)} has no ready agenda yet.",
            )


def _review_material(context, user):
    for dyad in context.get("meetings_to_review") or ():
        return Step(
            f"Review “{dyad.meetings_material_title}” from {dyad.mentee}",
            reverse("meetings:material_review", args=[dyad.meetings_material_id]),
            "Your mentee sent it for review"
            + (
                f" by {moments.day_text(dyad.meetings_material_review_by)}."
                if dyad.meetings_material_review_by
                else "."
            ),
        )


def _give_feedback(context, user):
    for request in context.get("feedback_open_requests") or ():
        if request.is_fit_check:
            return Step(
                f"Tell us whether {request.subject} is a good fit",
                request.get_absolute_url(),
                "A short check after your first meeting.",
            )
        due = getattr(request.cycle, "due", None)
        return Step(
            f"Give feedback to {request.subject}",
            request.get_absolute_url(),
            f"Due by {moments.day_text(due)}." if due else "Your feedback is due.",
        )


def _accept_milestone(context, user):
    for milestone in context.get("goals_next_milestones") or ():
        if milestone.is_proposed:
            return Step(
                f"Accept or discuss the milestone “{milestone.title}”",
                milestone.goal.get_absolute_url(),
                "Your mentor proposed it for your plan.",
            )


def _mark_meeting(context, user):
    for meeting in context.get("meetings_to_mark") or ():
        return Step(
            f"Say whether your meeting of {moments.moment_text(meeting.starts_at)} took place",
            f"{meeting.get_absolute_url()}#mark-outcome",
            f"Your meeting with {_partner(meeting, user)} has started.",
        )


def _attend_to_dyads(context, user):
    for program, count in context.get("feedback_attention_by_program") or ():
        if count:
            return Step(
                f"See the {count} dyad{'s' if count > 1 else ''} needing attention in {program.name}",
                reverse("feedback:attention", args=[program.slug]),
                "Feedback or missed meetings flagged them.",
            )


_CANDIDATES = [
    _answer_proposal,
    _write_agenda,
    _review_material,
    _give_feedback,
    _accept_milestone,
    _mark_meeting,
    _attend_to_dyads,
]


@register.simple_tag(takes_context=True)
def next_step(context) -> Step | None:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return None
    for candidate in _CANDIDATES:
        step = candidate(context, user)
        if step is not None:
            return step
    return None
