from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit.head_seal import chain_head_check


class Command(BaseCommand):
    help = "Compare the database with the last signed chain head published outside it (audit.head_seal)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seal-file", type=Path, default=None, help="Default: settings.AUDIT_HEAD_FILE")

    def handle(self, *args: Any, **options: Any) -> None:
        problems = chain_head_check(options["seal_file"])
        if problems:
            raise CommandError("Audit chain head does NOT match: " + " ".join(problems))
        self.stdout.write("Audit chain head matches the last published seal.")
