"""Database guards: audit events and history rows are evidence, so PostgreSQL refuses to UPDATE or DELETE them.

One row-level trigger per table (BEFORE UPDATE OR DELETE ... FOR EACH ROW) raises `insufficient_privilege`.
TRUNCATE is a table operation and is not refused: Django's test flush needs it. In production the application's
database role does not own the tables and holds no TRUNCATE privilege (SECURITY.md). A database superuser can
still disable triggers; SECURITY.md says so, and the audit hash chain makes such an edit of events detectable.

`install_history_guards(connection)` is idempotent and guards every simple-history table that exists, so run it
after each migrate (`manage.py install_db_guards`): tables that later migrations create are guarded too.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps

HISTORY_GUARD_FUNCTION = "register_history_append_only"
HISTORY_GUARD_TRIGGER = "history_append_only"
AUDIT_EVENT_TABLE = "audit_auditevent"

# The same guard as migration audit/0003, repeatable, so install_db_guards can restore it after a restore/copy.
AUDIT_EVENT_GUARD_SQL = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
"""

HISTORY_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {HISTORY_GUARD_FUNCTION}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'history rows are append-only (% on % refused)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def history_tables(connection: Any, *, prefixes: tuple[str, ...] | None = None) -> list[str]:
    """Existing simple-history tables: those of every historical model in the app registry, or, for a
    migration (which must not rely on today's models), every table whose name starts with one of `prefixes`."""
    existing = set(connection.introspection.table_names())
    if prefixes is not None:
        return sorted(t for t in existing if t.startswith(prefixes))
    # simple-history's models (and its many-to-many history models) carry `instance_type`, the tracked model,
    # and a `history_id` (their own key, or the link to the history row).
    wanted = {m._meta.db_table for m in apps.get_models() if hasattr(m, "instance_type") and hasattr(m, "history_id")}
    return sorted(wanted & existing)


def install_history_guards(connection: Any, *, prefixes: tuple[str, ...] | None = None) -> list[str]:
    """(Re)install the append-only trigger on every history table; returns the tables guarded."""
    if connection.vendor != "postgresql":
        return []
    tables = history_tables(connection, prefixes=prefixes)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:  # no params: the '%' in RAISE must stay literal
        cursor.execute(HISTORY_FUNCTION_SQL)
        for table in tables:
            cursor.execute(f"DROP TRIGGER IF EXISTS {HISTORY_GUARD_TRIGGER} ON {quote(table)}")
            cursor.execute(
                f"CREATE TRIGGER {HISTORY_GUARD_TRIGGER} BEFORE UPDATE OR DELETE ON {quote(table)} "
                f"FOR EACH ROW EXECUTE FUNCTION {HISTORY_GUARD_FUNCTION}()"
            )
    return tables


def uninstall_history_guards(connection: Any, *, prefixes: tuple[str, ...] | None = None) -> None:
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in history_tables(connection, prefixes=prefixes):
            cursor.execute(f"DROP TRIGGER IF EXISTS {HISTORY_GUARD_TRIGGER} ON {quote(table)}")


def install_audit_event_guard(connection: Any) -> bool:
    if connection.vendor != "postgresql" or AUDIT_EVENT_TABLE not in connection.introspection.table_names():
        return False
    with connection.cursor() as cursor:
        cursor.execute(AUDIT_EVENT_GUARD_SQL)
    return True


def unguarded_tables(connection: Any) -> list[str]:
    """History tables (and the audit event table) that lack their trigger: what `install_db_guards --check` reports."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND t.tgname IN (%s, %s)",
            [HISTORY_GUARD_TRIGGER, "audit_event_append_only"],
        )
        guarded = {relname for relname, _name in cursor.fetchall()}
    expected = history_tables(connection)
    if AUDIT_EVENT_TABLE in connection.introspection.table_names():
        expected.append(AUDIT_EVENT_TABLE)
    return sorted(set(expected) - guarded)


def guard_after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """post_migrate receiver (AuditConfig.ready: `post_migrate.connect(guard_after_migrate, sender=self)`):
    every migrate, including the test database's, ends with all history tables guarded."""
    from django.db import connections

    connection = connections[using]
    install_audit_event_guard(connection)
    install_history_guards(connection)
