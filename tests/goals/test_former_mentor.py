"""A mentor whose dyad ended sees the mentee's plan as it was at the end, and nothing added later.

The mentee's goals carry over to the new mentor; what the mentee and the new mentor write after
the end (milestones, reviews, revisions, reports, comments, and changes such as a milestone marked
done) is theirs, not the former mentor's.
"""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from goals import services
from goals.models import GoalReview, GoalRevision, Milestone, ProgressReport, ReportComment
from programs.models import Dyad
from programs.services.dyads import end_dyad
from programs.services.pairing import add_supplemental_mentor
from tests.builders import add_member, make_dyad, make_user
from tests.goals.builders import make_goal, make_milestone, make_report

LATER = (
    "Submit an R01 instead",  # the goal's revised title
    "Aim for the study section in June",  # its revised description
    "Mock study section",  # a milestone the new mentor proposed
    "Send the draft to the program officer",  # a milestone the mentee added
    "Narrow aim 2 first",  # the new mentor's review
    "Aims sent to the program officer",  # evidence of an old milestone, marked done later
    "Got the summary statement back",  # a report written after the end
    "Welcome, I have read your plan",  # the new mentor's comment on an old report
    "Great news, let us meet",  # the new mentor's comment on the new report
)


def _after(minutes: int):
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=False)


def _re_paired_plan(world):
    """Before the end: a goal with a milestone, the mentor's review and a report. The admin ends
    the dyad for poor fit and pairs the mentee with a new mentor; then the plan moves on."""
    goal = make_goal(world.program, world.mentee, title="Submit a K award")
    old_milestone = make_milestone(goal, title="Draft the aims")
    services.review_goal(goal=goal, by=world.mentor, decision="agreed")
    old_report = make_report(world.program, world.mentee, goal, accomplishments="Wrote the aims.")
    services.comment_on_report(report=old_report, by=world.mentor, text="Good start")
    with _after(5):
        end_dyad(dyad=world.dyad, by=world.admin, reason=Dyad.EndReason.POOR_FIT)
        new_mentor = world.other_mentor
        make_dyad(world.program, mentor=new_mentor, mentee=world.mentee, by=world.admin)
    with _after(10):
        services.update_goal(
            goal=goal,
            by=world.mentee,
            title="Submit an R01 instead",
            description="Aim for the study section in June",
        )
        proposed = make_milestone(goal, by=new_mentor, title="Mock study section")
        added = make_milestone(goal, title="Send the draft to the program officer")
        review = services.review_goal(
            goal=goal, by=new_mentor, decision="changes", comment="Narrow aim 2 first"
        )
        services.complete_milestone(
            milestone=old_milestone,
            by=world.mentee,
            completed_on=timezone.localdate(),
            evidence="Aims sent to the program officer",
        )
        services.comment_on_report(
            report=old_report, by=new_mentor, text="Welcome, I have read your plan"
        )
        services.mark_report_reviewed(report=old_report, by=new_mentor)
        new_report = make_report(
            world.program, world.mentee, goal, accomplishments="Got the summary statement back"
        )
        comment = services.comment_on_report(
            report=new_report, by=new_mentor, text="Great news, let us meet"
        )
    return {
        "goal": goal,
        "old_report": old_report,
        "new_report": new_report,
        "proposed": proposed,
        "added": added,
        "review": review,
        "comment": comment,
    }


def _pages(client, plan):
    goal = plan["goal"]
    return {
        "goal": client.get(goal.get_absolute_url()),
        "plan": client.get(reverse("goals:plan", args=[goal.program_id, goal.mentee_id])),
        "old report": client.get(plan["old_report"].get_absolute_url()),
    }


def test_former_mentor_sees_the_plan_as_it_was_at_the_end(client, world):
    plan = _re_paired_plan(world)
    client.force_login(world.mentor)

    pages = _pages(client, plan)

    for name, response in pages.items():
        assert response.status_code == 200, name
        page = response.content.decode()
        assert "Submit a K award" in page, name  # the goal as it was
        for text in LATER:
            assert text not in page, f"{name} page shows {text!r}, written after the end"
    goal_page = pages["goal"].content.decode()
    assert "Draft the aims" in goal_page  # written while they were the mentor
    assert "Version 2" not in goal_page
    old_report = pages["old report"].content.decode()
    assert "Good start" in old_report
    assert "Awaiting review" in old_report  # the new mentor marked it reviewed after the end


def test_former_mentor_gets_404_for_what_was_added_after_the_end(client, world):
    plan = _re_paired_plan(world)
    client.force_login(world.mentor)

    for url in (
        plan["new_report"].get_absolute_url(),
        reverse("goals:milestone_complete", args=[plan["proposed"].pk]),
        reverse("goals:milestone_complete", args=[plan["added"].pk]),
        reverse("goals:review_edit", args=[plan["review"].pk]),
        reverse("goals:comment_edit", args=[plan["comment"].pk]),
    ):
        assert client.get(url).status_code == 404, url

    mentor = world.mentor
    assert set(Milestone.objects.visible_to(mentor).values_list("title", flat=True)) == {
        "Draft the aims"
    }
    assert list(GoalRevision.objects.visible_to(mentor).values_list("number", flat=True)) == [1]
    assert list(GoalReview.objects.visible_to(mentor).values_list("reviewer", flat=True)) == [
        mentor.pk
    ]
    assert list(ProgressReport.objects.visible_to(mentor)) == [plan["old_report"]]
    assert list(ReportComment.objects.visible_to(mentor).values_list("text", flat=True)) == [
        "Good start"
    ]


def test_new_mentor_and_mentee_see_everything(client, world):
    plan = _re_paired_plan(world)
    for who in (world.other_mentor, world.mentee):
        client.force_login(who)
        pages = _pages(client, plan)
        seen = "".join(response.content.decode() for response in pages.values())
        seen += client.get(plan["new_report"].get_absolute_url()).content.decode()
        for text in LATER:
            assert text in seen, f"{who} does not see {text!r}"
        assert "Submit a K award" not in pages["plan"].content.decode()  # the goal as it is now
    client.force_login(world.mentee)
    assert (
        client.get(reverse("goals:milestone_complete", args=[plan["added"].pk])).status_code == 200
    )


def test_former_supplemental_mentor_sees_nothing_added_after_their_dyad_ended(world):
    goal = make_goal(world.program, world.mentee, title="Write the R01")
    helper = make_user()
    add_member(world.program, helper, "mentor")
    dyad = add_supplemental_mentor(
        program=world.program,
        mentor=helper,
        mentee=world.mentee,
        by=world.admin,
        focus_area="grant writing",
    )
    services.share_goal(goal=goal, by=world.mentee, dyad=dyad)
    services.review_goal(goal=goal, by=helper, decision="comment", comment="Use the NIH template")
    with _after(5):
        end_dyad(dyad=dyad, by=world.admin, reason=Dyad.EndReason.GOALS_MET)
    with _after(10):
        make_milestone(goal, title="Later milestone")
        services.review_goal(goal=goal, by=world.mentor, decision="agreed")

    assert not Milestone.objects.visible_to(helper).exists()
    assert list(GoalReview.objects.visible_to(helper).values_list("reviewer", flat=True)) == [
        helper.pk
    ]
