"""A mail server that refuses the invitation e-mail never turns a saved invitation into an error
page: the admin who sent it sees, once, that the e-mail failed and the link to pass on."""

import smtplib

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from programs.invitations import hash_token
from programs.models import Invitation
from tests.programs.test_bulk_invite import bulk_url, payload_of

# The invitation is saved in its own transaction and the e-mail goes out as it commits: only a
# real commit lets the page know whether the mail server took it.
pytestmark = pytest.mark.django_db(transaction=True)


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def mail_down(settings):
    settings.EMAIL_BACKEND = "tests.programs.test_invitation_unsent.RefusingBackend"


def test_admin_whose_invitation_email_fails_sees_the_link_once(client, world, mail_down):
    client.force_login(world.admin)
    response = client.post(
        reverse("programs:invite", args=[world.program.slug]),
        {"email": "newcomer@a.example", "name": "Nina Newcomer", "role": "mentee"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "the e-mail could not be sent" in page
    invitation = Invitation.objects.get(email="newcomer@a.example")  # kept
    link = next(word for word in page.split() if "/invitations/" in word)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert invitation.token_hash == hash_token(token)  # the link works...
    assert token not in str(Invitation.objects.values_list())  # ...and is stored nowhere
    assert token not in str(response.cookies)  # not kept for a later page either
    client.logout()
    assert "Nina Newcomer" in client.get(link).content.decode()  # the newcomer's form opens
    client.force_login(world.admin)
    later = client.get(reverse("programs:members", args=[world.program.slug])).content.decode()
    assert token not in later and "could not be sent" not in later  # shown once


def test_admin_bulk_invite_with_mail_down_keeps_every_invitation(client, world, mail_down):
    client.force_login(world.admin)
    preview = client.post(
        bulk_url(world), {"text": "ana@a.example, Ana, mentee\nbo@a.example, Bo, mentor\n"}
    )
    response = client.post(bulk_url(world), {"payload": payload_of(preview)})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("the e-mail could not be sent") == 2
    assert set(Invitation.objects.values_list("email", flat=True)) == {
        "ana@a.example",
        "bo@a.example",
    }
