from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from audit.guards import install_audit_event_guard, install_history_guards, unguarded_tables


class Command(BaseCommand):
    help = (
        "(Re)install the PostgreSQL triggers that refuse UPDATE and DELETE on audit events and on every "
        "history table that exists. Idempotent; run after every migrate. --check only reports."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument("--check", action="store_true", help="Report unguarded tables; exit 1 if any.")

    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            self.stdout.write("Not PostgreSQL: database guards are not available (see SECURITY.md).")
            return
        if options["check"]:
            missing = unguarded_tables(connection)
            if missing:
                raise CommandError(f"Tables without their append-only guard: {', '.join(missing)}")
            self.stdout.write("Every audit and history table is guarded.")
            return
        audit_guarded = install_audit_event_guard(connection)
        tables = install_history_guards(connection)
        self.stdout.write(
            f"Append-only guards installed on {len(tables)} history tables"
            + (" and on audit events." if audit_guarded else ".")
        )
