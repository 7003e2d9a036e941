from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.exceptions import DomainValidationError
from licensing.services.denials import CSV_COLUMNS, denials_import_csv


class Command(BaseCommand):
    help = (
        "Import denial notifications received from other EU Member States from a CSV file (columns: "
        + ", ".join(CSV_COLUMNS)
        + "). All rows or none; rows already in the register are skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            with open(path, encoding="utf-8-sig", newline="") as handle:
                result = denials_import_csv(actor=None, lines=handle.readlines())
        except DomainValidationError as exc:
            raise CommandError("\n".join(exc.field_errors.get("file", [exc.message]))) from exc
        self.stdout.write(f"denials imported {len(result.created)}  already present {len(result.skipped)}")
