"""Reading a conversation: newest at the bottom, earlier ones a page back, new ones by polling
(204 while nothing changed, cheap), unread counts in the navigation and on the home card, and
opening the conversation marks it read."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conversations.models import Conversation, Message
from conversations.selectors import PAGE_SIZE
from tests.conversations.builders import write


def _url(dyad):
    return reverse("conversations:detail", args=[dyad.pk])


def test_mentee_reads_newest_at_the_bottom(client, world):
    write(world.dyad, world.mentor, "alpha-msg")
    write(world.dyad, world.mentee, "beta-msg")
    write(world.dyad, world.mentor, "gamma-msg")
    client.force_login(world.mentee)
    page = client.get(_url(world.dyad)).content.decode()
    assert page.index("alpha-msg") < page.index("beta-msg") < page.index("gamma-msg")
    assert "Earlier messages" not in page
    assert re.search(r'<form[^>]*id="compose"', page), "the box to answer in"


def test_earlier_messages_are_a_page_back_without_javascript(client, world):
    conversation = Conversation.objects.create(dyad=world.dyad)
    Message.objects.bulk_create(
        [
            Message(conversation=conversation, author=world.mentor, body=f"note {n:03}")
            for n in range(PAGE_SIZE + 5)
        ]
    )
    client.force_login(world.mentee)
    page = client.get(_url(world.dyad)).content.decode()
    assert "note 034" in page and "note 004" not in page
    earlier = re.search(r'href="([^"]+\?before=\d+)"', page).group(1).replace("&amp;", "&")
    older = client.get(earlier).content.decode()
    assert "note 000" in older and "note 004" in older and "note 005" not in older
    assert "Back to the newest messages" in older
    assert "data-hx-get" not in older  # no polling on an older page


def test_opening_marks_read_and_the_badges_count_until_then(client, world):
    write(world.dyad, world.mentor, "one")
    write(world.dyad, world.mentor, "two")
    client.force_login(world.mentee)
    home = client.get("/").content.decode()
    assert re.search(r">Messages <span class=\"badge[^\"]*\">2<", home), "navigation badge"
    assert "2 unread" in home, "the dyad's home card"
    client.get(_url(world.dyad))
    home = client.get("/").content.decode()
    assert "unread" not in re.sub(r"Notifications.*?</a>", "", home, flags=re.S)
    conversation = Conversation.objects.get(dyad=world.dyad)
    assert conversation.mentee_read_id == conversation.messages.order_by("id").last().pk


def test_ones_own_messages_are_never_unread(client, world):
    write(world.dyad, world.mentee, "mine")
    client.force_login(world.mentee)
    assert "1 unread" not in client.get("/").content.decode()


def test_polling_answers_204_while_nothing_changed_and_the_thread_when_something_did(client, world):
    write(world.dyad, world.mentee, "hello")
    client.force_login(world.mentor)
    page = client.get(_url(world.dyad)).content.decode()
    poll = re.search(r'data-hx-get="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert client.get(poll).status_code == 204
    write(world.dyad, world.mentee, "are you there?")
    answer = client.get(poll)
    assert answer.status_code == 200
    assert "are you there?" in answer.content.decode()
    # The answer carries the new version: asking with it is quiet again.
    again = re.search(r'data-hx-get="([^"]+)"', answer.content.decode()).group(1)
    assert client.get(again.replace("&amp;", "&")).status_code == 204
    # Brought by polling, the message is read.
    conversation = Conversation.objects.get(dyad=world.dyad)
    assert conversation.mentor_read_id == conversation.messages.order_by("id").last().pk


def test_polling_with_nothing_new_costs_at_most_two_queries(
    client, world, django_assert_max_num_queries
):
    write(world.dyad, world.mentee, "hello")
    client.force_login(world.mentor)
    conversation = Conversation.objects.get(dyad=world.dyad)
    url = reverse("conversations:poll", args=[world.dyad.pk]) + f"?version={conversation.version}"
    client.get(url)  # the session is set up
    # 1: the signed-in person; 2: the conversation's version, through the access rule.
    with django_assert_max_num_queries(2):
        assert client.get(url).status_code == 204


def test_page_costs_at_most_12_queries_with_5000_messages(
    client, world, django_assert_max_num_queries
):
    conversation = Conversation.objects.create(dyad=world.dyad)
    Message.objects.bulk_create(
        [
            Message(
                conversation=conversation,
                author=world.mentor if n % 2 else world.mentee,
                body=f"message {n} https://example.org/{n}",
            )
            for n in range(5000)
        ],
        batch_size=1000,
    )
    client.force_login(world.mentee)
    client.get(_url(world.dyad))
    write(world.dyad, world.mentor, "one more, unread")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url(world.dyad))
    assert response.status_code == 200
    assert len(queries) <= 12, "\n".join(q["sql"][:200] for q in queries.captured_queries)
    with django_assert_max_num_queries(12):
        assert client.get(_url(world.dyad)).status_code == 200
    assert response.content.decode().count('id="message-') == PAGE_SIZE


def test_junk_in_before_is_harmless(client, world):
    write(world.dyad, world.mentee, "hello")
    client.force_login(world.mentor)
    for junk in ("\u00b2", "-1", "0", "x", "99999999999999999999999", "1e9"):
        response = client.get(_url(world.dyad) + f"?before={junk}")
        assert response.status_code == 200, junk
