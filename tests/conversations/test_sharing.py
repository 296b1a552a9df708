""" "Ask the program admin about this message": either of the two shares one message, with a note,
with their program's admins. The admins see that message (who shared it, when) and nothing else of
the conversation; it goes on their attention list and they hear of it; the partner is not told.
Outsiders, the partner and another program's admin get 404."""

import pytest
from django.urls import reverse

from conversations.models import SharedMessage
from feedback.models import AttentionItem
from mentoring.models import Notification
from tests.conversations.builders import share, write
from tests.test_crawl import _crawl

CANARY = "CANARY-unshared-7f3a"
NOTE = "NOTE-to-admin-91c2: this felt like pressure"


def _share_url(message) -> str:
    return reverse("conversations:share", args=[message.pk])


def test_mentee_shares_a_message_with_a_note(client, world, django_capture_on_commit_callbacks):
    message = write(world.dyad, world.mentor, "You must put my name first on it.")
    client.force_login(world.mentee)
    page = client.get(_share_url(message)).content.decode()
    assert "You must put my name first on it." in page and "is not told" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_share_url(message), {"note": NOTE})
    assert response.status_code == 302
    shared = SharedMessage.objects.get()
    assert (shared.message, shared.shared_by, shared.note) == (message, world.mentee, NOTE)
    item = AttentionItem.objects.get()
    assert (item.dyad, item.reason, item.shared_message) == (
        world.dyad,
        AttentionItem.Reason.SHARED_MESSAGE,
        shared,
    )
    [notice] = Notification.objects.filter(kind="message_shared")
    assert notice.recipient == world.admin
    assert notice.url.endswith(reverse("conversations:shared", args=[shared.pk]))


def test_sharing_the_same_message_twice_is_one_share_with_a_clear_message(client, world):
    message = write(world.dyad, world.mentor, "Hm.")
    client.force_login(world.mentee)
    assert client.post(_share_url(message), {"note": "first"}).status_code == 302
    again = client.post(_share_url(message), {"note": "second"})
    assert again.status_code == 200
    assert "You have already shared this message" in again.content.decode()
    assert SharedMessage.objects.count() == 1 and AttentionItem.objects.count() == 1
    assert Notification.objects.filter(kind="message_shared").count() == 1


def test_the_database_holds_one_share_per_person_and_message(world):
    from django.db import IntegrityError, transaction

    message = write(world.dyad, world.mentor, "Hm.")
    share(message, world.mentee)
    with pytest.raises(IntegrityError), transaction.atomic():
        SharedMessage.objects.create(message=message, shared_by=world.mentee, note="")


@pytest.mark.parametrize(
    "who", ["admin", "other_mentor", "other_mentee", "outsider", "outsider_admin"]
)
def test_outsiders_cannot_share_a_message(client, world, who):
    message = write(world.dyad, world.mentor, "private")
    client.force_login(getattr(world, who))
    assert client.get(_share_url(message)).status_code == 404
    assert client.post(_share_url(message), {"note": "x"}).status_code == 404
    assert not SharedMessage.objects.exists()


@pytest.mark.parametrize(
    "who", ["mentor", "mentee", "other_mentor", "other_mentee", "outsider", "outsider_admin"]
)
def test_only_the_programs_admin_opens_the_shared_message(client, world, who):
    shared = share(write(world.dyad, world.mentor, "private"), world.mentee, NOTE)
    client.force_login(getattr(world, who))
    assert client.get(reverse("conversations:shared", args=[shared.pk])).status_code == 404


def test_the_partner_is_not_told_and_sees_no_trace(client, world):
    message = write(world.dyad, world.mentor, "Put my name first.")
    client.force_login(world.mentor)
    before = _crawl(client)
    share(message, world.mentee, NOTE)
    assert not Notification.objects.filter(recipient=world.mentor).exclude(kind="new_message")
    traces = []

    def check(url, response):
        text = (
            ""
            if getattr(response, "streaming", False)
            else response.content.decode("utf-8", "replace")
        )
        if NOTE in text or "shared with" in text.lower() or "attention" in text.lower():
            traces.append(url)

    after = _crawl(client, on_response=check)
    assert traces == []
    assert set(after) == set(before)  # no new page, link or badge for the partner


def test_the_admin_sees_the_shared_message_and_never_the_rest(client, world):
    write(world.dyad, world.mentor, f"before {CANARY}")
    shared = share(write(world.dyad, world.mentor, "SHARED-words"), world.mentee, NOTE)
    write(world.dyad, world.mentee, f"after {CANARY}")
    client.force_login(world.admin)
    attention = client.get(reverse("feedback:attention", args=[world.program.slug])).content
    shared_url = reverse("conversations:shared", args=[shared.pk])
    assert shared_url.encode() in attention and b"Shared by" in attention
    page = client.get(shared_url).content.decode()
    assert "SHARED-words" in page and NOTE.split(":")[0] in page and str(world.mentee) in page
    leaked, shown = [], []

    def check(url, response):
        if getattr(response, "streaming", False):
            return
        text = response.content.decode(errors="replace")
        if CANARY in text:
            leaked.append(url)
        if "SHARED-words" in text:
            shown.append(url)

    _crawl(client, on_response=check)
    assert leaked == []
    assert shown == [shared_url]


def test_the_admin_resolves_the_shared_message_like_any_item(client, world):
    shared = share(write(world.dyad, world.mentor, "Hm."), world.mentee, NOTE)
    item = shared.attention_item
    client.force_login(world.admin)
    page = client.get(reverse("feedback:attention_item", args=[item.pk])).content.decode()
    assert reverse("conversations:shared", args=[shared.pk]) in page
    response = client.post(
        reverse("feedback:attention_item", args=[item.pk]), {"note": "Talked with both."}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.resolved_at is not None


def test_the_shared_view_and_the_share_form_stay_within_budget(
    client, world, django_assert_max_num_queries
):
    shared = share(write(world.dyad, world.mentor, "Hm."), world.mentee, NOTE)
    client.force_login(world.admin)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("conversations:shared", args=[shared.pk])).status_code == 200
    client.force_login(world.mentee)
    with django_assert_max_num_queries(12):
        assert client.get(_share_url(shared.message)).status_code == 200
