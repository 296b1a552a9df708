from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goals import rules, services
from goals.forms import (
    CommentForm,
    CompleteMilestoneForm,
    GoalForm,
    MilestoneForm,
    OpportunityForm,
    ReportForm,
    ReportItemForm,
    ReviewForm,
    ShareForm,
    StatusLineForm,
)
from goals.models import (
    Goal,
    GoalReview,
    GoalShare,
    Milestone,
    Opportunity,
    ProgressReport,
    ReportComment,
)
from goals.selectors import goal_detail, plan_for, plan_goals, plan_owner_or_404, report_or_404
from mentoring import viewer
from mentoring.access import get_visible_or_404, require
from programs.models import OPEN_STATUSES, Dyad
from programs.selectors import viewer_dyads

ITEM_ROWS = 3


def _plan_url(program_id: int, mentee_id: int) -> str:
    return reverse("goals:plan", args=[program_id, mentee_id])


def _goals():
    return Goal.objects.select_related("program", "mentee")


def _apply(form, action):
    """Run a service; a rule it refuses becomes an error on the form. True when it succeeded."""
    try:
        form.result = action()
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


def my_plans(request):
    """The navigation's "My plan" / "Mentees' plans": the plans the person reads (their own in each
    program where they are a mentee, their open mentees')."""
    user = request.user
    own = [(m.program, user) for m in viewer.memberships(user) if m.role == "mentee"]
    mentored = [d for d in viewer_dyads(user) if d.mentor_id == user.pk]
    mentees = sorted(
        ((d.program, d.mentee) for d in mentored),
        key=lambda pair: (pair[1].name, pair[0].name),
    )
    return render(request, "goals/my_plans.html", {"own": own, "mentees": mentees})


def plan(request, program_pk, mentee_pk):
    program, mentee = plan_owner_or_404(
        user=request.user, program_pk=program_pk, mentee_pk=mentee_pk
    )
    page = plan_for(user=request.user, program=program, mentee=mentee)
    return render(request, "goals/plan.html", {**page, "printed": timezone.now()})


def goal_create(request, program_pk):
    program, mentee = plan_owner_or_404(
        user=request.user, program_pk=program_pk, mentee_pk=request.user.pk
    )
    form = GoalForm(request.POST or None)
    if form.is_valid() and _apply(
        form,
        lambda: services.create_goal(
            program=program, mentee=mentee, by=request.user, **form.cleaned_data
        ),
    ):
        goal = form.result
        if goal.target_date and goal.target_date < timezone.localdate():
            messages.warning(
                request, _("Recorded as an achieved goal with a target date in the past.")
            )
        messages.success(request, _("Goal saved. Add milestones to break it into steps."))
        return redirect(goal)
    return render(
        request, "goals/goal_form.html", {"form": form, "program": program, "mentee": mentee}
    )


def detail(request, pk):
    goal = get_visible_or_404(_goals(), request.user, pk=pk)
    is_primary = rules.is_primary_mentor(request.user, program=goal.program, mentee=goal.mentee)
    return _goal_page(request, goal, is_primary=is_primary)


def _goal_page(request, goal, *, is_primary, review_form=None, milestone_form=None):
    """The goal page, also when a form posted from it is refused: the refused form shows its
    errors and every other form of the page stays where it was."""
    user = request.user
    context = goal_detail(goal, user=user, primary_mentor=is_primary)
    is_mentee = user.pk == goal.mentee_id
    can_propose = rules.can_propose_milestone(user, goal, primary_mentor=is_primary)
    context.update(
        is_mentee=is_mentee,
        is_primary_mentor=is_primary,
        can_comment=is_primary or rules.is_sharing_mentor(user, goal=goal),
        review_form=review_form or ReviewForm(primary=is_primary),
        milestone_form=(milestone_form or MilestoneForm()) if can_propose else None,
        share_form=_share_form(goal) if is_mentee else None,
    )
    return render(request, "goals/goal_detail.html", context)


def _share_form(goal, data=None):
    dyads = Dyad.objects.filter(
        program=goal.program_id,
        mentee=goal.mentee_id,
        kind=Dyad.Kind.SUPPLEMENTAL,
        status__in=OPEN_STATUSES,
    ).select_related("mentor")
    return ShareForm(data, dyads=dyads) if dyads.exists() else None


def edit(request, pk):
    goal = get_visible_or_404(_goals(), request.user, pk=pk)
    require(goal.mentee_id == request.user.pk)
    form = GoalForm(request.POST or None, instance=goal, new=False)
    if form.is_valid():
        values = {f: form.cleaned_data[f] for f in services.TRACKED_FIELDS}
        # The form wrote into `goal` already; the service compares with the stored row.
        if _apply(form, lambda: services.update_goal(goal=goal, by=request.user, **values)):
            messages.success(request, _("Goal updated; the timeline keeps the earlier version."))
            return redirect(goal)
    return render(
        request,
        "goals/goal_form.html",
        {"form": form, "goal": goal, "program": goal.program, "mentee": goal.mentee},
    )


@require_POST
def move(request, pk):
    goal = get_visible_or_404(Goal, request.user, pk=pk)
    require(goal.mentee_id == request.user.pk)
    try:
        services.move_goal(goal=goal, by=request.user, direction=request.POST.get("direction", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if request.headers.get("HX-Request"):
        goals = plan_goals(user=request.user, program=goal.program, mentee=goal.mentee)
        return render(
            request,
            "goals/_goal_list.html",
            {"goals": goals, "is_mentee": True, "program": goal.program, "mentee": goal.mentee},
        )
    return redirect(_plan_url(goal.program_id, goal.mentee_id) + "#goals")


@require_POST
def review(request, pk):
    goal = get_visible_or_404(_goals(), request.user, pk=pk)
    is_primary = rules.is_primary_mentor(request.user, program=goal.program, mentee=goal.mentee)
    require(is_primary or rules.is_sharing_mentor(request.user, goal=goal))
    form = ReviewForm(request.POST, primary=is_primary)
    if form.is_valid() and _apply(
        form,
        lambda: services.review_goal(
            goal=goal,
            by=request.user,
            decision=form.cleaned_data.get("decision", GoalReview.Decision.COMMENT),
            comment=form.cleaned_data["comment"],
        ),
    ):
        messages.success(request, _("Your review is saved; the mentee sees it on the goal."))
        return redirect(goal)
    return _goal_page(request, goal, is_primary=is_primary, review_form=form)


def review_edit(request, pk):
    item = get_visible_or_404(GoalReview.objects.select_related("goal"), request.user, pk=pk)
    require(item.reviewer_id == request.user.pk)
    primary = item.decision != GoalReview.Decision.COMMENT
    form = ReviewForm(request.POST or None, instance=item, primary=primary)
    if form.is_valid() and _apply(
        form,
        lambda: services.edit_review(
            review=item,
            by=request.user,
            decision=form.cleaned_data.get("decision", item.decision),
            comment=form.cleaned_data["comment"],
        ),
    ):
        messages.success(request, _("Review updated."))
        return redirect(item.goal)
    return render(request, "goals/review_form.html", {"form": form, "review": item})


@require_POST
def share(request, pk):
    goal = get_visible_or_404(Goal, request.user, pk=pk)
    require(goal.mentee_id == request.user.pk)
    form = _share_form(goal, request.POST)
    if form is not None and form.is_valid():
        try:
            services.share_goal(goal=goal, by=request.user, dyad=form.cleaned_data["dyad"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Goal shared."))
    else:
        messages.error(request, _("Choose one of your supplemental mentors."))
    return redirect(goal)


@require_POST
def unshare(request, pk):
    item = get_visible_or_404(GoalShare.objects.select_related("goal"), request.user, pk=pk)
    require(item.goal.mentee_id == request.user.pk)
    services.unshare_goal(share=item, by=request.user)
    messages.success(request, _("The goal is no longer shared with that mentor."))
    return redirect(item.goal)


@require_POST
def milestone_add(request, pk):
    goal = get_visible_or_404(_goals(), request.user, pk=pk)
    is_primary = rules.is_primary_mentor(request.user, program=goal.program, mentee=goal.mentee)
    require(rules.can_propose_milestone(request.user, goal, primary_mentor=is_primary))
    form = MilestoneForm(request.POST)
    if form.is_valid() and _apply(
        form,
        lambda: services.propose_milestone(goal=goal, by=request.user, **form.cleaned_data),
    ):
        milestone = form.result
        if goal.target_date and milestone.due_date > goal.target_date:
            messages.warning(
                request,
                _(
                    "This milestone is due after the goal's target date (%(date)s). "
                    "Move the milestone or revise the goal's target date."
                )
                % {"date": goal.target_date},
            )
        if milestone.status == Milestone.Status.PROPOSED:
            messages.success(request, _("Milestone proposed; it binds once the mentee accepts."))
        else:
            messages.success(request, _("Milestone added."))
        return redirect(goal)
    return _goal_page(request, goal, is_primary=is_primary, milestone_form=form)


@require_POST
def milestone_accept(request, pk):
    milestone = get_visible_or_404(Milestone.objects.select_related("goal"), request.user, pk=pk)
    require(milestone.goal.mentee_id == request.user.pk)
    services.accept_milestone(milestone=milestone, by=request.user)
    messages.success(request, _("Milestone accepted: it is now part of your plan."))
    return redirect(milestone.goal)


@require_POST
def milestone_decline(request, pk):
    milestone = get_visible_or_404(Milestone.objects.select_related("goal"), request.user, pk=pk)
    require(milestone.goal.mentee_id == request.user.pk)
    try:
        services.decline_milestone(
            milestone=milestone, by=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.info(request, _("Declined. Your mentor sees why."))
    return redirect(milestone.goal)


@require_POST
def milestone_missed(request, pk):
    milestone = get_visible_or_404(
        Milestone.objects.select_related("goal__program", "goal__mentee"), request.user, pk=pk
    )
    try:
        services.mark_milestone_missed(milestone=milestone, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.info(request, _("Marked as missed. Set a new milestone when you are ready."))
    return redirect(milestone.goal)


def milestone_complete(request, pk):
    milestone = get_visible_or_404(Milestone.objects.select_related("goal"), request.user, pk=pk)
    require(milestone.goal.mentee_id == request.user.pk)
    form = CompleteMilestoneForm(request.POST or None)
    if form.is_valid() and _apply(
        form,
        lambda: services.complete_milestone(
            milestone=milestone, by=request.user, **form.cleaned_data
        ),
    ):
        messages.success(request, _("Milestone done. Well done!"))
        return redirect(milestone.goal)
    return render(request, "goals/milestone_complete.html", {"form": form, "milestone": milestone})


def _submit_report(request, program, mentee, form, items, lines) -> ProgressReport:
    return services.submit_progress_report(
        program=program,
        mentee=mentee,
        by=request.user,
        accomplishments=form.cleaned_data["accomplishments"],
        help_needed=form.cleaned_data["help_needed"],
        items=[
            (f.cleaned_data["kind"], f.cleaned_data["text"], f.cleaned_data["goal"]) for f in items
        ],
        status_lines=[(f.goal, f.cleaned_data["state"], f.cleaned_data["note"]) for f in lines],
    )


def report_create(request, program_pk):
    program, mentee = plan_owner_or_404(
        user=request.user, program_pk=program_pk, mentee_pk=request.user.pk
    )
    goals = Goal.objects.filter(program=program, mentee=mentee).current().order_by("priority")
    data = request.POST or None
    form = ReportForm(data)
    items = [ReportItemForm(data, prefix=f"item-{i}", goals=goals) for i in range(ITEM_ROWS)]
    lines = [StatusLineForm(data, goal=goal) for goal in goals]
    valid = data is not None and all(f.is_valid() for f in [form, *items, *lines])
    if valid and _apply(form, lambda: _submit_report(request, program, mentee, form, items, lines)):
        messages.success(request, _("Report sent. Your mentor will read and comment on it."))
        return redirect(form.result)
    return render(
        request,
        "goals/report_form.html",
        {"form": form, "items": items, "lines": lines, "program": program, "mentee": mentee},
    )


def report(request, pk):
    item = report_or_404(user=request.user, pk=pk)
    return render(request, "goals/report_detail.html", _report_context(request, item))


def _report_context(request, item, form=None):
    is_primary = rules.is_primary_mentor(request.user, program=item.program, mentee=item.mentee)
    can_comment = is_primary or item.mentee_id == request.user.pk
    comment_form = form or (CommentForm() if can_comment else None)
    if comment_form is not None:
        comment_form.helper.form_action = reverse("goals:report_comment", args=[item.pk])
    return {
        "report": item,
        "is_primary_mentor": is_primary,
        "comment_form": comment_form,
        "plan_url": _plan_url(item.program_id, item.mentee_id),
    }


@require_POST
def report_comment(request, pk):
    item = report_or_404(user=request.user, pk=pk)
    require(
        item.mentee_id == request.user.pk
        or rules.is_primary_mentor(request.user, program=item.program, mentee=item.mentee)
    )
    form = CommentForm(request.POST)
    if form.is_valid() and _apply(
        form,
        lambda: services.comment_on_report(report=item, by=request.user, **form.cleaned_data),
    ):
        messages.success(request, _("Comment added."))
        return redirect(item)
    return render(request, "goals/report_detail.html", _report_context(request, item, form))


@require_POST
def report_reviewed(request, pk):
    item = get_visible_or_404(
        ProgressReport.objects.select_related("program", "mentee"), request.user, pk=pk
    )
    services.mark_report_reviewed(report=item, by=request.user)
    messages.success(request, _("Report marked as reviewed."))
    return redirect(item)


def comment_edit(request, pk):
    comment = get_visible_or_404(
        ReportComment.objects.select_related("report"), request.user, pk=pk
    )
    require(comment.author_id == request.user.pk)
    form = CommentForm(
        request.POST or None, initial={"text": comment.text}, label=_("Save comment")
    )
    if form.is_valid() and _apply(
        form,
        lambda: services.edit_report_comment(comment=comment, by=request.user, **form.cleaned_data),
    ):
        messages.success(request, _("Comment updated."))
        return redirect(comment.report)
    return render(request, "goals/comment_form.html", {"form": form, "comment": comment})


def opportunity_create(request, program_pk, mentee_pk):
    program, mentee = plan_owner_or_404(
        user=request.user, program_pk=program_pk, mentee_pk=mentee_pk
    )
    require(
        Dyad.objects.filter(
            program=program, mentee=mentee, mentor=request.user, status__in=OPEN_STATUSES
        ).exists()
    )
    form = OpportunityForm(request.POST or None, initial={"offered_on": timezone.localdate()})
    if form.is_valid() and _apply(
        form,
        lambda: services.record_opportunity(
            program=program, mentee=mentee, by=request.user, **form.cleaned_data
        ),
    ):
        messages.success(request, _("Opportunity recorded."))
        return redirect(_plan_url(program.pk, mentee.pk) + "#opportunities")
    return render(
        request,
        "goals/opportunity_form.html",
        {"form": form, "program": program, "mentee": mentee},
    )


def opportunity_edit(request, pk):
    item = get_visible_or_404(
        Opportunity.objects.select_related("program", "mentee"), request.user, pk=pk
    )
    require(item.offered_by_id == request.user.pk)
    form = OpportunityForm(request.POST or None, instance=item)
    if form.is_valid():
        item.refresh_from_db()
        if _apply(
            form,
            lambda: services.update_opportunity(
                opportunity=item, by=request.user, **form.cleaned_data
            ),
        ):
            messages.success(request, _("Opportunity updated."))
            return redirect(_plan_url(item.program_id, item.mentee_id) + "#opportunities")
    return render(
        request,
        "goals/opportunity_form.html",
        {"form": form, "program": item.program, "mentee": item.mentee, "opportunity": item},
    )
