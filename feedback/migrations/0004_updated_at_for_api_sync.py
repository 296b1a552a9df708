import django.utils.timezone
from django.db import migrations, models

from mentoring.kept_columns import kept_updated_at

# updated_at kept by the database (mentoring/kept_columns.py), each table's rows starting at:
TABLES = {'feedback_feedbackcycle': 'created_at'}


class Migration(migrations.Migration):
    dependencies = [("feedback", "0003_attention_for_shared_message")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[kept_updated_at(TABLES)],
            state_operations=[
        migrations.AddField(
            model_name='feedbackcycle',
            name="updated_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
            ],
        ),
    ]
