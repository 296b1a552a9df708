import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from goals.models import Goal
from meetings import services
from meetings.models import AgendaItem
from tests.meetings.builders import held, schedule


def test_mentee_writes_the_agenda_and_marks_it_ready(client, world):
    meeting = schedule(world.dyad)
    client.force_login(world.mentee)
    response = client.post(
        reverse("meetings:agenda_add", args=[meeting.pk]),
        {"agenda-topic": "K23 aims", "agenda-help_needed": "review", "agenda-details": "Draft 2"},
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get()
    assert (item.topic, item.help_needed, item.added_by) == ("K23 aims", "review", world.mentee)
    client.post(reverse("meetings:agenda_ready", args=[meeting.pk]), {"ready": "1"})
    meeting.refresh_from_db()
    assert meeting.agenda_ready_at is not None


def test_mentor_sees_agenda_readiness_on_home(client, world):
    meeting = schedule(world.dyad)
    client.force_login(world.mentor)
    assert "Agenda not ready" in client.get("/").text
    services.add_agenda_item(meeting=meeting, by=world.mentee, topic="Career plan")
    services.set_agenda_ready(meeting=meeting, by=world.mentee, ready=True)
    assert "Agenda ready" in client.get("/").text


def test_mentee_cannot_mark_an_empty_agenda_ready(world):
    meeting = schedule(world.dyad)
    with pytest.raises(ValidationError, match="at least one"):
        services.set_agenda_ready(meeting=meeting, by=world.mentee, ready=True)


def test_mentor_adds_items_but_cannot_mark_the_agenda_ready(world):
    meeting = schedule(world.dyad)
    services.add_agenda_item(meeting=meeting, by=world.mentor, topic="Promotion timeline")
    with pytest.raises(PermissionDenied):
        services.set_agenda_ready(meeting=meeting, by=world.mentor, ready=True)


def test_empty_topic_is_refused_and_details_are_kept(client, world):
    meeting = schedule(world.dyad)
    client.force_login(world.mentee)
    response = client.post(
        reverse("meetings:agenda_add", args=[meeting.pk]),
        {"agenda-topic": "", "agenda-help_needed": "advice", "agenda-details": "Keep this text"},
    )
    assert response.status_code == 400
    assert "Keep this text" in response.text
    assert not AgendaItem.objects.exists()


def test_agenda_item_links_one_of_the_mentees_goals(client, world):
    goal = Goal.objects.create(
        program=world.program,
        mentee=world.mentee,
        title="Submit a K23",
        category="research",
        created_by=world.mentee,
    )
    meeting = schedule(world.dyad)
    client.force_login(world.mentee)
    client.post(
        reverse("meetings:agenda_add", args=[meeting.pk]),
        {"agenda-topic": "Aims", "agenda-help_needed": "advice", "agenda-goal": goal.pk},
    )
    assert AgendaItem.objects.get().goal == goal
    assert "Goal: Submit a K23" in client.get(meeting.get_absolute_url()).text


def test_someone_elses_goal_cannot_be_linked(world):
    other_goal = Goal.objects.create(
        program=world.program,
        mentee=world.other_mentee,
        title="Not yours",
        category="research",
        created_by=world.other_mentee,
    )
    meeting = schedule(world.dyad)
    with pytest.raises(ValidationError, match="Link a goal"):
        services.add_agenda_item(meeting=meeting, by=world.mentee, topic="x", goal=other_goal)


def test_open_action_items_of_the_last_meeting_appear_on_the_next_agenda(client, world):
    earlier = held(world.dyad, days_ago=14)
    services.add_action_item(
        meeting=earlier, by=world.mentor, description="Email Dr. Chen", owner=world.mentee
    )
    done = services.add_action_item(
        meeting=earlier, by=world.mentor, description="Read paper", owner=world.mentee
    )
    services.set_action_item_done(item=done, by=world.mentee)
    upcoming = schedule(world.dyad)
    client.force_login(world.mentor)
    page = client.get(upcoming.get_absolute_url())
    assert "Open action items from earlier meetings" in page.text
    assert "Email Dr. Chen" in page.text
    assert "Read paper" not in page.text


def test_only_who_added_an_item_removes_it(client, world):
    meeting = schedule(world.dyad)
    item = services.add_agenda_item(meeting=meeting, by=world.mentee, topic="Mine")
    client.force_login(world.mentor)
    assert client.post(reverse("meetings:agenda_remove", args=[item.pk])).status_code == 403
    client.force_login(world.mentee)
    assert client.post(reverse("meetings:agenda_remove", args=[item.pk])).status_code == 302
    assert not AgendaItem.objects.exists()
