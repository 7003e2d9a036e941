from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from licensing.services.treaty_parameters import treaty_parameters_load


class Command(BaseCommand):
    help = (
        "Load the treaty parameters (de minimis threshold, objection period, reminder points) and the exclusion "
        "list from data/reference/treaty_parameters.csv (idempotent)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = treaty_parameters_load()
        self.stdout.write(
            f"treaty parameters created {counts['created']:3}  updated {counts['updated']:3}  "
            f"unchanged {counts['unchanged']:3}"
        )
