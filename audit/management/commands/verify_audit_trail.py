from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit.services import verify_chain


class Command(BaseCommand):
    help = "Recompute the audit hash chain, report the first broken link and print the head hash."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        result = verify_chain()
        elapsed = time.perf_counter() - started
        rate = result.checked / elapsed if elapsed else 0.0
        if not result.ok:
            raise CommandError(
                f"Audit trail BROKEN at event #{result.first_broken_sequence}: {result.problem} "
                f"({result.checked} events verified before it)"
            )
        self.stdout.write(
            f"Audit trail OK: {result.checked} events verified in {elapsed:.2f}s ({rate:,.0f}/s).\n"
            f"Head hash (keep a copy outside the database): {result.head_hash}"
        )
