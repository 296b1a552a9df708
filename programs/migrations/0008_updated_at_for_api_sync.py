import django.utils.timezone
from django.db import migrations, models

from mentoring.kept_columns import kept_updated_at

# updated_at kept by the database (mentoring/kept_columns.py), each table's rows starting at:
TABLES = {'programs_program': 'created_at', 'programs_membership': 'COALESCE(deactivated_at, joined_at)', 'programs_dyad': 'COALESCE(ended_at, created_at)'}


class Migration(migrations.Migration):
    dependencies = [("programs", "0007_dyad_members_current")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[kept_updated_at(TABLES)],
            state_operations=[
        migrations.AddField(
            model_name='program',
            name="updated_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.AddField(
            model_name='membership',
            name="updated_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.AddField(
            model_name='dyad',
            name="updated_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
            ],
        ),
    ]
