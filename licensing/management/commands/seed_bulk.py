from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from licensing.bulk_seed import DEFAULT_BATCH, bulk_seed_run


class Command(BaseCommand):
    help = "Fill the database with a realistic register of N applications BULK-<seed>-<n> (idempotent per seed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--applications", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch", type=int, default=DEFAULT_BATCH)

    def handle(self, *args: Any, **options: Any) -> None:
        result = bulk_seed_run(
            applications=options["applications"],
            seed=options["seed"],
            batch=options["batch"],
            progress=self.stdout.write,
        )
        self.stdout.write(f"{result.new} new, {result.skipped} already there ({result.total_seconds:.1f} s)")
        total = 0
        for name in sorted(result.rows):
            rows = result.rows[name]
            total += rows
            seconds = result.seconds.get(name)
            rate = f"{rows / seconds:10.0f} rows/s" if seconds else " (with its table)"
            self.stdout.write(f"  {name:40} {rows:8} {rate}")
        if result.total_seconds:
            self.stdout.write(f"  {'total':40} {total:8} {total / result.total_seconds:10.0f} rows/s")
