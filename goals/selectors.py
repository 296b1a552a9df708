"""Reads that feed the plan page and the home panel, each a fixed number of queries."""

from dataclasses import dataclass
from typing import ClassVar

from django.db.models import (
    Count,
    Prefetch,
    Window,
    prefetch_related_objects,
)
from django.http import Http404
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
from goals.visibility import sees_whole_plan
from mentoring import rawsql, registry, viewer
from mentoring.access import get_visible_or_404
from mentoring.models import User
from programs.models import OPEN_STATUSES, Dyad, Membership, Program, administered_ids
from programs.selectors import viewer_administered_counts, viewer_dyads
from programs.viewer import own_dyads

TAKEN_OUTCOMES = [Opportunity.Outcome.TAKEN, Opportunity.Outcome.SUCCEEDED]
# What the home panel reads of one mentor's unreviewed reports, at most: far above a real backlog.
HOME_REPORT_ROWS = 200
HOME_MILESTONES = 8
CURRENT_GOAL_STATUSES = [Goal.Status.DRAFT, Goal.Status.ACTIVE]


def plan_owner_or_404(*, user, program_pk: int, mentee_pk: int) -> tuple[Program, User]:
    """The program and the mentee whose plan `user` may open: their own, a mentee they mentor or
    mentored there, or any mentee of a program they administer. Anything else is a 404. Decided
    from the request's one fetch of the user's memberships and dyads (a program is visible to its
    members, as Program.objects.visible_to says); one query reads the mentee."""
    mine = [m for m in viewer.memberships(user) if m.program_id == program_pk]
    if not mine:
        raise Http404("No such program.")
    program = mine[0].program
    if user.pk == mentee_pk and any(m.role == Membership.Role.MENTEE for m in mine):
        return program, user
    mentored = any(
        d.program_id == program_pk and d.mentor_id == user.pk and d.mentee_id == mentee_pk
        for d in own_dyads(user)
    )
    if not (mentored or any(m.role == Membership.Role.ADMIN for m in mine)):
        raise Http404("No such plan.")
    membership = get_object_or_404(
        Membership.objects.select_related("user"),
        program_id=program_pk,
        user_id=mentee_pk,
        role=Membership.Role.MENTEE,
    )
    return program, membership.user


def _with_progress(
    goals: list[Goal], milestones: dict[int, list], reviews: dict[int, list], today
) -> list[Goal]:
    """Each goal as the viewer may see it, with `plan_milestones`, `latest_review` and its
    progress counts, from its milestones and reviews (newest first) by goal id."""
    for goal in goals:
        goal.show_version(getattr(goal, "seen_version", None))
        shown = [milestone.show_as_seen() for milestone in milestones.get(goal.pk, [])]
        # A proposal does not bind yet and a declined one never will: neither is a target to meet.
        counted = [m for m in shown if not (m.is_proposed or m.is_declined)]
        goal.milestones_declined = sum(m.is_declined for m in shown)
        goal.milestones_done = sum(m.status == Milestone.Status.DONE for m in counted)
        goal.milestones_total = len(counted)
        goal.milestones_overdue = sum(m.is_overdue(today) for m in shown)
        for milestone in shown:
            milestone.overdue = milestone.is_overdue(today)
        goal.plan_milestones = shown
        goal.latest_review = next(iter(reviews.get(goal.pk, [])), None)
    return goals


def _prefetched_parts(goals: list[Goal]) -> tuple[dict, dict]:
    return (
        {goal.pk: list(goal.milestones.all()) for goal in goals},
        {goal.pk: list(goal.reviews.all()) for goal in goals},
    )


# The plan as a viewer who sees all of it reads it (the mentee, an admin, an open primary mentor:
# sees_whole_plan), each part one query written as SQL (mentoring/rawsql.py): the plan page is
# opened all the time, and compiling these through the ORM cost several times running them. A
# former mentor's view, row by row as it was, goes through the ORM's rules (_plan_parts).
_PLAN_GOALS_SQL = """
SELECT * FROM goals_goal WHERE program_id = %s AND mentee_id = %s ORDER BY priority, id
"""
_PLAN_MILESTONES_SQL = """
SELECT ms.* FROM goals_milestone ms JOIN goals_goal g ON g.id = ms.goal_id
 WHERE g.program_id = %s AND g.mentee_id = %s
 ORDER BY ms.due_date, ms.id
"""
# Each goal's latest review (no later one: by time, then id, as GoalReview is ordered).
_PLAN_LATEST_REVIEWS_SQL = """
SELECT r.*, u.id AS reviewer__id, u.name AS reviewer__name, u.email AS reviewer__email
  FROM goals_goalreview r
  JOIN goals_goal g ON g.id = r.goal_id
  JOIN mentoring_user u ON u.id = r.reviewer_id
 WHERE g.program_id = %s AND g.mentee_id = %s
   AND NOT EXISTS (SELECT 1 FROM goals_goalreview later
                    WHERE later.goal_id = r.goal_id
                      AND (later.created_at > r.created_at
                           OR (later.created_at = r.created_at AND later.id > r.id)))
"""
# The latest report with how many there are.
_PLAN_LATEST_REPORT_SQL = """
SELECT r.*,
       (SELECT COUNT(*) FROM goals_progressreport c
         WHERE c.program_id = r.program_id AND c.mentee_id = r.mentee_id) AS visible_total,
       u.id AS reviewed_by__id, u.name AS reviewed_by__name, u.email AS reviewed_by__email
  FROM goals_progressreport r
  LEFT JOIN mentoring_user u ON u.id = r.reviewed_by_id
 WHERE r.program_id = %s AND r.mentee_id = %s
 ORDER BY r.submitted_at DESC, r.id DESC
 LIMIT 1
"""
_REPORT_ITEMS_SQL = """
SELECT i.*, g.id AS goal__id, g.title AS goal__title
  FROM goals_reportitem i LEFT JOIN goals_goal g ON g.id = i.goal_id
 WHERE i.report_id = %s ORDER BY i.id
"""
_REPORT_COMMENTS_SQL = """
SELECT c.*, u.id AS author__id, u.name AS author__name, u.email AS author__email
  FROM goals_reportcomment c JOIN mentoring_user u ON u.id = c.author_id
 WHERE c.report_id = %s ORDER BY c.created_at, c.id
"""
NAME_FIELDS = ("id", "name", "email")


_PLAN_REPORTS_SQL = """
SELECT id, program_id, mentee_id, accomplishments, submitted_at FROM goals_progressreport
 WHERE program_id = %s AND mentee_id = %s
 ORDER BY submitted_at DESC, id DESC
"""


def whole_plan_goals_and_reports(program_id: int, mentee_id: int) -> tuple[list, list]:
    """A plan's goals (by priority) and reports (newest first), with what a choice of one shows,
    for a viewer who sees the whole plan (the meeting page's agenda form): two queries."""
    plan = [program_id, mentee_id]
    return (
        rawsql.rows(Goal, _PLAN_GOALS_SQL, plan),
        rawsql.rows(ProgressReport, _PLAN_REPORTS_SQL, plan),
    )


def _whole_plan_goals(program_id: int, mentee_id: int) -> list[Goal]:
    """The plan's goals with their milestones and latest reviews, all of it seen: three queries."""
    plan = [program_id, mentee_id]
    goals = rawsql.rows(Goal, _PLAN_GOALS_SQL, plan)
    milestones: dict[int, list] = {}
    for milestone in rawsql.rows(Milestone, _PLAN_MILESTONES_SQL, plan):
        milestone.acceptance_seen = milestone.closure_seen = True
        milestones.setdefault(milestone.goal_id, []).append(milestone)
    reviews: dict[int, list] = {}
    for review in rawsql.rows(GoalReview, _PLAN_LATEST_REVIEWS_SQL, plan):
        rawsql.attach(review, "reviewer", NAME_FIELDS)
        reviews[review.goal_id] = [review]
    return _with_progress(goals, milestones, reviews, timezone.localdate())


def _whole_plan_report(program_id: int, mentee_id: int) -> ProgressReport | None:
    """The plan's latest report with its count, items and comments, all of it seen."""
    found = rawsql.rows(ProgressReport, _PLAN_LATEST_REPORT_SQL, [program_id, mentee_id])
    if not found:
        return None
    report = found[0]
    report.review_seen = True
    rawsql.attach(report, "reviewed_by", NAME_FIELDS)
    report.seen_items = rawsql.rows(ReportItem, _REPORT_ITEMS_SQL, [report.pk])
    for item in report.seen_items:
        rawsql.attach(item, "goal", ("id", "title"))
    report.seen_comments = rawsql.rows(ReportComment, _REPORT_COMMENTS_SQL, [report.pk])
    for comment in report.seen_comments:
        rawsql.attach(comment, "author", NAME_FIELDS)
    return report


def _plan_parts(user, *, whole: bool = False) -> list[Prefetch]:
    """A goal's milestones and reviews as `user` may see them: a former mentor's stop at the end
    of their dyad (goals.visibility._sees_plan). `whole`: the user sees the whole plan
    (goals.visibility.sees_whole_plan), so no row needs the rule."""
    if whole:
        return [
            Prefetch("milestones", queryset=Milestone.objects.seen_whole()),
            Prefetch("reviews", queryset=GoalReview.objects.select_related("reviewer", "revision")),
        ]
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
    if sees_whole_plan(user, program_id=program.pk, mentee_id=mentee.pk):
        return _whole_plan_goals(program.pk, mentee.pk)
    goals = list(
        Goal.objects.filter(program=program, mentee=mentee)
        .visible_to(user)
        .as_seen_by(user)
        .order_by("priority", "id")
        .prefetch_related(*_plan_parts(user))
    )
    return _with_progress(goals, *_prefetched_parts(goals), timezone.localdate())


def report_with_parts(queryset, *, user, status_lines: bool = True):
    """Reports with their items, status lines (unless left out) and comments, ready for a
    template, as `user` may see them (`seen_items`, `seen_status_lines`, `seen_comments`); call
    `seen_report` on each."""
    parts = [
        Prefetch(
            "items",
            queryset=ReportItem.objects.select_related("goal").annotate(
                goal_version=seen_version(user, goal="goal")
            ),
            to_attr="seen_items",
        ),
        Prefetch(
            "comments",
            queryset=ReportComment.objects.visible_to(user).select_related("author"),
            to_attr="seen_comments",
        ),
    ]
    if status_lines:
        parts.append(
            Prefetch(
                "status_lines",
                queryset=GoalStatusLine.objects.select_related("goal").annotate(
                    goal_version=seen_version(user, goal="goal")
                ),
                to_attr="seen_status_lines",
            )
        )
    return (
        queryset.as_seen_by(user)
        .select_related("mentee", "program", "reviewed_by")
        .prefetch_related(*parts)
    )


def seen_report(report: ProgressReport | None) -> ProgressReport | None:
    """A report from `report_with_parts`, showing only what its viewer may see."""
    if report is not None:
        report.show_as_seen()
        # No `seen_status_lines` where report_with_parts left them out.
        lines = getattr(report, "seen_status_lines", [])
        for part in [*report.seen_items, *lines]:
            if part.goal is not None:
                part.goal.show_version(part.goal_version)
    return report


def report_or_404(*, user, pk: int) -> ProgressReport:
    """The report page's report, as `user` may see it."""
    return seen_report(
        get_visible_or_404(report_with_parts(ProgressReport.objects.all(), user=user), user, pk=pk)
    )


def plan_mentors(*, program: Program, mentee) -> list[Dyad]:
    """The mentee's open pairings in the program, primary first, with their mentors: whom the
    plan (and its printout) names beside the mentee. One query."""
    return list(
        Dyad.objects.filter(program=program, mentee=mentee, status__in=OPEN_STATUSES)
        .select_related("mentor")
        .only("kind", "focus_area", "status", "mentor__name", "mentor__email", "mentee_id")
        .order_by("kind", "created_at", "pk")  # "primary" sorts before "supplemental"
    )


def plan_for(*, user, program: Program, mentee) -> dict:
    """Everything the plan page shows: goals by priority with milestone progress, the latest
    report and its review, opportunities (admins: counts only), and what the user may do. Roles
    and the user's dyads come from the request's one fetch of them (no query)."""
    is_admin = program.pk in administered_ids(user)
    mine = [
        d
        for d in own_dyads(user)
        if d.program_id == program.pk
        and d.mentee_id == mentee.pk
        and d.mentor_id == user.pk
        and d.is_open
    ]
    if sees_whole_plan(user, program_id=program.pk, mentee_id=mentee.pk):
        latest_report = _whole_plan_report(program.pk, mentee.pk)
    else:
        # The latest report with how many the user may read (one query), without its status
        # lines, which the plan page does not show; its parts as the user may see them.
        reports = ProgressReport.objects.filter(program=program, mentee=mentee).visible_to(user)
        latest_report = seen_report(
            report_with_parts(
                reports.annotate(visible_total=Window(Count("id"))), user=user, status_lines=False
            ).first()
        )
    # One query: every opportunity, counted for admins, listed where the user may read it.
    every_opportunity = list(
        Opportunity.objects.filter(program=program, mentee=mentee)
        .with_seen_by(user)
        .select_related("offered_by")
    )
    counts = None
    if is_admin:
        counts = {
            "total": len(every_opportunity),
            "taken": sum(o.outcome in TAKEN_OUTCOMES for o in every_opportunity),
        }
    return {
        "program": program,
        "mentee": mentee,
        "goals": plan_goals(user=user, program=program, mentee=mentee),
        "mentors": plan_mentors(program=program, mentee=mentee),
        "latest_report": latest_report,
        "report_count": latest_report.visible_total if latest_report else 0,
        "opportunities": [o for o in every_opportunity if o.seen],
        "opportunity_counts": counts,
        "is_mentee": user.pk == mentee.pk,
        "is_primary_mentor": any(d.kind == Dyad.Kind.PRIMARY for d in mine),
        "can_offer": bool(mine),
        "is_admin": is_admin,
    }


def goal_detail(goal: Goal, *, user, primary_mentor: bool) -> dict:
    """A goal page: milestones, reviews, the revision timeline and the goal's shares, as the user
    may see them (a former mentor: as they were when the dyad ended). Each milestone carries
    `actions`, what the user may do to it (`primary_mentor`: the user is the mentee's primary
    mentor, asked once by the caller)."""
    whole = sees_whole_plan(user, program_id=goal.program_id, mentee_id=goal.mentee_id)
    goal.seen_version = (
        None
        if whole
        else Goal.objects.as_seen_by(user)
        .filter(pk=goal.pk)
        .values_list("seen_version", flat=True)[0]
    )
    prefetch_related_objects([goal], *_plan_parts(user, whole=whole))
    goal = _with_progress([goal], *_prefetched_parts([goal]), timezone.localdate())[0]
    revisions = list(
        GoalRevision.objects.visible_to(user)
        .filter(goal=goal)
        .select_related("by")
        .order_by("-number")
    )
    milestones = goal.plan_milestones
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


# Per administered program, for the home page: opportunities recorded, and taken up or successful.
registry.viewer_admin_program_count(
    "opportunity_total", "SELECT COUNT(*) FROM goals_opportunity o WHERE o.program_id = p.id"
)
_TAKEN_SQL = ", ".join(f"'{outcome}'" for outcome in TAKEN_OUTCOMES)
registry.viewer_admin_program_count(
    "opportunity_taken",
    "SELECT COUNT(*) FROM goals_opportunity o WHERE o.program_id = p.id"
    f" AND o.outcome IN ({_TAKEN_SQL})",
)


# The home panel's reads, written once as SQL (mentoring/rawsql.py): the panel is on the page
# everybody opens most, and compiling them through the ORM cost several times running them.
_WAITING_REPORTS_SQL = """
SELECT id, program_id, mentee_id, submitted_at FROM goals_progressreport
 WHERE mentee_id IN ({mentees}) AND reviewed_at IS NULL
 ORDER BY submitted_at, id
 LIMIT {limit}
"""
# Open milestones of the mentee's current goals, soonest due first: the overdue ones come first.
_NEXT_MILESTONES_SQL = """
SELECT ms.*, g.id AS goal__id, g.title AS goal__title
  FROM goals_milestone ms
  JOIN goals_goal g ON g.id = ms.goal_id
 WHERE g.mentee_id = %s AND g.status IN ('draft', 'active')
   AND ms.status IN ('proposed', 'accepted')
 ORDER BY ms.due_date, ms.id
 LIMIT {limit}
"""


def _with_reports_to_review(dyads: list[Dyad]) -> list[Dyad]:
    """The mentor's primary dyads whose mentee has reports awaiting review in the dyad's program,
    each with how many and the oldest: one query over those mentees' unreviewed reports."""
    if not dyads:
        return []
    mentees = sorted({d.mentee_id for d in dyads})
    sql = _WAITING_REPORTS_SQL.format(mentees=rawsql.placeholders(mentees), limit=HOME_REPORT_ROWS)
    oldest: dict[tuple[int, int], tuple] = {}
    counts: dict[tuple[int, int], int] = {}
    for report in rawsql.rows(ProgressReport, sql, mentees):
        plan = (report.program_id, report.mentee_id)
        oldest.setdefault(plan, (report.pk, report.submitted_at))
        counts[plan] = counts.get(plan, 0) + 1
    to_review = []
    for dyad in dyads:
        plan = (dyad.program_id, dyad.mentee_id)
        if plan in oldest:
            dyad.goals_reports_awaiting = counts[plan]
            dyad.goals_oldest_report_id, dyad.goals_oldest_report_at = oldest[plan]
            to_review.append(dyad)
    return to_review


@dataclass(frozen=True, slots=True)
class GoalsPanel:
    """The home page's goals panel: what of it a person sees depends on the roles they hold."""

    template: ClassVar[str] = "goals/_home_panel.html"

    plans_as_mentee: list[Membership]  # a mentee's memberships: a plan in each program
    next_milestones: list[Milestone]  # a mentee's, soonest due first, each with `.overdue`
    overdue_count: int
    mentee_dyads: list[Dyad]  # a mentor's open pairings: their mentees' plans
    reports_to_review: list[Dyad]  # with `.goals_reports_awaiting` and the oldest report's id, date
    opportunity_counts: list[Program]  # an admin's, each with `.opportunity_total`, `_taken`


def home_panel(user) -> GoalsPanel:
    """The goals panel of the home page: a mentee's next and overdue milestones, a mentor's
    reports awaiting review and mentees' plans, an admin's opportunity counts per program. One
    query per role held; memberships and dyads come from the request's one fetch of them."""
    today = timezone.localdate()
    plans_as_mentee = [m for m in viewer.memberships(user) if m.role == Membership.Role.MENTEE]
    next_milestones, overdue_count = [], 0
    if plans_as_mentee:
        next_milestones = list(
            rawsql.rows(Milestone, _NEXT_MILESTONES_SQL.format(limit=HOME_MILESTONES), [user.pk])
        )
        for milestone in next_milestones:
            rawsql.attach(milestone, "goal", ("id", "title"))
            milestone.overdue = milestone.is_overdue(today)
        overdue_count = sum(m.overdue for m in next_milestones)
        if len(next_milestones) == HOME_MILESTONES and next_milestones[-1].due_date < today:
            # More may be overdue than the list holds: counted (rarely needed, one query).
            overdue_count = (
                Milestone.objects.overdue(today)
                .filter(goal__mentee_id=user.pk, goal__status__in=CURRENT_GOAL_STATUSES)
                .count()
            )
    mentored = viewer_dyads(user) if Membership.Role.MENTOR in viewer.roles(user) else []
    mentee_dyads = sorted(
        (d for d in mentored if d.mentor_id == user.pk and d.status in OPEN_STATUSES),
        key=lambda d: (d.program.name, d.mentee.name),
    )
    # Reports awaiting the review of the mentee's current primary mentor.
    to_review = _with_reports_to_review([d for d in mentee_dyads if d.kind == Dyad.Kind.PRIMARY])
    opportunity_counts = viewer_administered_counts(user)
    return GoalsPanel(
        plans_as_mentee=plans_as_mentee,
        next_milestones=next_milestones,
        overdue_count=overdue_count,
        mentee_dyads=mentee_dyads,
        reports_to_review=to_review,
        opportunity_counts=opportunity_counts,
    )
