"""A deleted account's name ("Former member", kept in the database in English) reads in the reader's
language wherever its partner and its program's admin meet it: pages, CSV downloads and the
calendar feed, found by following every link from home (tests/test_crawl.py)."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from mentoring.models import User
from mentoring.privacy import delete_account
from tests.builders import PASSWORD
from tests.test_crawl import _crawl

pytestmark = pytest.mark.django_db


def test_a_deleted_account_is_named_in_the_readers_language_everywhere():
    call_command("seed_demo", stdout=io.StringIO())
    User.objects.update(language="fr")  # before: the notices the deletion plans are theirs too
    mentee = User.objects.get(email="mentee@example.com")
    mentee.set_password(PASSWORD)
    mentee.save()
    delete_account(user=mentee, password=PASSWORD)
    english, french = {}, set()

    def read(url, response):
        if getattr(response, "streaming", False):
            body = b"".join(response.streaming_content)
        else:
            body = response.content
        text = body.decode("utf-8", "replace")
        if "Former member" in text:
            english[url] = text[text.index("Former member") - 200 :][:400]
        if "Ancien membre" in text:
            french.add(url)

    for email in ("admin@example.com", "mentor@example.com"):
        client = Client()
        client.force_login(User.objects.get(email=email))
        _crawl(client, on_response=read)
    assert not english, " ".join(sorted(english))
    assert french  # the partner's home, the pair's pages, the members list
