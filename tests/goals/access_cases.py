"""The goals URLs in the permission matrix. The world gets a plan on first use: a goal of the
mentee with milestones, a review, a report with a comment, an opportunity and a share with a
supplemental mentor who is none of the world's roles."""

from datetime import timedelta

from django.utils import timezone

from goals import services
from goals.models import GoalReview
from programs.services.pairing import add_supplemental_mentor
from tests.access import EVERYONE, Case, roles
from tests.builders import add_member, make_user
from tests.goals.builders import make_goal, make_milestone, make_report


class Plan:
    def __init__(self, w):
        self.goal = make_goal(w.program, w.mentee)
        self.accepted = make_milestone(self.goal)
        self.proposed = make_milestone(self.goal, by=w.mentor, title="Ask two colleagues")
        self.review = services.review_goal(
            goal=self.goal, by=w.mentor, decision=GoalReview.Decision.CHANGES, comment="Narrow it."
        )
        self.report = make_report(w.program, w.mentee, self.goal)
        self.comment = services.comment_on_report(report=self.report, by=w.mentor, text="Good.")
        self.opportunity = services.record_opportunity(
            program=w.program, mentee=w.mentee, by=w.mentor, kind="talk", title="Grand rounds"
        )
        helper = make_user()
        add_member(w.program, helper, "mentor")
        self.supplemental = add_supplemental_mentor(
            program=w.program, mentor=helper, mentee=w.mentee, by=w.admin, focus_area="statistics"
        )
        self.share = services.share_goal(goal=self.goal, by=w.mentee, dyad=self.supplemental)


def p(w) -> Plan:
    if not hasattr(w, "_goals_plan"):
        w._goals_plan = Plan(w)
    return w._goals_plan


SOON = lambda: (timezone.localdate() + timedelta(days=10)).isoformat()  # noqa: E731

CASES = [
    Case(
        "goals:plan", lambda w: [w.program.pk, w.mentee.pk], ok=roles("admin", "mentor", "mentee")
    ),
    # The plans the person reads: a page for everyone, listing only theirs (tests/test_navigation.py).
    Case("goals:mine", ok=EVERYONE),
    Case("goals:create", lambda w: [w.program.pk], ok=roles("mentee", "other_mentee")),
    Case("goals:report_create", lambda w: [w.program.pk], ok=roles("mentee", "other_mentee")),
    Case("goals:opportunity_create", lambda w: [w.program.pk, w.mentee.pk], ok=roles("mentor")),
    Case("goals:detail", lambda w: [p(w).goal.pk], ok=roles("admin", "mentor", "mentee")),
    Case("goals:edit", lambda w: [p(w).goal.pk], ok=roles("mentee")),
    Case(
        "goals:move",
        lambda w: [p(w).goal.pk],
        ok=roles("mentee"),
        method="post",
        data=lambda w: {"direction": "down"},
    ),
    Case(
        "goals:review",
        lambda w: [p(w).goal.pk],
        ok=roles("mentor"),
        method="post",
        data=lambda w: {"decision": "agreed", "comment": ""},
    ),
    Case(
        "goals:share",
        lambda w: [p(w).goal.pk],
        ok=roles("mentee"),
        method="post",
        data=lambda w: {"dyad": p(w).supplemental.pk},
    ),
    Case(
        "goals:milestone_add",
        lambda w: [p(w).goal.pk],
        ok=roles("mentee", "mentor"),
        method="post",
        data=lambda w: {"title": "Outline", "due_date": SOON()},
    ),
    Case("goals:review_edit", lambda w: [p(w).review.pk], ok=roles("mentor")),
    Case("goals:unshare", lambda w: [p(w).share.pk], ok=roles("mentee"), method="post"),
    Case("goals:milestone_accept", lambda w: [p(w).proposed.pk], ok=roles("mentee"), method="post"),
    Case(
        "goals:milestone_decline",
        lambda w: [p(w).proposed.pk],
        ok=roles("mentee"),
        method="post",
        data=lambda w: {"reason": "Too early for this."},
    ),
    Case("goals:milestone_complete", lambda w: [p(w).accepted.pk], ok=roles("mentee")),
    Case(
        "goals:milestone_missed",
        lambda w: [p(w).accepted.pk],
        ok=roles("mentee", "mentor"),
        method="post",
    ),
    Case("goals:report", lambda w: [p(w).report.pk], ok=roles("admin", "mentor", "mentee")),
    Case(
        "goals:report_comment",
        lambda w: [p(w).report.pk],
        ok=roles("mentor", "mentee"),
        method="post",
        data=lambda w: {"text": "Thanks"},
    ),
    Case("goals:report_reviewed", lambda w: [p(w).report.pk], ok=roles("mentor"), method="post"),
    Case("goals:comment_edit", lambda w: [p(w).comment.pk], ok=roles("mentor")),
    Case("goals:opportunity_edit", lambda w: [p(w).opportunity.pk], ok=roles("mentor")),
]
