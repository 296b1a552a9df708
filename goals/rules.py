"""Who may do what to a mentee's plan: one predicate per action, written once.

The mentee owns the plan; their current primary mentor reviews it and proposes milestones; a
supplemental mentor sees and comments on the goals shared with them. Services enforce these
(`require(...)` → 403; a `ValidationError` when the state forbids it), and pages show a control only
when its predicate allows it. Whether someone is the primary mentor is one query: a page asks it
once and passes it on as `primary_mentor=`.
"""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from goals.models import Goal, Milestone
from programs.models import OPEN_STATUSES, Dyad, Program


def is_primary_mentor(user, *, program: Program, mentee) -> bool:
    """The user is the mentee's current primary mentor in the program (an open primary dyad)."""
    return (
        Dyad.objects.open()
        .filter(program=program, mentee=mentee, mentor=user, kind=Dyad.Kind.PRIMARY)
        .exists()
    )


def is_sharing_mentor(user, *, goal: Goal) -> bool:
    """The user is a supplemental mentor whose open dyad the goal is shared with."""
    return goal.shares.filter(dyad__mentor=user, dyad__status__in=OPEN_STATUSES).exists()


def owns_plan(user, goal: Goal) -> bool:
    """The mentee whose goal it is."""
    return user.pk == goal.mentee_id


def _primary(user, goal: Goal, primary_mentor: bool | None) -> bool:
    if primary_mentor is None:
        return is_primary_mentor(user, program=goal.program, mentee=goal.mentee)
    return primary_mentor


def missed_refusal(milestone: Milestone, *, today: date | None = None) -> str:
    """Only a binding milestone whose date has passed undone can be recorded as missed."""
    if milestone.status != Milestone.Status.ACCEPTED:
        return _("Only an accepted milestone that is not done can be missed.")
    if milestone.due_date >= (today or timezone.localdate()):
        return _("This milestone is not due yet; it can be missed after its date.")
    return ""


def can_propose_milestone(user, goal: Goal, *, primary_mentor: bool | None = None) -> bool:
    """The mentee sets milestones; their primary mentor proposes them."""
    return owns_plan(user, goal) or _primary(user, goal, primary_mentor)


def can_accept_milestone(user, milestone: Milestone) -> bool:
    """The mentee accepts (or declines) a milestone the mentor proposed."""
    return owns_plan(user, milestone.goal) and milestone.status == Milestone.Status.PROPOSED


def can_decline_milestone(user, milestone: Milestone) -> bool:
    return can_accept_milestone(user, milestone)


def can_complete_milestone(user, milestone: Milestone) -> bool:
    """The mentee marks a binding milestone done."""
    return owns_plan(user, milestone.goal) and milestone.status == Milestone.Status.ACCEPTED


def may_mark_missed(user, milestone: Milestone, *, primary_mentor: bool | None = None) -> bool:
    """Holding the mentee accountable: the mentee or their primary mentor says so plainly."""
    goal = milestone.goal
    return owns_plan(user, goal) or _primary(user, goal, primary_mentor)


def can_mark_missed(
    user, milestone: Milestone, *, primary_mentor: bool | None = None, today: date | None = None
) -> bool:
    return not missed_refusal(milestone, today=today) and may_mark_missed(
        user, milestone, primary_mentor=primary_mentor
    )


def milestone_actions(
    user, milestone: Milestone, *, primary_mentor: bool, today: date | None = None
) -> set[str]:
    """What the viewer may do to one milestone, for the template to test with `in`."""
    checks = {
        "accept": can_accept_milestone(user, milestone),
        "decline": can_decline_milestone(user, milestone),
        "complete": can_complete_milestone(user, milestone),
        "mark_missed": can_mark_missed(user, milestone, primary_mentor=primary_mentor, today=today),
    }
    return {action for action, allowed in checks.items() if allowed}
