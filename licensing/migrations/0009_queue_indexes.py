"""Indexes for the officer queue at register scale (issue 8): one per tab and sort, in the queue's own order
(column, submitted_at, id) so a keyset page is a short index range scan; partial on open or decided cases.

On PostgreSQL they are built CONCURRENTLY, so a live register keeps taking writes while a million-row table is
indexed; SQLite (the demo) has no such thing and builds them plainly.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models

OPEN = models.Q(("status__in", ["consultation_pending", "information_requested", "submitted", "under_review"]))
DECIDED = models.Q(("status__in", ["approved", "refused", "withdrawn"]))


class AddIndexLive(AddIndexConcurrently):
    """CREATE INDEX CONCURRENTLY on PostgreSQL, a plain CREATE INDEX elsewhere."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            migrations.AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            migrations.AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)


def _index(name, fields, condition=None):
    return AddIndexLive(
        model_name="application",
        index=models.Index(fields=fields, name=name, condition=condition),
    )


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [
        ("licensing", "0008_treaty"),
    ]

    operations = [
        _index("app_open_deadline", ["legal_deadline", "submitted_at", "id"], OPEN),
        _index("app_open_assignee", ["assigned_to", "legal_deadline", "submitted_at", "id"], OPEN),
        _index("app_open_target", ["target_date", "submitted_at", "id"], OPEN),
        _index("app_open_submitted", ["submitted_at", "id"], OPEN),
        _index("app_open_reference", ["reference"], OPEN),
        _index("app_decided_at", ["decided_at", "submitted_at", "id"], DECIDED),
        _index("app_decided_deadline", ["legal_deadline", "submitted_at", "id"], DECIDED),
        _index("app_value", ["total_value_eur", "submitted_at", "id"]),
    ]
