"""The admin's cycle page: progress per dyad, reminders by hand, a fixed number of queries."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.services import save_feedback_draft
from tests.builders import add_dyads
from tests.feedback.helpers import make_cycle, request_of, submit


def test_admin_sees_who_has_answered(client, world):
    cycle = make_cycle(world)
    submit(request_of(cycle, world.dyad, "mentee"))
    save_feedback_draft(
        feedback_request=request_of(cycle, world.other_dyad, "mentor"),
        by=world.other_mentor,
        answers={"strengths": "half-way"},
    )
    client.force_login(world.admin)
    page = client.get(reverse("feedback:cycle", args=[cycle.pk])).content.decode()
    assert "1 of 4" in page
    assert page.count(">submitted<") == 1
    assert page.count("draft saved") == 1
    assert page.count("send reminder") == 3


def test_admin_opens_a_cycle_from_the_form(client, world):
    client.force_login(world.admin)
    today = timezone.localdate()
    response = client.post(
        reverse("feedback:open_cycle", args=[world.program.slug]),
        {
            "name": "Autumn",
            "opens": today,
            "due": today + timedelta(days=7),
            "closes": today + timedelta(days=14),
        },
        follow=True,
    )
    assert "both sides of every active dyad are asked" in response.content.decode()
    assert "0 of 4" in response.content.decode()


def test_admin_sees_dates_out_of_order_explained_and_kept(client, world):
    client.force_login(world.admin)
    today = timezone.localdate()
    response = client.post(
        reverse("feedback:open_cycle", args=[world.program.slug]),
        {"name": "Autumn", "opens": today, "due": today + timedelta(days=9), "closes": today},
    )
    page = response.content.decode()
    assert "The due date must be on or before the day the cycle closes." in page
    assert 'value="Autumn"' in page


def test_admin_sends_a_reminder_by_hand(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    cycle = make_cycle(world)
    feedback_request = request_of(cycle, world.dyad, "mentor")
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("feedback:remind", args=[feedback_request.pk]), follow=True)
    assert f"A reminder is on its way to {world.mentor}" in response.content.decode()
    (mail,) = mailoutbox
    assert mail.to == [world.mentor.email]
    assert "Reminder: your feedback for" in mail.subject
    assert f"/feedback/requests/{feedback_request.pk}/" in mail.body


def test_a_second_reminder_within_the_hour_is_refused(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    cycle = make_cycle(world)
    feedback_request = request_of(cycle, world.dyad, "mentor")
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("feedback:remind", args=[feedback_request.pk]))
        response = client.post(reverse("feedback:remind", args=[feedback_request.pk]), follow=True)
    assert "was reminded less than an hour ago" in response.content.decode()
    assert len(mailoutbox) == 1


def test_no_reminder_for_feedback_already_given(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    cycle = make_cycle(world)
    feedback_request = request_of(cycle, world.dyad, "mentor")
    submit(feedback_request)
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("feedback:remind", args=[feedback_request.pk]), follow=True)
    assert "has already given this feedback" in response.content.decode()
    assert mailoutbox == []


def test_mentor_cannot_send_reminders(client, world):
    cycle = make_cycle(world)
    client.force_login(world.mentor)
    url = reverse("feedback:remind", args=[request_of(cycle, world.dyad, "mentee").pk])
    assert client.post(url).status_code == 403


def _page_queries(client, cycle) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("feedback:cycle", args=[cycle.pk])).status_code == 200
    return len(queries)


def test_cycle_page_queries_do_not_grow_from_10_to_200_dyads(
    client, world, django_assert_max_num_queries
):
    add_dyads(world.program, 8)  # 10 with the world's two
    small = make_cycle(world, name="Small")
    submit(small.requests.first())
    add_dyads(world.program, 190)  # 200
    large = make_cycle(world, name="Large")
    assert large.requests.count() == 400
    for feedback_request in large.requests.all()[:50]:
        submit(feedback_request)
    client.force_login(world.admin)
    # session + user, program admin check (twice: the view and the nav), cycle, requests with
    # their dyads and drafts, questions: the same whatever the number of dyads.
    budget = _page_queries(client, small)
    with django_assert_max_num_queries(budget):
        client.get(reverse("feedback:cycle", args=[large.pk]))


def test_a_reminder_queued_before_the_answer_is_not_sent_after_it(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    from feedback.services import send_feedback_reminder

    cycle = make_cycle(world)
    feedback_request = request_of(cycle, world.dyad, "mentor")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_feedback_reminder(feedback_request=feedback_request, by=world.admin)
    submit(feedback_request)
    for callback in callbacks:
        callback()
    assert mailoutbox == []
