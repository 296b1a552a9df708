import io

from django.core.management import call_command

from conversations.models import Conversation
from mentoring.models import User


def test_seed_demo_gives_the_demo_pair_a_short_conversation_once(client, db):
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    conversation = Conversation.objects.get(
        dyad__mentor__email="mentor@example.com", dyad__mentee__email="mentee@example.com"
    )
    assert 4 <= conversation.messages.count() <= 10
    client.force_login(User.objects.get(email="mentee@example.com"))
    home = client.get("/").content.decode()
    assert "1 unread" in home  # the mentor's latest message waits for the mentee
