from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from seeding.bulk_consultations import bulk_seed_consultations
from seeding.bulk_licensing import DEFAULT_BATCH, bulk_seed_run
from seeding.bulk_overlap import ConsultationsLoaderFailed, bulk_seed_overlapped


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
        parser.add_argument(
            "--serial",
            action="store_true",
            help="Load the consultations after the applications, in this process, instead of in a second process "
            "that follows the applications as they are committed (seeding/bulk_overlap.py). Inside a transaction "
            "(a test's) the load is always serial: a second process could not see the uncommitted rows.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        seed, batch, open_notifications = options["seed"], options["batch"], options["open_notifications"]
        if options["serial"] or transaction.get_connection().in_atomic_block:
            result = bulk_seed_run(
                applications=options["applications"], seed=seed, batch=batch, progress=self.stdout.write
            )
            consultations = bulk_seed_consultations(
                seed=seed, open_notifications=open_notifications, progress=self.stdout.write
            )
            seconds = result.total_seconds + consultations.pop("seconds", 0.0)
        else:
            try:
                result, consultations = bulk_seed_overlapped(
                    applications=options["applications"], seed=seed, batch=batch,
                    open_notifications=open_notifications, progress=self.stdout.write,
                )  # fmt: skip
            except ConsultationsLoaderFailed as failure:
                raise CommandError(str(failure)) from failure
            seconds = consultations.pop("seconds", 0.0)
        self.stdout.write(f"{result.new} new, {result.skipped} already there ({result.total_seconds:.1f} s)")
        rows = dict(result.rows)
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
