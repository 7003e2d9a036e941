"""Planner statistics for the case list (issue 8): which deadlines go with which status. PostgreSQL only.

Open cases are a tenth of the register and their legal deadlines lie ahead, while the decided nine tenths have
deadlines in the past. Per-column statistics cannot know that, so for a page deep in the open cases (a cursor
`legal_deadline >= <a coming day>`), filtered by assignment or overdue, PostgreSQL expected a few dozen rows,
sorted all the matching ones instead of reading the queue's index (0009) in order, and took 50-300 ms at 375,000
applications instead of 1-2 ms. A multivariate MCV list on (status, legal_deadline) tells it; a larger one than
the default, because the open statuses times the coming days make some hundreds of pairs.
"""

from django.db import migrations

STATISTICS = "licensing_application_status_deadline"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"CREATE STATISTICS IF NOT EXISTS {STATISTICS} (mcv) ON status, legal_deadline FROM licensing_application"
        )
        cursor.execute(f"ALTER STATISTICS {STATISTICS} SET STATISTICS 1000")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP STATISTICS IF EXISTS {STATISTICS}")


class Migration(migrations.Migration):
    dependencies = [("licensing", "0009_queue_indexes")]
    operations = [migrations.RunPython(create, drop)]
