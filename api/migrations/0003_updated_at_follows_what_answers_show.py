from django.db import migrations

# `updated_since` is only as good as `updated_at`: a row's answer shows things kept in other
# tables, so a change there bumps the row too (database triggers, whatever wrote the change):
# - a member and a dyad show the person's name and e-mail (a member also the department, career
#   stage and whether the profile is completed): a change to those touches the person's memberships
#   and dyads (not a sign-in: last_login is none of them);
# - a meeting shows how many materials it has: a material sent or removed touches the meeting;
# - a feedback cycle shows how many were asked and how many answered: a request asked, answered,
#   withdrawn or removed touches its cycle.
# Each touched row's own trigger (programs 0008, meetings 0002, feedback 0004) then sets the time.

NOW_SQLITE = "strftime('%Y-%m-%d %H:%M:%f', 'now')"

PERSON_CHANGED = (
    "OLD.name IS DISTINCT FROM NEW.name OR OLD.email IS DISTINCT FROM NEW.email"
    " OR OLD.department IS DISTINCT FROM NEW.department"
    " OR OLD.career_stage IS DISTINCT FROM NEW.career_stage"
)

POSTGRES = [
    # The person: memberships and dyads.
    """
    CREATE OR REPLACE FUNCTION api_touch_person_rows() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE programs_membership SET updated_at = clock_timestamp() WHERE user_id = NEW.id;
        UPDATE programs_dyad SET updated_at = clock_timestamp()
         WHERE mentor_id = NEW.id OR mentee_id = NEW.id;
        RETURN NULL;
    END;
    $$;
    """,
    f"""
    CREATE TRIGGER api_person_changed AFTER UPDATE ON mentoring_user FOR EACH ROW
    WHEN ({PERSON_CHANGED}) EXECUTE FUNCTION api_touch_person_rows();
    """,
    # The profile's completion: memberships.
    """
    CREATE OR REPLACE FUNCTION api_touch_profile_rows() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE programs_membership SET updated_at = clock_timestamp() WHERE user_id = NEW.user_id;
        RETURN NULL;
    END;
    $$;
    """,
    """
    CREATE TRIGGER api_profile_completed AFTER INSERT OR UPDATE OF completed_at
    ON programs_profile FOR EACH ROW EXECUTE FUNCTION api_touch_profile_rows();
    """,
    # Materials: their meeting.
    """
    CREATE OR REPLACE FUNCTION api_touch_material_meeting() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE meetings_meeting SET updated_at = clock_timestamp()
         WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.meeting_id ELSE NEW.meeting_id END;
        RETURN NULL;
    END;
    $$;
    """,
    """
    CREATE TRIGGER api_material_counted AFTER INSERT OR DELETE ON meetings_material
    FOR EACH ROW EXECUTE FUNCTION api_touch_material_meeting();
    """,
    # Feedback requests: their cycle.
    """
    CREATE OR REPLACE FUNCTION api_touch_request_cycle() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE feedback_feedbackcycle SET updated_at = clock_timestamp()
         WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.cycle_id ELSE NEW.cycle_id END;
        RETURN NULL;
    END;
    $$;
    """,
    """
    CREATE TRIGGER api_request_counted AFTER INSERT OR DELETE OR UPDATE OF submitted_at,
    withdrawn_at ON feedback_feedbackrequest
    FOR EACH ROW EXECUTE FUNCTION api_touch_request_cycle();
    """,
]

SQLITE = [
    f"""
    CREATE TRIGGER api_person_changed AFTER UPDATE ON mentoring_user FOR EACH ROW
    WHEN {PERSON_CHANGED.replace("IS DISTINCT FROM", "IS NOT")} BEGIN
        UPDATE programs_membership SET updated_at = {NOW_SQLITE} WHERE user_id = NEW.id;
        UPDATE programs_dyad SET updated_at = {NOW_SQLITE}
         WHERE mentor_id = NEW.id OR mentee_id = NEW.id;
    END
    """,
    f"""
    CREATE TRIGGER api_profile_created AFTER INSERT ON programs_profile FOR EACH ROW BEGIN
        UPDATE programs_membership SET updated_at = {NOW_SQLITE} WHERE user_id = NEW.user_id;
    END
    """,
    f"""
    CREATE TRIGGER api_profile_completed AFTER UPDATE OF completed_at ON programs_profile
    FOR EACH ROW BEGIN
        UPDATE programs_membership SET updated_at = {NOW_SQLITE} WHERE user_id = NEW.user_id;
    END
    """,
    f"""
    CREATE TRIGGER api_material_added AFTER INSERT ON meetings_material FOR EACH ROW BEGIN
        UPDATE meetings_meeting SET updated_at = {NOW_SQLITE} WHERE id = NEW.meeting_id;
    END
    """,
    f"""
    CREATE TRIGGER api_material_removed AFTER DELETE ON meetings_material FOR EACH ROW BEGIN
        UPDATE meetings_meeting SET updated_at = {NOW_SQLITE} WHERE id = OLD.meeting_id;
    END
    """,
    f"""
    CREATE TRIGGER api_request_added AFTER INSERT ON feedback_feedbackrequest FOR EACH ROW BEGIN
        UPDATE feedback_feedbackcycle SET updated_at = {NOW_SQLITE} WHERE id = NEW.cycle_id;
    END
    """,
    f"""
    CREATE TRIGGER api_request_changed AFTER UPDATE OF submitted_at, withdrawn_at
    ON feedback_feedbackrequest FOR EACH ROW BEGIN
        UPDATE feedback_feedbackcycle SET updated_at = {NOW_SQLITE} WHERE id = NEW.cycle_id;
    END
    """,
    f"""
    CREATE TRIGGER api_request_removed AFTER DELETE ON feedback_feedbackrequest FOR EACH ROW BEGIN
        UPDATE feedback_feedbackcycle SET updated_at = {NOW_SQLITE} WHERE id = OLD.cycle_id;
    END
    """,
]

TRIGGERS = {
    "mentoring_user": ["api_person_changed"],
    "programs_profile": ["api_profile_created", "api_profile_completed"],
    "meetings_material": ["api_material_added", "api_material_removed", "api_material_counted"],
    "feedback_feedbackrequest": [
        "api_request_added",
        "api_request_changed",
        "api_request_removed",
        "api_request_counted",
    ],
}


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": POSTGRES, "sqlite": SQLITE}.get(vendor, []):
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table, names in TRIGGERS.items():
        for name in names:
            if vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            elif vendor == "sqlite":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0002_webhooks"),
        ("programs", "0008_updated_at_for_api_sync"),
        ("meetings", "0002_updated_at_for_api_sync"),
        ("feedback", "0004_updated_at_for_api_sync"),
        ("mentoring", "0008_data_exports_in_file_storage"),
    ]

    operations = [migrations.RunPython(create, drop)]
