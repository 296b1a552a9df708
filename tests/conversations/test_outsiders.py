"""Nobody outside the pair reaches a conversation: the other dyad, the other program and the
program's own admin get 404 on the conversation, its polling, each message and each attachment."""

import pytest
from django.urls import reverse

from tests.conversations.builders import write, write_with_pdf

OUTSIDERS = ["admin", "other_mentor", "other_mentee", "outsider", "outsider_admin"]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_everywhere(client, world, who):
    message = write(world.dyad, world.mentee, "private")
    attached = write_with_pdf(world.dyad, world.mentor)
    client.force_login(getattr(world, who))
    pk = world.dyad.pk
    gets = [
        reverse("conversations:detail", args=[pk]),
        reverse("conversations:poll", args=[pk]) + "?version=0",
        reverse("conversations:edit", args=[message.pk]),
        reverse("conversations:attachment", args=[attached.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        (reverse("conversations:detail", args=[pk]), {"body": "intruding"}),
        (reverse("conversations:edit", args=[message.pk]), {"body": "changed"}),
        (reverse("conversations:delete", args=[message.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    message.refresh_from_db()
    assert message.body == "private"
    assert world.dyad.conversation.messages.count() == 2


def test_the_admins_list_of_conversations_is_empty(client, world):
    write(world.dyad, world.mentee, "private")
    client.force_login(world.admin)
    page = client.get(reverse("conversations:index")).content.decode()
    assert "private" not in page and str(world.mentee) not in page
