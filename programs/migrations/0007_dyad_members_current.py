"""Database triggers: an open dyad's two people are current members (not deactivated), and a
membership with open dyads in its role cannot be deactivated (its dyads end first).

The service layer (programs/services/members.py, programs/services/checks.py) checks the same rules
first to give a readable message; these hold whoever writes (a race, the /admin/ site, a script).
"""

from django.db import migrations

OPEN = "('proposed', 'active', 'paused')"

POSTGRES = [
    """
    CREATE OR REPLACE FUNCTION programs_dyad_members_current() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM programs_membership m WHERE m.program_id = NEW.program_id
                   AND m.deactivated_at IS NOT NULL
                   AND ((m.user_id = NEW.mentor_id AND m.role = 'mentor')
                        OR (m.user_id = NEW.mentee_id AND m.role = 'mentee')))
        THEN
            RAISE EXCEPTION 'dyad_members_current: a deactivated member cannot be in an open dyad'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    f"""
    CREATE TRIGGER programs_dyad_members_current
    BEFORE INSERT OR UPDATE OF status, program_id, mentor_id, mentee_id ON programs_dyad
    FOR EACH ROW WHEN (NEW.status IN {OPEN}) EXECUTE FUNCTION programs_dyad_members_current();
    """,
    f"""
    CREATE OR REPLACE FUNCTION programs_membership_no_open_dyads() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM programs_dyad d WHERE d.program_id = NEW.program_id
                   AND d.status IN {OPEN}
                   AND ((NEW.role = 'mentor' AND d.mentor_id = NEW.user_id)
                        OR (NEW.role = 'mentee' AND d.mentee_id = NEW.user_id)))
        THEN
            RAISE EXCEPTION 'membership_no_open_dyads: end the open dyads before deactivating'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER programs_membership_no_open_dyads
    BEFORE UPDATE OF deactivated_at ON programs_membership
    FOR EACH ROW WHEN (NEW.deactivated_at IS NOT NULL)
    EXECUTE FUNCTION programs_membership_no_open_dyads();
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS programs_membership_no_open_dyads ON programs_membership;",
    "DROP FUNCTION IF EXISTS programs_membership_no_open_dyads();",
    "DROP TRIGGER IF EXISTS programs_dyad_members_current ON programs_dyad;",
    "DROP FUNCTION IF EXISTS programs_dyad_members_current();",
]

_SQLITE_DYAD_BODY = f"""
WHEN NEW.status IN {OPEN}
BEGIN
    SELECT RAISE(ABORT, 'dyad_members_current: a deactivated member cannot be in an open dyad')
    WHERE EXISTS (SELECT 1 FROM programs_membership m WHERE m.program_id = NEW.program_id
                  AND m.deactivated_at IS NOT NULL
                  AND ((m.user_id = NEW.mentor_id AND m.role = 'mentor')
                       OR (m.user_id = NEW.mentee_id AND m.role = 'mentee')));
END;
"""
SQLITE = [
    "CREATE TRIGGER programs_dyad_members_current_insert BEFORE INSERT ON programs_dyad"
    + _SQLITE_DYAD_BODY,
    "CREATE TRIGGER programs_dyad_members_current_update"
    " BEFORE UPDATE OF status, program_id, mentor_id, mentee_id ON programs_dyad"
    + _SQLITE_DYAD_BODY,
    f"""
    CREATE TRIGGER programs_membership_no_open_dyads
    BEFORE UPDATE OF deactivated_at ON programs_membership
    WHEN NEW.deactivated_at IS NOT NULL
    BEGIN
        SELECT RAISE(ABORT, 'membership_no_open_dyads: end the open dyads before deactivating')
        WHERE EXISTS (SELECT 1 FROM programs_dyad d WHERE d.program_id = NEW.program_id
                      AND d.status IN {OPEN}
                      AND ((NEW.role = 'mentor' AND d.mentor_id = NEW.user_id)
                           OR (NEW.role = 'mentee' AND d.mentee_id = NEW.user_id)));
    END;
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS programs_membership_no_open_dyads;",
    "DROP TRIGGER IF EXISTS programs_dyad_members_current_update;",
    "DROP TRIGGER IF EXISTS programs_dyad_members_current_insert;",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("programs", "0006_membership_deactivated_at")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
