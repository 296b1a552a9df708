"""Drop what the retired whole-page cache (mentoring/pagecache.py, issue 21) installed after each
migrate: the statement trigger on every model's table, its function and the write counter. Nothing
else reads them; every write paid for the trigger."""

from django.db import migrations

DROP = """
DROP FUNCTION IF EXISTS mentoring_wrote() CASCADE;
DROP SEQUENCE IF EXISTS mentoring_writes;
"""


def drop_watch(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # CASCADE drops the trigger on every table along with the function it runs.
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0004_notification_delivery_indexes")]

    operations = [migrations.RunPython(drop_watch, migrations.RunPython.noop)]
