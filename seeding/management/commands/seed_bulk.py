from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from seeding.bulk_consultations import bulk_seed_consultations
from seeding.bulk_licensing import DEFAULT_BATCH, bulk_seed_run


class Command(BaseCommand):
    help = (
        "Fill the database with a realistic register of N applications BULK-<seed>-<n>, with their consultations, "
        "denials and treaty notifications (idempotent per seed)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--applications", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch", type=int, default=DEFAULT_BATCH)
        parser.add_argument(
            "--open-notifications",
            type=int,
            default=0,
            help="Also add this many treaty notifications with running objection deadlines (the sweep benchmark "
            "uses 100,000).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = bulk_seed_run(
            applications=options["applications"],
            seed=options["seed"],
            batch=options["batch"],
            progress=self.stdout.write,
        )
        self.stdout.write(f"{result.new} new, {result.skipped} already there ({result.total_seconds:.1f} s)")
        rows = dict(result.rows)
        seconds = result.total_seconds
        consultations = bulk_seed_consultations(
            seed=options["seed"], open_notifications=options["open_notifications"], progress=self.stdout.write
        )
        seconds += consultations.pop("seconds", 0.0)
        for name, count in consultations.items():
            rows[name] = rows.get(name, 0) + int(count)
        total = 0
        for name in sorted(rows):
            total += rows[name]
            rate = result.seconds.get(name)
            per_second = f"{rows[name] / rate:10.0f} rows/s" if rate else ""
            self.stdout.write(f"  {name:45} {rows[name]:9} {per_second}")
        if seconds:
            self.stdout.write(f"  {'total':45} {total:9} {total / seconds:10.0f} rows/s")
