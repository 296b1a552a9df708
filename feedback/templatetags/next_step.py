"""The "next step" card at the top of home: the one most urgent thing for the person, picked from
the fields of the home panels already built (meetings, goals, feedback: no query of its own).

It lives in the feedback app, the top of the feature layers, because it reads the panels of the
apps below it; the order of `_CANDIDATES` is the order of urgency, each candidate reading one
panel type (a panel not built for the person's roles offers nothing).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from feedback.selectors import FeedbackPanel
from goals.selectors import GoalsPanel
from meetings.selectors import MeetingsPanel
from mentoring import moments
from mentoring.registry import HomePanel

register = template.Library()


@dataclass(frozen=True)
class Step:
    text: str
    url: str
    why: str


def _partner(meeting, user) -> str:
    dyad = meeting.dyad
    return str(dyad.mentee if dyad.mentor_id == user.pk else dyad.mentor)


def _answer_proposal(meetings: MeetingsPanel, user) -> Step | None:
    for meeting in meetings.to_answer:
        return Step(
            _("Pick a time for your meeting with %(partner)s")
            % {"partner": _partner(meeting, user)},
            meeting.get_absolute_url(),
            _("They proposed times and wait for your answer."),
        )
    return None


def _write_agenda(meetings: MeetingsPanel, user) -> Step | None:
    for meeting in meetings.upcoming:
        # `writes_agenda`: meetings.rules.can_mark_agenda_ready, decided when the panel was built.
        if meeting.writes_agenda and not meeting.agenda_ready_at:
            return Step(
                _("Write the agenda for %(when)s")
                % {"when": moments.moment_text(meeting.starts_at)},
                f"{meeting.get_absolute_url()}#agenda",
                _("Your meeting with %(partner)s has no ready agenda yet.")
                % {"partner": _partner(meeting, user)},
            )
    return None


def _review_material(meetings: MeetingsPanel, user) -> Step | None:
    for dyad in meetings.to_review:
        return Step(
            _("Review “%(title)s” from %(mentee)s")
            % {"title": dyad.meetings_material_title, "mentee": dyad.mentee},
            reverse("meetings:material_review", args=[dyad.meetings_material_id]),
            _("Your mentee sent it for review by %(day)s.")
            % {"day": moments.day_text(dyad.meetings_material_review_by)}
            if dyad.meetings_material_review_by
            else _("Your mentee sent it for review."),
        )
    return None


def _give_feedback(feedback: FeedbackPanel, user) -> Step | None:
    for request in feedback.open_requests:
        if request.is_fit_check:
            return Step(
                _("Tell us whether %(person)s is a good fit") % {"person": request.subject},
                request.get_absolute_url(),
                _("A short check after your first meeting."),
            )
        due = getattr(request.cycle, "due", None)
        return Step(
            _("Give feedback to %(person)s") % {"person": request.subject},
            request.get_absolute_url(),
            _("Due by %(day)s.") % {"day": moments.day_text(due)}
            if due
            else _("Your feedback is due."),
        )
    return None


def _accept_milestone(goals: GoalsPanel, user) -> Step | None:
    for milestone in goals.next_milestones:
        if milestone.is_proposed:
            return Step(
                _("Accept or discuss the milestone “%(title)s”") % {"title": milestone.title},
                milestone.goal.get_absolute_url(),
                _("Your mentor proposed it for your plan."),
            )
    return None


def _mark_meeting(meetings: MeetingsPanel, user) -> Step | None:
    for meeting in meetings.to_mark:
        return Step(
            _("Say whether your meeting of %(when)s took place")
            % {"when": moments.moment_text(meeting.starts_at)},
            f"{meeting.get_absolute_url()}#mark-outcome",
            _("Your meeting with %(partner)s has started.") % {"partner": _partner(meeting, user)},
        )
    return None


def _attend_to_dyads(feedback: FeedbackPanel, user) -> Step | None:
    for program, count, re_pair in feedback.attention_by_program:
        if count:
            return Step(
                ngettext(
                    "See the %(count)d dyad needing attention in %(program)s",
                    "See the %(count)d dyads needing attention in %(program)s",
                    count,
                )
                % {"count": count, "program": program.name},
                reverse("feedback:attention", args=[program.slug]),
                _flagged_by(count, re_pair),
            )
    return None


def _flagged_by(count: int, re_pair: int) -> str:
    """Why dyads are on the attention list: re-pair requests named as such."""
    if not re_pair:
        return _("Flagged by feedback or missed meetings.")
    if re_pair < count:
        return _("Flagged by re-pair requests, feedback or missed meetings.")
    return _("Flagged by a re-pair request.") if count == 1 else _("Flagged by re-pair requests.")


_CANDIDATES: list[tuple[type, Callable[..., Step | None]]] = [
    (MeetingsPanel, _answer_proposal),
    (MeetingsPanel, _write_agenda),
    (MeetingsPanel, _review_material),
    (FeedbackPanel, _give_feedback),
    (GoalsPanel, _accept_milestone),
    (MeetingsPanel, _mark_meeting),
    (FeedbackPanel, _attend_to_dyads),
]


@register.simple_tag
def next_step(panels: Iterable[HomePanel], user) -> Step | None:
    """`{% next_step panels user as step %}`: the first step of `_CANDIDATES` that the person's
    home panels offer, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    by_type = {type(panel): panel for panel in panels}
    for kind, candidate in _CANDIDATES:
        panel = by_type.get(kind)
        step = candidate(panel, user) if panel is not None else None
        if step is not None:
            return step
    return None
