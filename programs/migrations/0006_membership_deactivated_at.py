"""A membership may be deactivated (programs/services/members.py).

On SQLite, adding the check constraint rebuilds programs_membership (a new table, the rows copied,
the old one dropped and the new one renamed), which fails while 0002's dyad triggers name the
table: they are dropped for the rebuild and created again after it."""

from importlib import import_module

from django.conf import settings
from django.db import migrations, models

_ROLES = import_module("programs.migrations.0002_dyad_member_roles")


def _sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0005_program_time_zone'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(_sqlite(_ROLES.SQLITE_REVERSE), _sqlite(_ROLES.SQLITE)),
        migrations.AlterModelOptions(
            name='membership',
            options={'default_manager_name': 'objects', 'ordering': ['program_id', 'role', 'user_id']},
        ),
        migrations.AddField(
            model_name='membership',
            name='deactivated_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='deactivated'),
        ),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.CheckConstraint(condition=models.Q(('deactivated_at__isnull', True), ('deactivated_at__gte', models.F('joined_at')), _connector='OR'), name='deactivated_after_joining'),
        ),
        migrations.RunPython(_sqlite(_ROLES.SQLITE), _sqlite(_ROLES.SQLITE_REVERSE)),
    ]
