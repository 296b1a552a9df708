import re

from django.urls import reverse

from goals import services
from tests.goals.builders import make_goal, make_milestone, make_report

INLINE = re.compile(r"\sstyle=|\sonclick=|<script>")


def test_goal_pages_have_no_inline_style_or_script(client, world):
    goal = make_goal(world.program, world.mentee)
    milestone = make_milestone(goal)
    review = services.review_goal(goal=goal, by=world.mentor, decision="agreed")
    report = make_report(world.program, world.mentee, goal)
    pages = {
        world.mentee: [
            reverse("goals:plan", args=[world.program.pk, world.mentee.pk]),
            reverse("goals:create", args=[world.program.pk]),
            reverse("goals:report_create", args=[world.program.pk]),
            reverse("goals:edit", args=[goal.pk]),
            reverse("goals:milestone_complete", args=[milestone.pk]),
            goal.get_absolute_url(),
            report.get_absolute_url(),
            reverse("home"),
        ],
        world.mentor: [
            goal.get_absolute_url(),
            report.get_absolute_url(),
            reverse("goals:review_edit", args=[review.pk]),
            reverse("goals:opportunity_create", args=[world.program.pk, world.mentee.pk]),
            reverse("home"),
        ],
    }
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert not INLINE.search(response.content.decode()), url
