from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from mentoring import registry
from mentoring.models import NotificationPreference
from mentoring.notices.delivery import deliver
from mentoring.notices.preferences import set_preferences
from mentoring.reminders import sweep
from tests.reminders.conftest import notice_for

KIND = "dyad_overdue"


def test_mentee_turns_email_off_and_still_sees_notice_in_app(client, world, mailoutbox):
    set_preferences(user=world.mentee, choices={KIND: "off"})
    notice = notice_for(world.mentee, program=world.program)
    assert deliver(notification_id=notice.pk) == "in_app"
    assert mailoutbox == []
    client.force_login(world.mentee)
    assert notice.title in client.get(reverse("notifications:list")).content.decode()


def test_email_off_for_one_kind_leaves_other_kinds_mailed(world, mailoutbox):
    set_preferences(user=world.mentee, choices={"meeting_soon": "off"})
    notice = notice_for(world.mentee, program=world.program)
    assert deliver(notification_id=notice.pk) == "sent"


def test_mentee_gets_digest_instead_of_single_mails(world, mailoutbox):
    set_preferences(user=world.mentee, choices={KIND: "digest"})
    monday = datetime(2026, 3, 2, 8, 30, tzinfo=ZoneInfo("UTC"))
    with time_machine.travel(datetime(2026, 2, 25, 12, tzinfo=ZoneInfo("UTC")), tick=False):
        first = notice_for(world.mentee, program=world.program, title="First thing")
        second = notice_for(world.mentee, program=world.program, title="Second thing")
        assert deliver(notification_id=first.pk) == "digest"
        assert deliver(notification_id=second.pk) == "digest"
    assert mailoutbox == []
    with time_machine.travel(monday, tick=False):
        sweep("digest", send=_now)
        sweep("digest", send=_now)
    [mail] = mailoutbox
    assert mail.to == [world.mentee.email]
    assert "First thing" in mail.body and "Second thing" in mail.body


def test_preferences_page_saves_choices(client, world):
    client.force_login(world.mentee)
    url = reverse("notifications:preferences")
    data = dict.fromkeys([k.name for k in registry.kinds()], "each")
    data[KIND] = "digest"
    data["meeting_soon"] = "off"
    assert client.post(url, data).status_code == 302
    assert dict(
        NotificationPreference.objects.filter(user=world.mentee).values_list("kind", "email")
    ) == {KIND: "digest", "meeting_soon": "off"}
    page = client.get(url).content.decode()
    assert 'value="digest" selected' in page


def test_digest_cannot_go_into_a_digest(client, world):
    client.force_login(world.mentee)
    data = dict.fromkeys([k.name for k in registry.kinds()], "each")
    data["digest"] = "digest"
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def _now(ids):
    for notification_id in ids:
        deliver(notification_id=notification_id)
    return len(ids)


def test_each_person_is_offered_only_the_kinds_their_roles_receive(client, world):
    url = reverse("notifications:preferences")
    client.force_login(world.mentee)
    mentee_page = client.get(url).content.decode()
    assert 'name="agenda_not_ready"' in mentee_page
    assert 'name="admin_digest"' not in mentee_page
    assert 'name="material_review_due"' not in mentee_page  # a mentor's notice
    client.force_login(world.admin)
    admin_page = client.get(url).content.decode()
    assert 'name="admin_digest"' in admin_page
    assert 'name="agenda_not_ready"' not in admin_page
    assert 'name="digest"' in admin_page  # everyone's digest


def test_a_kind_outside_the_persons_roles_is_not_saved(client, world):
    client.force_login(world.mentee)
    data = dict.fromkeys([k.name for k in registry.kinds()], "off")
    assert client.post(reverse("notifications:preferences"), data).status_code == 302
    saved = set(
        NotificationPreference.objects.filter(user=world.mentee).values_list("kind", flat=True)
    )
    assert "admin_digest" not in saved and "agenda_not_ready" in saved
