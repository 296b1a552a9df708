"""The rule in channel_for: a notice that is the message itself (a calendar invitation, an admin's
reminder) is always e-mailed; preferences govern only the notices the sweeps find."""

import pytest
from django.urls import reverse

from mentoring import registry
from mentoring.models import Notification
from mentoring.notices.preferences import channel_for, set_preferences
from tests.reminders.conftest import at as utc
from tests.reminders.conftest import notices, schedule_meeting

IN_A_WEEK = utc(2030, 1, 7, 14)


@pytest.mark.parametrize("choice", ["off", "digest"])
def test_mentee_who_chose_no_single_emails_still_gets_the_calendar_invitation(
    world, mailoutbox, django_capture_on_commit_callbacks, choice
):
    set_preferences(
        user=world.mentee, choices=dict.fromkeys([k.name for k in registry.kinds()], choice)
    )
    with django_capture_on_commit_callbacks(execute=True):
        schedule_meeting(world.dyad, IN_A_WEEK)
    to_mentee = [m for m in mailoutbox if m.to == [world.mentee.email]]
    assert len(to_mentee) == 1
    assert any(p.get_content_type() == "text/calendar" for p in to_mentee[0].message().walk())
    invitations = [key for key in notices(mailoutbox) if key.startswith("meeting_update:")]
    assert len(invitations) == 2  # each side's invitation carries its notice key
    assert Notification.objects.get(recipient=world.mentee).channel == "email"


def test_channel_rule_per_kind(world):
    for kind in [k.name for k in registry.kinds()]:
        notice = Notification(kind=kind, recipient=world.mentee)
        expected = "email" if registry.kind(kind).always_emailed else "in_app"
        assert channel_for(notice, "off") == expected, kind


def test_preferences_page_offers_no_choice_for_invitations(client, world):
    client.force_login(world.mentee)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'name="meeting_tomorrow"' in page
    assert 'name="meeting_update"' not in page
    assert 'name="feedback_reminder"' not in page
