import django.utils.timezone
from django.db import migrations, models

# The database keeps `updated_at` (the API's `updated_since`): a trigger bumps it on every change of
# a row, whatever wrote it (a save with update_fields, a queryset's update()). Existing rows start at
# their creation (or end) moment, so a first sync orders them by age. The column is added in place
# (ALTER TABLE ... ADD COLUMN): on SQLite Django's AddField would rebuild the table and lose the
# triggers other migrations put on it (programs 0002 and 0007).
TABLES = {'meetings_meeting': 'COALESCE(marked_at, cancelled_at, scheduled_at, created_at)'}

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION mentoring_touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF ROW(NEW.*) IS DISTINCT FROM ROW(OLD.*) THEN
        NEW.updated_at := clock_timestamp();
    END IF;
    RETURN NEW;
END;
$$;
"""


def add_kept_column(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table, since in TABLES.items():
        if vendor == "postgresql":
            schema_editor.execute(
                f"ALTER TABLE {table} ADD COLUMN updated_at timestamp with time zone "
                "NOT NULL DEFAULT now()"
            )
            schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN updated_at DROP DEFAULT")
        else:
            schema_editor.execute(
                f"ALTER TABLE {table} ADD COLUMN updated_at datetime NOT NULL "
                "DEFAULT '2000-01-01 00:00:00'"
            )
        schema_editor.execute(f"UPDATE {table} SET updated_at = {since}")
        if vendor == "postgresql":
            schema_editor.execute(POSTGRES_FUNCTION)
            schema_editor.execute(
                f"CREATE TRIGGER {table}_touch BEFORE UPDATE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION mentoring_touch_updated_at()"
            )
        elif vendor == "sqlite":
            schema_editor.execute(
                f"CREATE TRIGGER {table}_touch AFTER UPDATE ON {table} FOR EACH ROW "
                "WHEN NEW.updated_at IS OLD.updated_at BEGIN "
                f"UPDATE {table} SET updated_at = strftime('%Y-%m-%d %H:%M:%f', 'now') "
                "WHERE id = NEW.id; END"
            )


def drop_kept_column(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_touch ON {table}")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_touch")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN updated_at")


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(add_kept_column, drop_kept_column)],
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
