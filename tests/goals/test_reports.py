from django.urls import reverse

from goals import services
from goals.models import ProgressReport
from tests.goals.builders import make_goal, make_report


def test_mentee_submits_a_report_with_a_barrier_linked_to_a_goal(client, world):
    goal = make_goal(world.program, world.mentee)
    client.force_login(world.mentee)
    response = client.post(
        reverse("goals:report_create", args=[world.program.pk]),
        {
            "accomplishments": "Outlined the aims",
            "help_needed": "Read my draft",
            "item-0-kind": "barrier",
            "item-0-text": "Clinic ate my research day",
            "item-0-goal": goal.pk,
            "item-1-kind": "difficulty",
            "item-1-text": "",
            "item-2-kind": "failure",
            "item-2-text": "",
            f"goal-{goal.pk}-state": "at_risk",
            f"goal-{goal.pk}-note": "Behind by two weeks",
        },
    )
    report = ProgressReport.objects.get()
    assert response["Location"] == report.get_absolute_url()
    item = report.items.get()
    assert (item.kind, item.goal) == ("barrier", goal)
    assert report.status_lines.get().state == "at_risk"


def test_mentee_cannot_send_an_empty_report(client, world):
    client.force_login(world.mentee)
    response = client.post(
        reverse("goals:report_create", args=[world.program.pk]),
        {"accomplishments": " ", "help_needed": "", "item-0-kind": "barrier", "item-0-text": ""},
    )
    assert response.status_code == 200
    assert "This report is empty" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_mentor_comments_and_marks_the_report_reviewed(client, world):
    report = make_report(world.program, world.mentee)
    client.force_login(world.mentor)
    client.post(reverse("goals:report_comment", args=[report.pk]), {"text": "Block Fridays."})
    client.post(reverse("goals:report_reviewed", args=[report.pk]))
    report.refresh_from_db()
    assert report.reviewed_by == world.mentor
    client.force_login(world.mentee)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Block Fridays." in page and "Reviewed by" in page


def test_mentee_cannot_mark_their_own_report_reviewed(client, world):
    report = make_report(world.program, world.mentee)
    client.force_login(world.mentee)
    assert client.post(reverse("goals:report_reviewed", args=[report.pk])).status_code == 403


def test_mentee_cannot_edit_the_mentors_comment(client, world):
    report = make_report(world.program, world.mentee)
    comment = services.comment_on_report(report=report, by=world.mentor, text="Good")
    client.force_login(world.mentee)
    url = reverse("goals:comment_edit", args=[comment.pk])
    assert client.post(url, {"text": "Rewritten"}).status_code == 403
    comment.refresh_from_db()
    assert comment.text == "Good"


def test_mentor_sees_the_report_awaiting_review_on_home(client, world):
    make_report(world.program, world.mentee)
    client.force_login(world.mentor)
    page = client.get(reverse("home")).content.decode()
    assert "Progress reports awaiting your review" in page and str(world.mentee) in page
