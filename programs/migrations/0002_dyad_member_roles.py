"""Database triggers: a dyad's mentor and mentee must hold those roles in the dyad's program.

Django has no foreign key to (user, program, role), so the rule lives in a trigger on each backend
we run on. The service layer checks the same rule first to give a readable message.
"""

from django.db import migrations

POSTGRES = [
    """
    CREATE OR REPLACE FUNCTION programs_dyad_member_roles() RETURNS trigger AS $$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM programs_membership m WHERE m.program_id = NEW.program_id
                       AND m.user_id = NEW.mentor_id AND m.role = 'mentor') THEN
            RAISE EXCEPTION 'dyad_mentor_is_member: the mentor is not a mentor in this program'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF NOT EXISTS (SELECT 1 FROM programs_membership m WHERE m.program_id = NEW.program_id
                       AND m.user_id = NEW.mentee_id AND m.role = 'mentee') THEN
            RAISE EXCEPTION 'dyad_mentee_is_member: the mentee is not a mentee in this program'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER programs_dyad_member_roles
    BEFORE INSERT OR UPDATE OF program_id, mentor_id, mentee_id ON programs_dyad
    FOR EACH ROW EXECUTE FUNCTION programs_dyad_member_roles();
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS programs_dyad_member_roles ON programs_dyad;",
    "DROP FUNCTION IF EXISTS programs_dyad_member_roles();",
]

_SQLITE_BODY = """
BEGIN
    SELECT RAISE(ABORT, 'dyad_mentor_is_member: the mentor is not a mentor in this program')
    WHERE NOT EXISTS (SELECT 1 FROM programs_membership m WHERE m.program_id = NEW.program_id
                      AND m.user_id = NEW.mentor_id AND m.role = 'mentor');
    SELECT RAISE(ABORT, 'dyad_mentee_is_member: the mentee is not a mentee in this program')
    WHERE NOT EXISTS (SELECT 1 FROM programs_membership m WHERE m.program_id = NEW.program_id
                      AND m.user_id = NEW.mentee_id AND m.role = 'mentee');
END;
"""
SQLITE = [
    "CREATE TRIGGER programs_dyad_member_roles_insert BEFORE INSERT ON programs_dyad" + _SQLITE_BODY,
    "CREATE TRIGGER programs_dyad_member_roles_update BEFORE UPDATE OF program_id, mentor_id, mentee_id"
    " ON programs_dyad" + _SQLITE_BODY,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS programs_dyad_member_roles_insert;",
    "DROP TRIGGER IF EXISTS programs_dyad_member_roles_update;",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
