"""Nothing happens silently (issue 23): a progress report submitted tells the mentee's primary
mentor, a report reviewed tells the mentee, in their zone, with a link to the report, and nobody
else; a double click tells nothing twice; the person's e-mail choice holds."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from goals import services
from goals.models import ProgressReport
from mentoring.models import Notification
from mentoring.notices.preferences import set_preferences
from tests.builders import make_dyad, make_user
from tests.goals.builders import make_report

# 23:30 in UTC is already Wednesday 9 December (12:30 NZDT) in Auckland.
NOW = datetime(2026, 12, 8, 23, 30, tzinfo=UTC)
KINDS = ("progress_report_submitted", "progress_report_reviewed")


def told(kind: str) -> list[tuple[str, str]]:
    rows = Notification.objects.filter(kind=kind).order_by("id")
    return list(rows.values_list("recipient__email", "url"))


def in_auckland(user):
    user.time_zone = "Pacific/Auckland"
    user.save(update_fields=["time_zone"])
    return user


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_mentee_submits_a_report_and_only_the_primary_mentor_is_told(client, world, frozen):
    in_auckland(world.mentor)
    # A supplemental mentor sees no report, so is not told of one either.
    supplemental = make_user("stats@a.example")
    make_dyad(
        world.program,
        mentor=supplemental,
        mentee=world.mentee,
        kind="supplemental",
        focus_area="Statistics",
    )
    client.force_login(world.mentee)
    client.post(
        reverse("goals:report_create", args=[world.program.pk]),
        {
            "accomplishments": "Outlined the aims",
            "help_needed": "Read my draft",
            "item-0-kind": "barrier",
            "item-0-text": "<script>alert(1)</script>",
        },
    )
    report = ProgressReport.objects.get()
    assert told("progress_report_submitted") == [(world.mentor.email, report.get_absolute_url())]
    notice = Notification.objects.get(kind="progress_report_submitted")
    assert "Sam Mentee" in notice.title
    assert "Wed 9 Dec 2026" in notice.body and "Tue 8 Dec 2026" not in notice.body


def test_double_click_on_submit_tells_once_and_a_new_report_tells_again(world, frozen):
    first = make_report(world.program, world.mentee)
    assert make_report(world.program, world.mentee) == first
    assert ProgressReport.objects.count() == 1
    second = make_report(world.program, world.mentee, accomplishments="Sent the aims out.")
    assert told("progress_report_submitted") == [
        (world.mentor.email, first.get_absolute_url()),
        (world.mentor.email, second.get_absolute_url()),
    ]


def test_mentor_marks_the_report_reviewed_and_only_the_mentee_is_told(client, world, frozen):
    in_auckland(world.mentee)
    report = make_report(world.program, world.mentee)
    client.force_login(world.mentor)
    url = reverse("goals:report_reviewed", args=[report.pk])
    client.post(url)
    client.post(url)  # double click
    assert told("progress_report_reviewed") == [(world.mentee.email, report.get_absolute_url())]
    notice = Notification.objects.get(kind="progress_report_reviewed")
    assert "Maria Mentor" in notice.title
    assert "Wed 9 Dec 2026" in notice.body


def test_no_report_event_reaches_the_admin_the_other_dyad_or_another_program(world, frozen):
    report = make_report(world.program, world.mentee)
    services.mark_report_reviewed(report=report, by=world.mentor)
    told_anyone = Notification.objects.filter(kind__in=KINDS)
    assert sorted(told_anyone.values_list("recipient", flat=True)) == sorted(
        [world.mentor.pk, world.mentee.pk]
    )


def test_an_unpaired_mentee_reports_and_nobody_is_told(world, frozen):
    from programs.services.dyads import end_dyad

    end_dyad(dyad=world.dyad, by=world.admin, reason="poor_fit")
    make_report(world.program, world.mentee)
    assert told("progress_report_submitted") == []


@pytest.mark.parametrize(("choice", "channel"), [("off", "in_app"), ("digest", "digest")])
def test_people_who_chose_no_single_emails_are_told_in_app_or_in_the_digest(
    world, mailoutbox, django_capture_on_commit_callbacks, choice, channel
):
    set_preferences(user=world.mentor, choices={"progress_report_submitted": choice})
    set_preferences(user=world.mentee, choices={"progress_report_reviewed": choice})
    with django_capture_on_commit_callbacks(execute=True):
        report = make_report(world.program, world.mentee)
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_report_reviewed(report=report, by=world.mentor)
    for kind in KINDS:
        assert Notification.objects.get(kind=kind).channel == channel
    assert [m for m in mailoutbox if m.to in ([world.mentor.email], [world.mentee.email])] == []


def test_mentor_who_chose_each_gets_the_report_by_email(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_report(world.program, world.mentee)
    [mail] = [m for m in mailoutbox if m.to == [world.mentor.email]]
    assert "progress report" in mail.subject
