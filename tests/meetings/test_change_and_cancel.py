from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings import services
from meetings.models import Meeting
from tests.meetings.builders import at, propose, schedule


def test_mentor_moves_a_meeting_and_the_sequence_grows(client, world):
    meeting = schedule(world.dyad, starts_at=at(3, hour=10))
    client.force_login(world.mentor)
    new = at(5, hour=9)
    response = client.post(
        reverse("meetings:change", args=[meeting.pk]),
        {
            "date": new.strftime("%Y-%m-%d"),
            "start": "09:00",
            "end": "09:45",
            "location": "Room 2",
            "reason": "Clinic ran over",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.starts_at == new
    assert meeting.ends_at == new + timedelta(minutes=45)
    assert (meeting.sequence, meeting.change_reason) == (1, "Clinic ran over")


def test_change_needs_a_reason_and_keeps_the_typed_place(client, world):
    meeting = schedule(world.dyad, starts_at=at(3, hour=10))
    client.force_login(world.mentee)
    response = client.post(
        reverse("meetings:change", args=[meeting.pk]),
        {
            "date": at(4).strftime("%Y-%m-%d"),
            "start": "11:00",
            "end": "12:00",
            "location": "Library",
        },
    )
    assert response.status_code == 200
    assert "Library" in response.text
    meeting.refresh_from_db()
    assert meeting.sequence == 0


def test_mentee_cancels_with_a_reason(client, world):
    meeting = schedule(world.dyad)
    client.force_login(world.mentee)
    response = client.post(reverse("meetings:cancel", args=[meeting.pk]), {"reason": "Sick"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert (meeting.cancel_reason, meeting.cancelled_by, meeting.sequence) == (
        "Sick",
        world.mentee,
        1,
    )
    page = client.get(meeting.get_absolute_url())
    assert "Cancelled by Sam Mentee" in page.text


def test_a_proposal_can_be_withdrawn_by_cancelling(world):
    meeting = propose(world.dyad)
    services.cancel_meeting(meeting=meeting, by=world.mentee, reason="Found a better week")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED


def test_nobody_edits_a_cancelled_meeting(client, world):
    meeting = schedule(world.dyad)
    services.cancel_meeting(meeting=meeting, by=world.mentor, reason="Conference")
    with pytest.raises(ValidationError, match="cancelled"):
        services.add_agenda_item(meeting=meeting, by=world.mentee, topic="Aims")
    with pytest.raises(ValidationError, match="cancelled"):
        services.change_meeting(
            meeting=meeting,
            by=world.mentee,
            starts_at=at(6),
            ends_at=at(6) + timedelta(hours=1),
            location="",
            video_url="",
            reason="again",
        )
    client.force_login(world.mentee)
    response = client.post(
        reverse("meetings:notes", args=[meeting.pk]), {"text": "My notes", "version": "0"}
    )
    assert response.status_code == 200
    assert "cancelled" in response.text
    assert "My notes" in response.text
    response = client.get(reverse("meetings:change", args=[meeting.pk]), follow=True)
    assert "can no longer be changed" in response.text


def test_mentor_cannot_move_a_meeting_into_the_past(world):
    meeting = schedule(world.dyad)
    past = at(-1)
    with pytest.raises(ValidationError, match="in the past"):
        services.change_meeting(
            meeting=meeting,
            by=world.mentor,
            starts_at=past,
            ends_at=past + timedelta(hours=1),
            location="",
            video_url="",
            reason="oops",
        )


def test_change_form_starts_with_the_meetings_time_place_and_link(client, world):
    meeting = schedule(
        world.dyad,
        starts_at=at(3, hour=15),
        location="Room 4B",
        video_url="https://video.example.org/abc",
    )
    world.mentor.time_zone = "America/New_York"
    world.mentor.save(update_fields=["time_zone"])
    client.force_login(world.mentor)
    form = client.get(reverse("meetings:change", args=[meeting.pk])).context["form"]
    start = meeting.starts_at.astimezone(world.mentor.zone)
    end = meeting.ends_at.astimezone(world.mentor.zone)
    assert form["date"].value() == start.date()
    assert (form["start"].value(), form["end"].value()) == (start.time(), end.time())
    assert form["location"].value() == "Room 4B"
    assert form["video_url"].value() == "https://video.example.org/abc"
