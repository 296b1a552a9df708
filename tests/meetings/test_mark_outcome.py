import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from feedback.models import FeedbackRequest
from meetings import services
from meetings.models import Meeting
from tests.meetings.builders import held, schedule, started


def test_meeting_asks_to_be_marked_after_its_start(client, world):
    meeting = started(world.dyad)
    client.force_login(world.mentee)
    assert "Did it take place?" in client.get(meeting.get_absolute_url()).text
    home = client.get("/")
    assert "mark it held or missed" in home.text
    response = client.post(reverse("meetings:mark", args=[meeting.pk]), {"outcome": "held"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.marked_by) == (Meeting.Status.HELD, world.mentee)
    assert "mark it held or missed" not in client.get("/").text


def test_nobody_marks_a_meeting_before_it_starts(world):
    meeting = schedule(world.dyad)
    with pytest.raises(ValidationError, match="not started"):
        services.mark_meeting(meeting=meeting, by=world.mentor, outcome="held")


def test_mentor_marks_a_meeting_missed(world):
    meeting = started(world.dyad)
    services.mark_meeting(meeting=meeting, by=world.mentor, outcome="missed")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.MISSED


def test_first_held_meeting_opens_the_fit_check_once(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        held(world.dyad, days_ago=10)
    checks = FeedbackRequest.objects.filter(dyad=world.dyad, kind=FeedbackRequest.Kind.FIT_CHECK)
    assert checks.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        held(world.dyad, days_ago=2)
    assert checks.count() == 2
