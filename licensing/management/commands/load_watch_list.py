from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from licensing.services.check_lists import WATCH_LIST_FILE, watch_list_load


class Command(BaseCommand):
    help = "Load a screening watch list (default: the fictitious demo list data/reference/watch_list_demo.csv)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, nargs="?", default=WATCH_LIST_FILE)

    def handle(self, *args: Any, **options: Any) -> None:
        result = watch_list_load(path=options["path"])
        self.stdout.write(
            f"watch list     created {result.created:3}  updated {result.updated:3}  unchanged {result.unchanged:3}"
        )
