import django.utils.timezone
from django.db import migrations, models

from mentoring.kept_columns import kept_updated_at

# updated_at kept by the database (mentoring/kept_columns.py), each table's rows starting at:
TABLES = {'meetings_meeting': 'COALESCE(marked_at, cancelled_at, scheduled_at, created_at)'}


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[kept_updated_at(TABLES)],
            state_operations=[
        migrations.AddField(
            model_name='meeting',
            name="updated_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
            ],
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(fields=["updated_at", "id"], name="meeting_updated"),
        ),
    ]
