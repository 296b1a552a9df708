"""Reads that feed the plan page and the home panel, each a fixed number of queries."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils import timezone

from goals import rules
from goals.models import (
    Goal,
    GoalReview,
    GoalRevision,
    GoalShare,
    GoalStatusLine,
    Milestone,
    Opportunity,
    ProgressReport,
    ReportComment,
    ReportItem,
    seen_version,
)
from mentoring.access import get_visible_or_404
from mentoring.models import User
from programs.models import OPEN_STATUSES, Dyad, Membership, Program
from programs.selectors import is_program_admin

TAKEN_OUTCOMES = [Opportunity.Outcome.TAKEN, Opportunity.Outcome.SUCCEEDED]


def plan_owner_or_404(*, user, program_pk: int, mentee_pk: int) -> tuple[Program, User]:
    """The program and the mentee whose plan `user` may open: their own, a mentee they mentor or
    mentored there, or any mentee of a program they administer. Anything else is a 404."""
    program = get_visible_or_404(Program, user, pk=program_pk)
    mentees = User.objects.filter(
        memberships__program=program, memberships__role=Membership.Role.MENTEE
    )
    if user.pk != mentee_pk and not is_program_admin(user, program):
        mentees = mentees.filter(
            Exists(Dyad.objects.filter(program=program, mentor=user, mentee=OuterRef("pk")))
        )
    return program, get_object_or_404(mentees.distinct(), pk=mentee_pk)


def _with_progress(goals: list[Goal], today) -> list[Goal]:
    for goal in goals:
        goal.show_version(getattr(goal, "seen_version", None))
        milestones = [milestone.show_as_seen() for milestone in goal.milestones.all()]
        # A proposal does not bind yet and a declined one never will: neither is a target to meet.
        counted = [m for m in milestones if not (m.is_proposed or m.is_declined)]
        goal.milestones_declined = sum(m.is_declined for m in milestones)
        goal.milestones_done = sum(m.status == Milestone.Status.DONE for m in counted)
        goal.milestones_total = len(counted)
        goal.milestones_overdue = sum(m.is_overdue(today) for m in milestones)
        for milestone in milestones:
            milestone.overdue = milestone.is_overdue(today)
        reviews = list(goal.reviews.all())
        goal.latest_review = reviews[0] if reviews else None
    return goals


def _plan_parts(user) -> list[Prefetch]:
    """A goal's milestones and reviews as `user` may see them: a former mentor's stop at the end
    of their dyad (goals.models._sees_plan)."""
    return [
        Prefetch("milestones", queryset=Milestone.objects.visible_to(user).as_seen_by(user)),
        Prefetch(
            "reviews",
            queryset=GoalReview.objects.visible_to(user).select_related("reviewer", "revision"),
        ),
    ]


def plan_goals(*, user, program: Program, mentee) -> list[Goal]:
    """The mentee's goals the user may see, by priority, each with its milestones, latest review
    and progress counts, as the user may see them."""
    goals = list(
        Goal.objects.visible_to(user)
        .as_seen_by(user)
        .filter(program=program, mentee=mentee)
        .order_by("priority", "id")
        .prefetch_related(*_plan_parts(user))
    )
    return _with_progress(goals, timezone.localdate())


def report_with_parts(queryset, *, user):
    """Reports with their items, status lines and comments, ready for a template, as `user` may
    see them; call `ProgressReport.show_as_seen` on each (see `seen_report`)."""
    return (
        queryset.as_seen_by(user)
        .select_related("mentee", "program", "reviewed_by")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=ReportItem.objects.select_related("goal").annotate(
                    goal_version=seen_version(user, goal="goal")
                ),
            ),
            Prefetch(
                "status_lines",
                queryset=GoalStatusLine.objects.select_related("goal").annotate(
                    goal_version=seen_version(user, goal="goal")
                ),
            ),
            Prefetch(
                "comments",
                queryset=ReportComment.objects.visible_to(user).select_related("author"),
            ),
        )
    )


def seen_report(report: ProgressReport | None) -> ProgressReport | None:
    """A report from `report_with_parts`, showing only what its viewer may see."""
    if report is not None:
        report.show_as_seen()
        for part in [*report.items.all(), *report.status_lines.all()]:
            if part.goal is not None:
                part.goal.show_version(part.goal_version)
    return report


def report_or_404(*, user, pk: int) -> ProgressReport:
    """The report page's report, as `user` may see it."""
    return seen_report(
        get_visible_or_404(report_with_parts(ProgressReport.objects.all(), user=user), user, pk=pk)
    )


def plan_for(*, user, program: Program, mentee) -> dict:
    """Everything the plan page shows: goals by priority with milestone progress, the latest
    report and its review, opportunities (admins: counts only), and what the user may do."""
    is_admin = is_program_admin(user, program)
    my_dyads = list(
        Dyad.objects.filter(program=program, mentee=mentee, mentor=user, status__in=OPEN_STATUSES)
    )
    reports = ProgressReport.objects.visible_to(user).filter(program=program, mentee=mentee)
    latest_report = seen_report(report_with_parts(reports, user=user).first())
    opportunities = list(
        Opportunity.objects.visible_to(user)
        .filter(program=program, mentee=mentee)
        .select_related("offered_by")
    )
    counts = None
    if is_admin:
        counts = Opportunity.objects.filter(program=program, mentee=mentee).aggregate(
            total=Count("id"), taken=Count("id", filter=Q(outcome__in=TAKEN_OUTCOMES))
        )
    return {
        "program": program,
        "mentee": mentee,
        "goals": plan_goals(user=user, program=program, mentee=mentee),
        "latest_report": latest_report,
        "report_count": reports.count(),
        "opportunities": opportunities,
        "opportunity_counts": counts,
        "is_mentee": user.pk == mentee.pk,
        "is_primary_mentor": any(d.kind == Dyad.Kind.PRIMARY for d in my_dyads),
        "can_offer": bool(my_dyads),
        "is_admin": is_admin,
    }


def goal_detail(goal: Goal, *, user, primary_mentor: bool) -> dict:
    """A goal page: milestones, reviews, the revision timeline and the goal's shares, as the user
    may see them (a former mentor: as they were when the dyad ended). Each milestone carries
    `actions`, what the user may do to it (`primary_mentor`: the user is the mentee's primary
    mentor, asked once by the caller)."""
    goal.seen_version = (
        Goal.objects.as_seen_by(user).filter(pk=goal.pk).values_list("seen_version", flat=True)[0]
    )
    prefetch_related_objects([goal], *_plan_parts(user))
    goal = _with_progress([goal], timezone.localdate())[0]
    revisions = list(
        GoalRevision.objects.visible_to(user)
        .filter(goal=goal)
        .select_related("by")
        .order_by("-number")
    )
    milestones = list(goal.milestones.all())
    today = timezone.localdate()
    for milestone in milestones:
        milestone.actions = rules.milestone_actions(
            user, milestone, primary_mentor=primary_mentor, today=today
        )
    return {
        "goal": goal,
        "milestones": milestones,
        "reviews": list(goal.reviews.all()),
        "revisions": revisions,
        "shares": list(
            GoalShare.objects.visible_to(user).filter(goal=goal).select_related("dyad__mentor")
        ),
    }


def reports_of(*, user, program: Program, mentee):
    return ProgressReport.objects.visible_to(user).filter(program=program, mentee=mentee)


def home_panel(user) -> dict:
    """The goals panel of the home page: a mentee's next and overdue milestones, a mentor's
    reports awaiting review and mentees' plans, an admin's opportunity counts per program."""
    today = timezone.localdate()
    plans_as_mentee = list(
        Membership.objects.filter(user=user, role=Membership.Role.MENTEE).select_related("program")
    )
    next_milestones = list(
        Milestone.objects.filter(
            goal__mentee=user,
            goal__status__in=[Goal.Status.DRAFT, Goal.Status.ACTIVE],
            status__in=[Milestone.Status.PROPOSED, Milestone.Status.ACCEPTED],
        )
        .select_related("goal")
        .order_by("due_date", "id")[:8]
    )
    for milestone in next_milestones:
        milestone.overdue = milestone.is_overdue(today)
    mentee_dyads = list(
        Dyad.objects.filter(mentor=user, status__in=OPEN_STATUSES)
        .select_related("mentee", "program")
        .order_by("program__name", "mentee__name")
    )
    current_primary = Dyad.objects.filter(
        program=OuterRef("program"),
        mentee=OuterRef("mentee"),
        mentor=user,
        kind=Dyad.Kind.PRIMARY,
        status__in=OPEN_STATUSES,
    )
    to_review = list(
        ProgressReport.objects.awaiting_review()
        .filter(Exists(current_primary))
        .select_related("mentee", "program")
        .order_by("submitted_at")[:20]
    )
    opportunity_counts = list(
        Program.objects.administered_by(user)
        .annotate(
            opportunity_total=Count("opportunities"),
            opportunity_taken=Count(
                "opportunities", filter=Q(opportunities__outcome__in=TAKEN_OUTCOMES)
            ),
        )
        .order_by("name")
    )
    return {
        "goals_plans_as_mentee": plans_as_mentee,
        "goals_next_milestones": next_milestones,
        "goals_overdue_count": Milestone.objects.filter(
            goal__mentee=user, goal__status__in=[Goal.Status.DRAFT, Goal.Status.ACTIVE]
        )
        .overdue(today)
        .count(),
        "goals_mentee_dyads": mentee_dyads,
        "goals_reports_to_review": to_review,
        "goals_opportunity_counts": opportunity_counts,
    }
