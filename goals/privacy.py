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


@registry.personal_data("goals")
def goals_data(user) -> registry.PersonalData:
    goals = Goal.objects.filter(mentee=user).select_related("program").order_by("created_at")
    reports = ProgressReport.objects.filter(mentee=user).order_by("submitted_at")
    return registry.PersonalData(
        data={
            "goals": [
                {
                    **as_data(
                        g,
                        [
                            "program",
                            "title",
                            "description",
                            "category",
                            "horizon",
                            "target_date",
                            "status",
                            "options",
                            "created_at",
                        ],
                    ),
                    "id": g.pk,
                }
                for g in goals
            ],
            "milestones": [
                as_data(
                    m,
                    [
                        "goal_id",
                        "title",
                        "due_date",
                        "status",
                        "completed_on",
                        "evidence",
                        "decline_reason",
                    ],
                )
                for m in Milestone.objects.filter(goal__in=goals)
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
            "reviews_i_wrote": [
                as_data(r, ["goal", "decision", "comment", "created_at"])
                for r in GoalReview.objects.filter(reviewer=user).select_related("goal")
            ],
            "comments_i_wrote": [
                as_data(c, ["report_id", "text", "created_at"])
                for c in ReportComment.objects.filter(author=user)
            ],
            "opportunities": [
                as_data(
                    o,
                    ["program", "mentee", "offered_by", "kind", "title", "description", "outcome"],
                )
                for o in Opportunity.objects.filter(mentee=user)
                | Opportunity.objects.filter(offered_by=user)
            ],
        }
    )
