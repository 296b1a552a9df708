from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals import services
from tests.goals.builders import make_goal, make_milestone, make_report


def _grow(world, goals=1):
    for i in range(goals):
        goal = make_goal(world.program, world.mentee, title=f"Goal {i}")
        make_milestone(goal)
        make_milestone(goal, by=world.mentor, title="Proposed")
        services.review_goal(goal=goal, by=world.mentor, decision="agreed")
        report = make_report(world.program, world.mentee, goal)
        services.comment_on_report(report=report, by=world.mentor, text="Fine")
        services.record_opportunity(
            program=world.program, mentee=world.mentee, by=world.mentor, kind="talk", title="T"
        )


def test_plan_page_queries_do_not_grow(client, world, django_assert_max_num_queries):
    _grow(world)
    url = reverse("goals:plan", args=[world.program.pk, world.mentee.pk])
    for who in (world.mentee, world.mentor, world.admin):
        client.force_login(who)
        with CaptureQueriesContext(connection) as small:
            assert client.get(url).status_code == 200
        _grow(world, goals=6)
        with django_assert_max_num_queries(len(small)):
            client.get(url)


def test_home_panel_queries_do_not_grow(client, world, django_assert_max_num_queries):
    _grow(world)
    for who in (world.mentee, world.mentor, world.admin):
        client.force_login(who)
        with CaptureQueriesContext(connection) as small:
            assert client.get(reverse("home")).status_code == 200
        _grow(world, goals=6)
        with django_assert_max_num_queries(len(small)):
            client.get(reverse("home"))


def test_goal_page_queries_do_not_grow(client, world, django_assert_max_num_queries):
    goal = make_goal(world.program, world.mentee)
    client.force_login(world.mentor)
    with CaptureQueriesContext(connection) as small:
        client.get(goal.get_absolute_url())
    for i in range(5):
        make_milestone(goal, title=f"M{i}")
        services.review_goal(goal=goal, by=world.mentor, decision="changes", comment=f"c{i}")
    with django_assert_max_num_queries(len(small)):
        client.get(goal.get_absolute_url())
