"""Trigram search over applications (reference, exporter, parties, goods). PostgreSQL only; on SQLite (the
zero-setup demo) search falls back to a plain LIKE scan."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS application_search_trgm ON licensing_application "
            "USING gin (search_document gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS application_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("licensing", "0003_application_applicationparty_casenote_decision_and_more")]
    operations = [migrations.RunPython(create, drop)]
