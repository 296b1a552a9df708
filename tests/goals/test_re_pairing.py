from datetime import timedelta

import time_machine
from django.utils import timezone

from goals.models import Goal, ProgressReport
from programs.services.pairing import re_pair_mentee
from tests.goals.builders import make_goal, make_report


def test_new_mentor_sees_old_goals_and_old_mentor_not_new_ones(client, world):
    old_goal = make_goal(world.program, world.mentee, title="Old goal")
    old_report = make_report(world.program, world.mentee)
    with time_machine.travel(timezone.now() + timedelta(minutes=5), tick=False):
        re_pair_mentee(dyad=world.dyad, by=world.admin, new_mentor=world.other_mentor)
    with time_machine.travel(timezone.now() + timedelta(minutes=10), tick=False):
        new_goal = make_goal(world.program, world.mentee, title="New goal")
        new_report = make_report(world.program, world.mentee)

    assert set(Goal.objects.visible_to(world.other_mentor)) == {old_goal, new_goal}
    assert set(ProgressReport.objects.visible_to(world.other_mentor)) == {old_report, new_report}
    assert set(Goal.objects.visible_to(world.mentor)) == {old_goal}
    assert set(ProgressReport.objects.visible_to(world.mentor)) == {old_report}

    client.force_login(world.mentor)
    assert client.get(new_goal.get_absolute_url()).status_code == 404
    assert client.get(new_report.get_absolute_url()).status_code == 404
    client.force_login(world.other_mentor)
    assert client.get(old_goal.get_absolute_url()).status_code == 200
    assert client.get(old_report.get_absolute_url()).status_code == 200


def test_old_mentor_can_no_longer_review_or_comment(client, world):
    goal = make_goal(world.program, world.mentee)
    report = make_report(world.program, world.mentee)
    re_pair_mentee(dyad=world.dyad, by=world.admin, new_mentor=world.other_mentor)
    client.force_login(world.mentor)
    from django.urls import reverse

    assert (
        client.post(reverse("goals:review", args=[goal.pk]), {"decision": "agreed"}).status_code
        == 403
    )
    assert client.post(reverse("goals:report_reviewed", args=[report.pk])).status_code == 403
