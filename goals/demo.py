"""Demo development plans for the people of ../shared/CONTRACTS.md. Idempotent: a mentee who
already has goals in a program is left alone."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from goals import services
from goals.models import (
    Goal,
    GoalReview,
    GoalRevision,
    GoalStatusLine,
    Milestone,
    Opportunity,
    ProgressReport,
    ReportItem,
)
from programs.models import Dyad, Program


def _backdate_milestone(
    milestone: Milestone, *, due_days_ago: int, done_days_ago=None, evidence=""
):
    """History: a milestone due (and perhaps done) in the past, which the services refuse to create."""
    today = timezone.localdate()
    values = {"due_date": today - timedelta(days=due_days_ago)}
    if done_days_ago is not None:
        values.update(
            status=Milestone.Status.DONE,
            completed_on=today - timedelta(days=done_days_ago),
            evidence=evidence,
            closed_at=timezone.now() - timedelta(days=done_days_ago),
        )
    Milestone.objects.filter(pk=milestone.pk).update(**values)


def _seed_mentee(world) -> None:
    program, mentee, mentor = world.program_a, world["mentee"], world["mentor"]
    if Goal.objects.filter(program=program, mentee=mentee).exists():
        return
    today = timezone.localdate()
    k_award = services.create_goal(
        program=program,
        mentee=mentee,
        by=mentee,
        title="Submit a K23 career development award",
        description="Patient-oriented research on asthma outcomes in primary care.",
        category=Goal.Category.RESEARCH,
        horizon=Goal.Horizon.LONG,
        target_date=today + timedelta(days=300),
    )
    aims = services.propose_milestone(
        goal=k_award, by=mentee, title="Specific aims reviewed", due_date=today + timedelta(1)
    )
    _backdate_milestone(
        aims, due_days_ago=30, done_days_ago=32, evidence="Aims page v3, comments from Dr. Mentor"
    )
    pilot = services.propose_milestone(
        goal=k_award, by=mentee, title="Pilot data analysis complete", due_date=today + timedelta(1)
    )
    _backdate_milestone(pilot, due_days_ago=7)  # the overdue one
    services.propose_milestone(
        goal=k_award, by=mentee, title="Full draft to mentor", due_date=today + timedelta(days=90)
    )
    services.review_goal(
        goal=k_award,
        by=mentor,
        decision=GoalReview.Decision.AGREED,
        comment="Realistic if the pilot analysis is done this quarter.",
    )
    workshop = services.create_goal(
        program=program,
        mentee=mentee,
        by=mentee,
        title="Lead a workshop at the regional meeting",
        category=Goal.Category.TEACHING,
        target_date=today + timedelta(days=150),
    )
    services.review_goal(
        goal=workshop,
        by=mentor,
        decision=GoalReview.Decision.CHANGES,
        comment="Co-lead it with a senior colleague the first time.",
    )
    services.propose_milestone(
        goal=workshop,
        by=mentor,
        title="Submit the workshop proposal",
        due_date=today + timedelta(days=45),
    )
    services.create_goal(
        program=program,
        mentee=mentee,
        by=mentee,
        title="Decide on my next career step",
        category=Goal.Category.CAREER,
        horizon=Goal.Horizon.LONG,
        unsure=True,
        options="Clinical leadership (associate medical director role) or a research-intensive track.",
    )
    older = services.submit_progress_report(
        program=program,
        mentee=mentee,
        by=mentee,
        accomplishments="Finished the specific aims; met the statistician.",
        status_lines=[(k_award, GoalStatusLine.State.ON_TRACK, "Aims done")],
    )
    services.comment_on_report(report=older, by=mentor, text="Great progress on the aims.")
    services.mark_report_reviewed(report=older, by=mentor)
    ProgressReport.objects.filter(pk=older.pk).update(
        submitted_at=timezone.now() - timedelta(days=35),
        reviewed_at=timezone.now() - timedelta(days=33),
    )
    services.submit_progress_report(
        program=program,
        mentee=mentee,
        by=mentee,
        accomplishments="Cleaned the pilot data set.",
        help_needed="Advice on protecting research time from clinic.",
        items=[
            (
                ReportItem.Kind.BARRIER,
                "Clinic schedule leaves no protected research time.",
                k_award,
            ),
            (ReportItem.Kind.FAILURE, "Missed the pilot analysis deadline.", k_award),
        ],
        status_lines=[
            (k_award, GoalStatusLine.State.AT_RISK, "Pilot analysis late"),
            (workshop, GoalStatusLine.State.ON_TRACK, ""),
        ],
    )
    services.record_opportunity(
        program=program,
        mentee=mentee,
        by=mentor,
        kind=Opportunity.Kind.INTRODUCTION,
        title="Introduction to the department's biostatistics core",
        outcome=Opportunity.Outcome.TAKEN,
    )
    services.record_opportunity(
        program=program,
        mentee=mentee,
        by=mentor,
        kind=Opportunity.Kind.COAUTHORSHIP,
        title="Co-author an invited review on asthma care",
    )


def _seed_mentee2(world) -> None:
    program, mentee = world.program_a, world["mentee2"]
    if Goal.objects.filter(program=program, mentee=mentee).exists():
        return
    goal = services.create_goal(
        program=program,
        mentee=mentee,
        by=mentee,
        title="Win internal funding for a QI project",
        category=Goal.Category.RESEARCH,
        target_date=timezone.localdate() + timedelta(days=120),
    )
    services.create_goal(
        program=program,
        mentee=mentee,
        by=mentee,
        title="Take on a clinical leadership role",
        category=Goal.Category.LEADERSHIP,
        horizon=Goal.Horizon.LONG,
    )
    grant_writing = Dyad.objects.open().filter(
        program=program, mentee=mentee, mentor=world["mentor"], kind=Dyad.Kind.SUPPLEMENTAL
    )
    for dyad in grant_writing:
        services.share_goal(goal=goal, by=mentee, dyad=dyad)


def _seed_mentee3(world) -> None:
    """mentee3's goals were written during the first pairing and carried over to mentor2."""
    program, mentee = world.program_a, world["mentee3"]
    if Goal.objects.filter(program=program, mentee=mentee).exists():
        return
    first = (
        Dyad.objects.filter(program=program, mentee=mentee, mentor=world["mentor"])
        .order_by("created_at")
        .first()
    )
    goals = [
        services.create_goal(
            program=program,
            mentee=mentee,
            by=mentee,
            title="Publish my first first-author paper",
            category=Goal.Category.RESEARCH,
            target_date=timezone.localdate() + timedelta(days=240),
        ),
        services.create_goal(
            program=program,
            mentee=mentee,
            by=mentee,
            title="Complete a medical education certificate",
            category=Goal.Category.TEACHING,
            horizon=Goal.Horizon.LONG,
        ),
    ]
    if first is not None:
        written = first.created_at
        Goal.objects.filter(pk__in=[g.pk for g in goals]).update(
            created_at=written, updated_at=written
        )
        GoalRevision.objects.filter(goal__in=goals).update(at=written)
    services.review_goal(goal=goals[0], by=world["mentor2"], decision=GoalReview.Decision.AGREED)


@transaction.atomic
def seed(world) -> None:
    _seed_mentee(world)
    _seed_mentee2(world)
    _seed_mentee3(world)


@transaction.atomic
def seed_load(program: Program) -> None:
    """Two goals, three milestones and a report with a barrier per active dyad, in bulk."""
    if program.goals.exists():
        return
    today, now = timezone.localdate(), timezone.now()
    dyads = list(program.dyads.filter(status=Dyad.Status.ACTIVE).select_related("mentee"))
    goals = Goal.objects.bulk_create(
        [
            Goal(
                program=program,
                mentee=d.mentee,
                created_by=d.mentee,
                title=title,
                category=category,
                target_date=today + timedelta(days=200),
                priority=priority,
            )
            for d in dyads
            for priority, (title, category) in enumerate(
                [("Submit a grant", Goal.Category.RESEARCH), ("Teach a course", "teaching")],
                start=1,
            )
        ]
    )
    GoalRevision.objects.bulk_create(
        [
            GoalRevision(goal=g, number=1, by_id=g.mentee_id, snapshot={"title": g.title})
            for g in goals
        ]
    )
    Milestone.objects.bulk_create(
        [
            Milestone(
                goal=g,
                title=f"Step {n}",
                due_date=today + timedelta(days=30 * n - 40),
                status=Milestone.Status.DONE if n == 1 else Milestone.Status.ACCEPTED,
                completed_on=today - timedelta(days=15) if n == 1 else None,
                evidence="Done" if n == 1 else "",
                proposed_by_id=g.mentee_id,
                accepted_at=now,
                closed_at=now if n == 1 else None,
            )
            for g in goals
            for n in (1, 2, 3)
        ]
    )
    reports = ProgressReport.objects.bulk_create(
        [
            ProgressReport(program=program, mentee=d.mentee, accomplishments="Worked on my goals.")
            for d in dyads
        ]
    )
    ReportItem.objects.bulk_create(
        [
            ReportItem(report=r, kind=ReportItem.Kind.BARRIER, text="Not enough time.")
            for r in reports
        ]
    )
