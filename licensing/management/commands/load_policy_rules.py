from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from licensing.services.check_lists import POLICY_RULES_FILE, policy_rules_load


class Command(BaseCommand):
    help = "Load the national policy rules (data/reference/national_policy_rules.csv); idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, nargs="?", default=POLICY_RULES_FILE)

    def handle(self, *args: Any, **options: Any) -> None:
        result = policy_rules_load(path=options["path"])
        self.stdout.write(
            f"policy rules   created {result.created:3}  updated {result.updated:3}  unchanged {result.unchanged:3}"
        )
