"""Re-encrypt every calendar secret with the first of CALENDAR_KEYS (calendars/crypto.py)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from calendars import crypto
from calendars.models import Connection


class Command(BaseCommand):
    help = "Re-encrypt calendar passwords and secret addresses with the first key of CALENDAR_KEYS."

    def handle(self, *args, **options):
        count = 0
        with transaction.atomic():
            for connection in Connection.objects.select_for_update().only(
                "pk", "secret_address", "password_encrypted"
            ):
                connection.secret_address = crypto.rotate(connection.secret_address)
                connection.password_encrypted = crypto.rotate(connection.password_encrypted)
                connection.save(update_fields=["secret_address", "password_encrypted"])
                count += 1
        self.stdout.write(f"{count} calendar connection(s) re-encrypted with the first key.")
