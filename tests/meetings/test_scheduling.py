from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from meetings import services
from meetings.models import Meeting
from tests.meetings.builders import at, propose, schedule


def _slot(prefix, moment, minutes=60):
    end = moment + timedelta(minutes=minutes)
    return {
        f"date{prefix}": moment.strftime("%Y-%m-%d"),
        f"start{prefix}": moment.strftime("%H:%M"),
        f"end{prefix}": end.strftime("%H:%M"),
    }


def test_mentee_proposes_two_times_and_mentor_accepts_one(client, world):
    client.force_login(world.mentee)
    first, second = at(3, hour=10), at(4, hour=14)
    response = client.post(
        reverse("meetings:propose", args=[world.dyad.pk]),
        {**_slot("1", first), **_slot("2", second), "location": "Room 4B"},
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert meeting.status == Meeting.Status.REQUESTED
    assert [p.starts_at for p in meeting.proposals.all()] == [first, second]

    client.force_login(world.mentor)
    page = client.get(meeting.get_absolute_url())
    assert "Accept this time" in page.text
    chosen = meeting.proposals.get(starts_at=second)
    response = client.post(reverse("meetings:accept", args=[chosen.pk]))
    meeting.refresh_from_db()
    assert response.status_code == 302
    assert meeting.status == Meeting.Status.SCHEDULED
    assert (meeting.starts_at, meeting.ends_at) == (second, second + timedelta(hours=1))


def test_requester_cannot_accept_their_own_proposal(world):
    meeting = propose(world.dyad, by=world.mentee)
    with pytest.raises(PermissionDenied):
        services.accept_proposal(proposal=meeting.proposals.get(), by=world.mentee)


def test_mentor_can_propose_too(world):
    meeting = propose(world.dyad, by=world.mentor)
    services.accept_proposal(proposal=meeting.proposals.get(), by=world.mentee)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED


def test_mentee_cannot_propose_a_time_in_the_past_and_keeps_what_they_typed(client, world):
    client.force_login(world.mentee)
    response = client.post(
        reverse("meetings:propose", args=[world.dyad.pk]),
        {**_slot("1", at(-1, hour=10)), "location": "Café downstairs"},
    )
    assert response.status_code == 200
    assert "in the past" in response.text
    assert "Café downstairs" in response.text
    assert not Meeting.objects.exists()


def test_mentee_cannot_propose_an_end_before_the_start(client, world):
    client.force_login(world.mentee)
    start = at(2, hour=10)
    data = {**_slot("1", start), "end1": "09:00"}
    response = client.post(reverse("meetings:propose", args=[world.dyad.pk]), data)
    assert "must end after it starts" in response.text
    assert f'value="{start:%Y-%m-%d}"' in response.text
    assert not Meeting.objects.exists()


def test_service_refuses_end_before_start(world):
    start = at(2)
    with pytest.raises(ValidationError, match="end after it starts"):
        services.propose_meeting(dyad=world.dyad, by=world.mentee, times=[(start, start)])


def test_mentee_is_warned_of_an_overlap_and_may_confirm(client, world):
    schedule(world.dyad, starts_at=at(3, hour=10))
    client.force_login(world.mentee)
    url = reverse("meetings:propose", args=[world.dyad.pk])
    data = {**_slot("1", at(3, hour=10) + timedelta(minutes=30)), "note": "Aims page"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "overlaps your meeting with Maria Mentor" in response.text
    assert "go ahead anyway" in response.text
    assert "Aims page" in response.text
    assert Meeting.objects.count() == 1

    response = client.post(url, {**data, "confirm_overlap": "on"})
    assert response.status_code == 302
    assert Meeting.objects.count() == 2


def test_overlap_with_partners_other_meeting_does_not_name_the_other_person(world):
    # The mentor also mentors other_mentee at that time: the mentee learns only that there is a clash.
    from tests.builders import make_dyad

    side = make_dyad(
        world.program,
        mentor=world.mentor,
        mentee=world.other_mentee,
        kind="supplemental",
        focus_area="stats",
    )
    schedule(side, starts_at=at(3, hour=10))
    with pytest.raises(services.OverlapWarning) as warning:
        propose(world.dyad, by=world.mentee, starts_at=at(3, hour=10))
    assert "another meeting in Maria Mentor's calendar" in warning.value.messages[0]
    assert str(world.other_mentee) not in warning.value.messages[0]


def test_supplemental_dyad_schedules_meetings_too(world):
    from tests.builders import make_dyad

    side = make_dyad(
        world.program,
        mentor=world.other_mentor,
        mentee=world.mentee,
        kind="supplemental",
        focus_area="grant writing",
    )
    meeting = schedule(side)
    assert meeting.status == Meeting.Status.SCHEDULED


def test_nobody_proposes_in_an_ended_dyad(world):
    from programs.services.dyads import end_dyad

    end_dyad(dyad=world.dyad, by=world.admin, reason="goals_met")
    world.dyad.refresh_from_db()
    with pytest.raises(ValidationError, match="ended"):
        propose(world.dyad)


def test_admin_cannot_propose_for_a_dyad(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("meetings:propose", args=[world.dyad.pk]))
    assert response.status_code == 403


def test_a_time_skipped_by_the_clock_change_is_refused(client, world):
    world.mentee.time_zone = "America/New_York"
    world.mentee.save()
    import time_machine

    with time_machine.travel("2031-03-01 12:00Z", tick=False):
        client.force_login(world.mentee)
        response = client.post(
            reverse("meetings:propose", args=[world.dyad.pk]),
            {"date1": "2031-03-09", "start1": "02:30", "end1": "03:30"},
        )
    assert "does not exist in America/New_York" in response.text


def test_mentor_accepting_an_overlapping_time_is_warned_and_may_accept_anyway(client, world):
    from tests.builders import make_dyad

    side = make_dyad(
        world.program,
        mentor=world.mentor,
        mentee=world.other_mentee,
        kind="supplemental",
        focus_area="stats",
    )
    schedule(side, starts_at=at(3, hour=10))
    meeting = propose(world.dyad, by=world.mentee, starts_at=at(3, hour=10), confirm_overlap=True)
    proposal = meeting.proposals.get()
    client.force_login(world.mentor)
    response = client.post(reverse("meetings:accept", args=[proposal.pk]))
    assert response.status_code == 200
    assert "overlaps your meeting with Other Mentee" in response.text
    assert "Accept anyway" in response.text
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.REQUESTED
    client.post(reverse("meetings:accept", args=[proposal.pk]), {"confirm_overlap": "1"})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED
