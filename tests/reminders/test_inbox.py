from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring.models import Notification
from tests.reminders.conftest import notice_for


def test_mentee_sees_unread_count_in_header(client, world):
    notice_for(world.mentee, program=world.program, title="One")
    notice_for(world.mentee, program=world.program, title="Two")
    client.force_login(world.mentee)
    page = client.get(reverse("home")).content.decode()
    assert "Notifications" in page and '>2<span class="visually-hidden"> unread' in page


def test_person_without_notices_sees_no_count(client, world):
    client.force_login(world.mentor)
    assert "unread" not in client.get(reverse("home")).content.decode()


def test_mentee_lists_own_notices_only(client, world):
    notice_for(world.mentee, program=world.program, title="Mine")
    notice_for(world.other_mentee, program=world.program, title="Someone else's")
    client.force_login(world.mentee)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Mine" in page and "Someone else" not in page


def test_empty_list_says_what_comes_here(client, world):
    client.force_login(world.mentee)
    assert "No notifications yet" in client.get(reverse("notifications:list")).content.decode()


def test_mentee_marks_notice_read(client, world):
    notice = notice_for(world.mentee, program=world.program)
    client.force_login(world.mentee)
    response = client.post(reverse("notifications:read", args=[notice.pk]))
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert "unread" not in client.get(reverse("home")).content.decode()


def test_mentee_opens_notice_and_lands_on_its_object(client, world):
    notice = notice_for(world.mentee, program=world.program)
    Notification.objects.filter(pk=notice.pk).update(url=world.dyad.get_absolute_url())
    client.force_login(world.mentee)
    response = client.post(reverse("notifications:read", args=[notice.pk]), {"open": "1"})
    assert response["Location"] == world.dyad.get_absolute_url()


def test_mentee_marks_all_read(client, world):
    notice_for(world.mentee, program=world.program, title="One")
    notice_for(world.mentee, program=world.program, title="Two")
    client.force_login(world.mentee)
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(recipient=world.mentee, read_at=None).exists()


def test_admin_cannot_mark_a_mentees_notice_read(client, world):
    notice = notice_for(world.mentee, program=world.program)
    client.force_login(world.admin)
    # The inbox is the recipient's own; the admin sees program notices only in the operators' view.
    assert client.post(reverse("notifications:read", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_list_queries_do_not_grow_with_notices(client, world, django_assert_max_num_queries):
    notice_for(world.mentee, program=world.program, title="First")
    client.force_login(world.mentee)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("notifications:list"))
    for n in range(30):
        notice_for(world.mentee, program=world.program, title=f"Notice {n}")
    with django_assert_max_num_queries(len(small)):
        client.get(reverse("notifications:list"))
