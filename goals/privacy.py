"""The goals app's part of a person's data export: as mentee, their development plan; as mentor,
the reviews, comments and opportunities they wrote."""

from goals.models import (
    Goal,
    GoalReview,
    Milestone,
    Opportunity,
    ProgressReport,
    ReportComment,
    ReportItem,
)
from mentoring import registry
from mentoring.privacy import as_data

GOAL_FIELDS = [
    "program",
    "title",
    "description",
    "category",
    "horizon",
    "target_date",
    "status",
    "options",
    "created_at",
]
MILESTONE_FIELDS = [
    "goal_id",
    "title",
    "due_date",
    "status",
    "completed_on",
    "evidence",
    "decline_reason",
]
OPPORTUNITY_FIELDS = ["program", "mentee", "offered_by", "kind", "title", "description", "outcome"]


def _plan_of(user) -> dict:
    """As mentee: their goals, milestones and progress reports with their items."""
    goals = Goal.objects.filter(mentee=user).select_related("program").order_by("created_at")
    reports = ProgressReport.objects.filter(mentee=user).order_by("submitted_at")
    return {
        "goals": [{**as_data(g, GOAL_FIELDS), "id": g.pk} for g in goals],
        "milestones": [
            as_data(m, MILESTONE_FIELDS) for m in Milestone.objects.filter(goal__in=goals)
        ],
        "progress_reports": [
            {
                **as_data(r, ["program", "accomplishments", "help_needed", "submitted_at"]),
                "items": [
                    as_data(i, ["kind", "text", "goal_id"])
                    for i in ReportItem.objects.filter(report=r)
                ],
            }
            for r in reports
        ],
    }


def _written_by(user) -> dict:
    """As mentor: the reviews and comments they wrote; the opportunities offered to or by them."""
    return {
        "reviews_i_wrote": [
            as_data(r, ["goal", "decision", "comment", "created_at"])
            for r in GoalReview.objects.filter(reviewer=user).select_related("goal")
        ],
        "comments_i_wrote": [
            as_data(c, ["report_id", "text", "created_at"])
            for c in ReportComment.objects.filter(author=user)
        ],
        "opportunities": [
            as_data(o, OPPORTUNITY_FIELDS)
            for o in Opportunity.objects.filter(mentee=user)
            | Opportunity.objects.filter(offered_by=user)
        ],
    }


@registry.personal_data("goals")
def goals_data(user) -> registry.PersonalData:
    return registry.PersonalData(data={**_plan_of(user), **_written_by(user)})
