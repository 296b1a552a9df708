"""Re-encrypt every secret kept at rest with the first key of its setting (mentoring/secrets.py)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from mentoring import secrets


class Command(BaseCommand):
    help = "Re-encrypt the secrets kept at rest (CalDAV passwords, calendar addresses, webhook "
    "secrets) with the first key of CALENDAR_KEYS / WEBHOOK_KEYS."

    def handle(self, *args, **options):
        for model, fields, box in secrets.ENCRYPTED:
            count = 0
            with transaction.atomic():
                for row in model.objects.select_for_update().only("pk", *fields):
                    for field in fields:
                        setattr(row, field, box.rotate(getattr(row, field)))
                    row.save(update_fields=list(fields))
                    count += 1
            self.stdout.write(
                f"{model._meta.label}: {count} row(s) re-encrypted with the first key of "
                f"{box.setting}."
            )
