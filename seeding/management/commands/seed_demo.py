from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from seeding.demo import DEMO_PASSWORD, demo_logins, seed_demo


class Command(BaseCommand):
    help = "Create demo users for every role, exporter companies and demo cases (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        seed_demo(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Log in at http://127.0.0.1:8000 with:"))
        for label, email in demo_logins():
            self.stdout.write(f"  {label:48} {email}")
        self.stdout.write(f"  Password for every demo account: {DEMO_PASSWORD}")
