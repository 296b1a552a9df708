"""Secrets kept at rest (mentoring/secrets.py): one command re-encrypts every app's with the first
key of its setting, after which the old key can go."""

import io

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.test import override_settings

from api import crypto as webhook_crypto
from api.models import WebhookEndpoint
from calendars.models import Connection

pytestmark = pytest.mark.django_db


def test_rotate_secret_keys_reencrypts_calendar_and_webhook_secrets(world, settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.CALENDAR_KEYS = settings.WEBHOOK_KEYS = [old]
    connection = Connection(user=world.mentee, kind=Connection.Kind.CALDAV)
    connection.password = "app-password"
    connection.save()
    endpoint = WebhookEndpoint.objects.create(
        program=world.program,
        url="https://hooks.example.org/mentoring",
        events=["dyad.ended"],
        secret_encrypted=webhook_crypto.encrypt("whsec_c2VjcmV0"),
        created_by=world.admin,
    )
    with override_settings(CALENDAR_KEYS=[new, old], WEBHOOK_KEYS=[new, old]):
        out = io.StringIO()
        call_command("rotate_secret_keys", stdout=out)
    assert "calendars.Connection: 1 row(s)" in out.getvalue()
    assert "api.WebhookEndpoint: 1 row(s)" in out.getvalue()
    with override_settings(CALENDAR_KEYS=[new], WEBHOOK_KEYS=[new]):  # the old key removed
        assert Connection.objects.get(pk=connection.pk).password == "app-password"
        stored = WebhookEndpoint.objects.get(pk=endpoint.pk).secret_encrypted
        assert webhook_crypto.decrypt(stored) == "whsec_c2VjcmV0"
    with override_settings(WEBHOOK_KEYS=[old]), pytest.raises(InvalidToken):
        webhook_crypto.decrypt(stored)


def test_without_keys_each_purpose_derives_its_own_from_the_secret_key(settings):
    from calendars import crypto as calendar_crypto

    settings.CALENDAR_KEYS = settings.WEBHOOK_KEYS = []
    token = calendar_crypto.encrypt("x")
    assert calendar_crypto.decrypt(token) == "x"
    with pytest.raises(InvalidToken):
        webhook_crypto.decrypt(token)
