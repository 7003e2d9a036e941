from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from core.roles_setup import roles_sync
from seeding.reference_data import reference_data_load


class Command(BaseCommand):
    help = (
        "Load countries, memberships, embargoes, Military List, criteria, UN Register categories, exchange rates, "
        "processing targets and treaty parameters (idempotent)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from licensing.services.treaty_parameters import treaty_parameters_load

        roles_sync()
        counts = reference_data_load()
        counts["treaty_parameters"] = treaty_parameters_load()
        for table, tally in counts.items():
            self.stdout.write(
                f"{table:14} created {tally['created']:3}  updated {tally['updated']:3}  "
                f"unchanged {tally['unchanged']:3}"
            )
