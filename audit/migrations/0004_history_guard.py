"""Database-level guard for history rows: PostgreSQL refuses UPDATE and DELETE on the simple-history tables
that exist when this migration runs (see audit/guards.py). Tables that later migrations create are guarded by
`manage.py install_db_guards`, which the deployment runs after every migrate. TRUNCATE stays possible (tests
flush with it); SECURITY.md explains what the production database role may do and what a superuser still can.
"""

from django.db import migrations

HISTORY_TABLE_PREFIXES = ("licensing_historical", "parties_historical", "consultations_historical", "core_historical")


def guard(apps, schema_editor):
    from audit.guards import install_history_guards

    install_history_guards(schema_editor.connection, prefixes=HISTORY_TABLE_PREFIXES)


def unguard(apps, schema_editor):
    from audit.guards import uninstall_history_guards

    uninstall_history_guards(schema_editor.connection, prefixes=HISTORY_TABLE_PREFIXES)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_append_only_guard"),
        ("core", "0002_initial"),
        ("parties", "0001_initial"),
        ("licensing", "0006_licence_document"),
        ("consultations", "0001_initial"),
    ]
    operations = [migrations.RunPython(guard, unguard)]
