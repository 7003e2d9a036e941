"""Database-level guard: audit events can be inserted, never updated or deleted (PostgreSQL trigger).

TRUNCATE is not guarded by the trigger (Django's test flush needs it); in production the application's
database role is not the table owner and has no TRUNCATE privilege (see SECURITY.md). A database superuser
can still disable the trigger; SECURITY.md says so, and the hash chain makes any such
edit detectable by `verify_audit_trail`.
"""

from django.db import migrations

GUARD_SQL = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
"""

UNGUARD_SQL = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_append_only();
"""


def guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:  # no params: the '%' in RAISE must stay literal
            cursor.execute(GUARD_SQL)


def unguard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(UNGUARD_SQL)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_initial")]
    operations = [migrations.RunPython(guard, unguard)]
