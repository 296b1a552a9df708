"""Goals test data, built through the goals services like a person would."""

from datetime import timedelta

from django.utils import timezone

from goals import services
from goals.models import Goal, Milestone, ProgressReport, ReportItem


def make_goal(program, mentee, title: str = "Submit a K award", **fields) -> Goal:
    fields.setdefault("category", Goal.Category.RESEARCH)
    fields.setdefault("target_date", timezone.localdate() + timedelta(days=180))
    return services.create_goal(program=program, mentee=mentee, by=mentee, title=title, **fields)


def make_milestone(goal: Goal, by=None, title: str = "Draft the aims", days: int = 30) -> Milestone:
    return services.propose_milestone(
        goal=goal,
        by=by or goal.mentee,
        title=title,
        due_date=timezone.localdate() + timedelta(days=days),
    )


def make_report(program, mentee, goal: Goal | None = None, **fields) -> ProgressReport:
    fields.setdefault("accomplishments", "Wrote the specific aims.")
    return services.submit_progress_report(
        program=program,
        mentee=mentee,
        by=mentee,
        items=[(ReportItem.Kind.BARRIER, "No protected time for writing.", goal)],
        **fields,
    )
