from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import ActionItem
from tests.meetings.builders import held


def test_mentor_adds_an_action_item_for_the_mentee_who_sees_it_at_home_until_done(client, world):
    meeting = held(world.dyad)
    client.force_login(world.mentor)
    due = timezone.localdate() + timedelta(days=7)
    response = client.post(
        reverse("meetings:action_add", args=[meeting.pk]),
        {
            "action-description": "Send revised aims",
            "action-owner": world.mentee.pk,
            "action-due_on": due.isoformat(),
        },
    )
    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert (item.owner, item.due_on) == (world.mentee, due)

    client.force_login(world.mentee)
    assert "Send revised aims" in client.get("/").text
    response = client.post(
        reverse("meetings:action_done", args=[item.pk]), {"done": "1", "next": "/"}
    )
    assert response.status_code == 302
    assert "Send revised aims" not in client.get("/").text


def test_an_action_item_belongs_to_the_mentor_or_the_mentee(client, world):
    meeting = held(world.dyad)
    client.force_login(world.mentor)
    response = client.post(
        reverse("meetings:action_add", args=[meeting.pk]),
        {"action-description": "Keep me", "action-owner": world.other_mentee.pk},
    )
    assert response.status_code == 400
    assert "Keep me" in response.text
    assert not ActionItem.objects.exists()


def test_ticking_an_item_with_htmx_returns_the_row(client, world):
    meeting = held(world.dyad)
    item = services.add_action_item(
        meeting=meeting, by=world.mentor, description="Call Dr. Chen", owner=world.mentor
    )
    client.force_login(world.mentor)
    response = client.post(
        reverse("meetings:action_done", args=[item.pk]), {"done": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "✓</span> Done" in response.text  # the name read out starts with "Done"


def test_next_must_stay_on_this_site(client, world):
    meeting = held(world.dyad)
    item = services.add_action_item(
        meeting=meeting, by=world.mentor, description="x", owner=world.mentor
    )
    client.force_login(world.mentor)
    response = client.post(
        reverse("meetings:action_done", args=[item.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"].startswith(meeting.get_absolute_url())
