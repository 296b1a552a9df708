"""`updated_at` kept by the database, for the migrations that add it (programs 0008, meetings 0002,
feedback 0004): a trigger bumps it on every change of a row, whatever wrote it (a save with
update_fields, a queryset's update()), which is what the API's `updated_since` relies on. Existing
rows start at the moment given per table (their creation or end), so a first sync orders them by
age. The column is added in place (ALTER TABLE ... ADD COLUMN): on SQLite Django's AddField would
rebuild the table and lose the triggers other migrations put on it.

Migrations import this module: what it writes must not change once released.
"""

from functools import partial

from django.db import migrations

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


def _add(tables: dict[str, str], apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for table, since in tables.items():
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


def _drop(tables: dict[str, str], apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for table in tables:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_touch ON {table}")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_touch")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN updated_at")


def kept_updated_at(tables: dict[str, str]) -> migrations.RunPython:
    """The RunPython that adds `updated_at` to each table, starting at `tables[table]` (SQL)."""
    return migrations.RunPython(partial(_add, tables), partial(_drop, tables))
