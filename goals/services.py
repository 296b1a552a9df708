"""What mentees and mentors do to a development plan. One function per action."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from goals import events, rules
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
)
from goals.rules import is_primary_mentor, is_sharing_mentor
from mentoring.access import require
from programs.models import Dyad, Membership, Program
from programs.selectors import has_role

# The same report sent again this soon is a double click, not a new report.
DOUBLE_SUBMIT = timedelta(minutes=10)

# The fields a revision records; the timeline shows how each of them changed.
TRACKED_FIELDS = Goal.WRITTEN_FIELDS


def _snapshot(goal: Goal) -> dict:
    values = {}
    for field in TRACKED_FIELDS:
        value = getattr(goal, field)
        values[field] = value.isoformat() if isinstance(value, date) else value
    return values


def _check_goal(*, title: str, unsure: bool, options: str) -> None:
    if not title.strip():
        raise ValidationError({"title": _("Give the goal a short title.")})
    if unsure and not options.strip():
        raise ValidationError(
            {
                "options": _(
                    "Not being sure is fine: write down the options you are weighing, so that your mentor can help you choose."
                )
            }
        )


def _check_target_date(*, target_date: date | None, status: str) -> None:
    if target_date and target_date < timezone.localdate() and status != Goal.Status.ACHIEVED:
        raise ValidationError(
            {
                "target_date": _(
                    "The target date is in the past. Choose a date from today on, or set the status to "
                    "“Achieved” if you are recording a goal you have already reached."
                )
            }
        )


@transaction.atomic
def create_goal(
    *,
    program: Program,
    mentee,
    by,
    title: str,
    category: str,
    description: str = "",
    horizon: str = Goal.Horizon.SHORT,
    target_date: date | None = None,
    status: str = Goal.Status.ACTIVE,
    unsure: bool = False,
    options: str = "",
) -> Goal:
    """The mentee writes a new goal; it goes to the end of their priority list."""
    require(by.pk == mentee.pk and has_role(mentee, program, Membership.Role.MENTEE))
    _check_goal(title=title, unsure=unsure, options=options)
    _check_target_date(target_date=target_date, status=status)
    last = Goal.objects.filter(program=program, mentee=mentee).aggregate(m=Max("priority"))["m"]
    now = timezone.now()
    goal = Goal.objects.create(
        program=program,
        mentee=mentee,
        created_by=by,
        title=title.strip(),
        description=description.strip(),
        category=category,
        horizon=horizon,
        target_date=target_date,
        status=status,
        unsure=unsure,
        options=options.strip(),
        priority=(last or 0) + 1,
        created_at=now,
        updated_at=now,
    )
    GoalRevision.objects.create(goal=goal, number=1, by=by, at=now, snapshot=_snapshot(goal))
    return goal


@transaction.atomic
def update_goal(*, goal: Goal, by, **values) -> Goal:
    """The mentee revises a goal; the change is kept as a new revision on the timeline."""
    require(by.pk == goal.mentee_id)
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    before = _snapshot(goal)
    for field, value in values.items():
        if field not in TRACKED_FIELDS:
            raise TypeError(f"update_goal() cannot change {field}")
        setattr(goal, field, value.strip() if isinstance(value, str) else value)
    _check_goal(title=goal.title, unsure=goal.unsure, options=goal.options)
    after = _snapshot(goal)
    changes = {f: [before[f], after[f]] for f in TRACKED_FIELDS if before[f] != after[f]}
    if not changes:
        return goal
    if "target_date" in changes or "status" in changes:
        _check_target_date(target_date=goal.target_date, status=goal.status)
    goal.updated_at = timezone.now()
    goal.save(update_fields=[*changes, "updated_at"])
    number = goal.revisions.aggregate(m=Max("number"))["m"] or 0
    GoalRevision.objects.create(
        goal=goal, number=number + 1, by=by, at=goal.updated_at, changes=changes, snapshot=after
    )
    return goal


@transaction.atomic
def move_goal(*, goal: Goal, by, direction: str) -> Goal:
    """The mentee moves a goal one place up or down in their priority order."""
    require(by.pk == goal.mentee_id)
    if direction not in ("up", "down"):
        raise ValidationError(_("Move a goal up or down."))
    goals = list(
        Goal.objects.select_for_update()
        .filter(program=goal.program_id, mentee=goal.mentee_id)
        .order_by("priority", "id")
    )
    index = next(i for i, g in enumerate(goals) if g.pk == goal.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(goals):
        goals[index], goals[other] = goals[other], goals[index]
    changed = []
    for position, item in enumerate(goals, start=1):
        if item.priority != position:
            item.priority = position
            changed.append(item)
    Goal.objects.bulk_update(changed, ["priority"])
    return goal


@transaction.atomic
def review_goal(*, goal: Goal, by, decision: str, comment: str = "") -> GoalReview:
    """The primary mentor agrees with a goal or suggests changes; a supplemental mentor the goal
    is shared with comments on it."""
    if is_primary_mentor(by, program=goal.program, mentee=goal.mentee):
        if decision not in (GoalReview.Decision.AGREED, GoalReview.Decision.CHANGES):
            raise ValidationError({"decision": _("Choose “Agreed” or “Suggest changes”.")})
    else:
        require(is_sharing_mentor(by, goal=goal))
        decision = GoalReview.Decision.COMMENT
    if decision != GoalReview.Decision.AGREED and not comment.strip():
        raise ValidationError({"comment": _("Say what you suggest, so the mentee can revise.")})
    return GoalReview.objects.create(
        goal=goal,
        revision=goal.revisions.order_by("-number").first(),
        reviewer=by,
        decision=decision,
        comment=comment.strip(),
    )


@transaction.atomic
def edit_review(*, review: GoalReview, by, decision: str, comment: str) -> GoalReview:
    """The author of a review changes it. Nobody else may."""
    require(review.reviewer_id == by.pk)
    if review.decision == GoalReview.Decision.COMMENT:
        decision = GoalReview.Decision.COMMENT
    elif decision not in (GoalReview.Decision.AGREED, GoalReview.Decision.CHANGES):
        raise ValidationError({"decision": _("Choose “Agreed” or “Suggest changes”.")})
    if decision != GoalReview.Decision.AGREED and not comment.strip():
        raise ValidationError({"comment": _("Say what you suggest, so the mentee can revise.")})
    review.decision, review.comment, review.updated_at = decision, comment.strip(), timezone.now()
    review.save(update_fields=["decision", "comment", "updated_at"])
    return review


@transaction.atomic
def share_goal(*, goal: Goal, by, dyad: Dyad) -> GoalShare:
    """The mentee shares one goal with a supplemental mentor."""
    require(by.pk == goal.mentee_id)
    if not (
        dyad.kind == Dyad.Kind.SUPPLEMENTAL
        and dyad.is_open
        and dyad.mentee_id == goal.mentee_id
        and dyad.program_id == goal.program_id
    ):
        raise ValidationError(_("Share goals only with your current supplemental mentors."))
    share, _created = GoalShare.objects.get_or_create(
        goal=goal, dyad=dyad, defaults={"shared_by": by}
    )
    return share


@transaction.atomic
def unshare_goal(*, share: GoalShare, by) -> None:
    """The mentee stops sharing a goal with a supplemental mentor."""
    require(by.pk == share.goal.mentee_id)
    share.delete()


@transaction.atomic
def propose_milestone(*, goal: Goal, by, title: str, due_date: date) -> Milestone:
    """The mentee sets a milestone (binding at once) or the primary mentor proposes one (binding
    once the mentee accepts it)."""
    by_mentee = rules.owns_plan(by, goal)
    require(rules.can_propose_milestone(by, goal))
    if not title.strip():
        raise ValidationError({"title": _("Say what the milestone is.")})
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": _("A new milestone's due date cannot be in the past.")})
    if not goal.is_current:
        raise ValidationError(_("This goal is achieved or dropped: it takes no new milestones."))
    now = timezone.now()
    return Milestone.objects.create(
        goal=goal,
        title=title.strip(),
        due_date=due_date,
        proposed_by=by,
        status=Milestone.Status.ACCEPTED if by_mentee else Milestone.Status.PROPOSED,
        accepted_at=now if by_mentee else None,
        created_at=now,
    )


@transaction.atomic
def accept_milestone(*, milestone: Milestone, by) -> Milestone:
    """The mentee accepts a milestone the mentor proposed: from now on it binds."""
    require(rules.owns_plan(by, milestone.goal))
    if milestone.status != Milestone.Status.PROPOSED:
        return milestone  # a double submit changes nothing
    milestone.status, milestone.accepted_at = Milestone.Status.ACCEPTED, timezone.now()
    milestone.save(update_fields=["status", "accepted_at"])
    return milestone


@transaction.atomic
def decline_milestone(*, milestone: Milestone, by, reason: str) -> Milestone:
    """The mentee declines a milestone the mentor proposed, saying why: the mentee owns the plan."""
    require(rules.owns_plan(by, milestone.goal))
    if milestone.status == Milestone.Status.DECLINED:
        return milestone  # a double submit changes nothing
    if milestone.status != Milestone.Status.PROPOSED:
        raise ValidationError(_("Only a proposed milestone can be declined."))
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Tell your mentor why, so that you can agree on another.")}
        )
    milestone.status, milestone.decline_reason = Milestone.Status.DECLINED, reason.strip()
    milestone.closed_at = timezone.now()
    milestone.save(update_fields=["status", "decline_reason", "closed_at"])
    return milestone


@transaction.atomic
def complete_milestone(*, milestone: Milestone, by, completed_on: date, evidence: str) -> Milestone:
    """The mentee marks a milestone done, with the date and what shows it."""
    require(rules.owns_plan(by, milestone.goal))
    if milestone.status == Milestone.Status.PROPOSED:
        raise ValidationError(_("Accept this milestone first; then you can mark it done."))
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("The completion date cannot be in the future.")})
    if not evidence.strip():
        raise ValidationError(
            {"evidence": _("Say what shows it is done (a draft, a submission, a link).")}
        )
    milestone.status, milestone.closed_at = Milestone.Status.DONE, timezone.now()
    milestone.completed_on, milestone.evidence = completed_on, evidence.strip()
    if milestone.accepted_at is None:
        milestone.accepted_at = milestone.closed_at
    milestone.save(update_fields=["status", "completed_on", "evidence", "accepted_at", "closed_at"])
    return milestone


@transaction.atomic
def mark_milestone_missed(*, milestone: Milestone, by) -> Milestone:
    """The mentee or their primary mentor records that a binding milestone's date passed undone.

    Holding the mentee accountable means saying so plainly; the goal itself stays, and a new
    milestone can set the next date."""
    require(rules.may_mark_missed(by, milestone))
    if milestone.status == Milestone.Status.MISSED:
        return milestone  # a double submit changes nothing
    refusal = rules.missed_refusal(milestone)
    if refusal:
        raise ValidationError(refusal)
    milestone.status, milestone.closed_at = Milestone.Status.MISSED, timezone.now()
    milestone.save(update_fields=["status", "closed_at"])
    return milestone


@transaction.atomic
def submit_progress_report(
    *,
    program: Program,
    mentee,
    by,
    accomplishments: str = "",
    help_needed: str = "",
    items: list[tuple[str, str, Goal | None]] = (),
    status_lines: list[tuple[Goal, str, str]] = (),
) -> ProgressReport:
    """The mentee reports work done, difficulties, failures and barriers, and help needed."""
    require(by.pk == mentee.pk and has_role(mentee, program, Membership.Role.MENTEE))
    items = [(kind, text.strip(), goal) for kind, text, goal in items if text.strip()]
    if not (accomplishments.strip() or help_needed.strip() or items):
        raise ValidationError(
            _(
                "This report is empty. Write what you accomplished, a difficulty or barrier, or the help you need."
            )
        )
    goals = [g for _k, _t, g in items if g is not None] + [g for g, _s, _n in status_lines]
    if any(g.mentee_id != mentee.pk or g.program_id != program.pk for g in goals):
        raise ValidationError(_("A report can only mention your own goals in this program."))
    accomplishments, help_needed = accomplishments.strip(), help_needed.strip()
    if same := _same_report(program, mentee, accomplishments, help_needed, items, status_lines):
        return same  # a double click reports, and tells, nothing twice
    report = ProgressReport.objects.create(
        program=program,
        mentee=mentee,
        accomplishments=accomplishments,
        help_needed=help_needed,
    )
    ReportItem.objects.bulk_create(
        [ReportItem(report=report, kind=k, text=t, goal=g) for k, t, g in items]
    )
    GoalStatusLine.objects.bulk_create(
        [GoalStatusLine(report=report, goal=g, state=s, note=n.strip()) for g, s, n in status_lines]
    )
    events.tell_submitted(report)
    return report


def _same_report(program, mentee, accomplishments, help_needed, items, status_lines):
    """The mentee's last report, when it was sent moments ago with these very words."""
    # Two clicks at once queue here on the mentee's membership: the second finds the first report.
    Membership.objects.select_for_update().filter(
        program=program, user=mentee, role=Membership.Role.MENTEE
    ).values_list("pk", flat=True).first()
    last = (
        ProgressReport.objects.filter(
            program=program,
            mentee=mentee,
            submitted_at__gte=timezone.now() - DOUBLE_SUBMIT,
            accomplishments=accomplishments,
            help_needed=help_needed,
        )
        .prefetch_related("items", "status_lines")
        .order_by("-submitted_at", "-id")
        .first()
    )
    if last is None:
        return None
    sent = sorted((i.kind, i.text, i.goal_id or 0) for i in last.items.all())
    lines = sorted((s.goal_id, s.state, s.note) for s in last.status_lines.all())
    if sent == sorted((k, t, g.pk if g else 0) for k, t, g in items) and lines == sorted(
        (g.pk, s, n.strip()) for g, s, n in status_lines
    ):
        return last
    return None


@transaction.atomic
def comment_on_report(*, report: ProgressReport, by, text: str) -> ReportComment:
    """The primary mentor comments on a report; the mentee may answer."""
    require(
        by.pk == report.mentee_id
        or is_primary_mentor(by, program=report.program, mentee=report.mentee)
    )
    if not text.strip():
        raise ValidationError({"text": _("Write a comment first.")})
    return ReportComment.objects.create(report=report, author=by, text=text.strip())


@transaction.atomic
def edit_report_comment(*, comment: ReportComment, by, text: str) -> ReportComment:
    """The author of a comment changes it. Nobody else may."""
    require(comment.author_id == by.pk)
    if not text.strip():
        raise ValidationError({"text": _("A comment cannot be empty.")})
    comment.text, comment.updated_at = text.strip(), timezone.now()
    comment.save(update_fields=["text", "updated_at"])
    return comment


@transaction.atomic
def mark_report_reviewed(*, report: ProgressReport, by) -> ProgressReport:
    """The primary mentor marks a report as read and reviewed."""
    require(is_primary_mentor(by, program=report.program, mentee=report.mentee))
    if report.reviewed_at is None:
        report.reviewed_at, report.reviewed_by = timezone.now(), by
        report.save(update_fields=["reviewed_at", "reviewed_by"])
        events.tell_reviewed(report)
    return report


def _mentors_now(user, *, program: Program, mentee) -> bool:
    return Dyad.objects.open().filter(program=program, mentee=mentee, mentor=user).exists()


@transaction.atomic
def record_opportunity(
    *,
    program: Program,
    mentee,
    by,
    kind: str,
    title: str,
    description: str = "",
    offered_on: date | None = None,
    outcome: str = Opportunity.Outcome.OPEN,
    outcome_note: str = "",
) -> Opportunity:
    """A mentor (primary or supplemental) records an opening offered to the mentee."""
    require(_mentors_now(by, program=program, mentee=mentee))
    if not title.strip():
        raise ValidationError({"title": _("Say what the opportunity is.")})
    return Opportunity.objects.create(
        program=program,
        mentee=mentee,
        offered_by=by,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        offered_on=offered_on or timezone.localdate(),
        outcome=outcome,
        outcome_note=outcome_note.strip(),
    )


@transaction.atomic
def update_opportunity(*, opportunity: Opportunity, by, **values) -> Opportunity:
    """The mentor who offered an opportunity updates it, typically its outcome."""
    require(opportunity.offered_by_id == by.pk)
    allowed = {"kind", "title", "description", "offered_on", "outcome", "outcome_note"}
    for field, value in values.items():
        if field not in allowed:
            raise TypeError(f"update_opportunity() cannot change {field}")
        setattr(opportunity, field, value.strip() if isinstance(value, str) else value)
    if not opportunity.title:
        raise ValidationError({"title": _("Say what the opportunity is.")})
    opportunity.save(update_fields=list(values))
    return opportunity
