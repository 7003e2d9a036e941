"""Facts about the seeded demo that make it read like a working register, as one JSON object (tests/test_demo_smoke.py
asserts them): open cases of different ages, some overdue, deadlines spread over the coming weeks, open advice
requests, recently answered questions, a refused case with its letter, the monthly report's default period with
rows, and an exporter's first applications that are not the historical report data."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
django.setup()

from datetime import timedelta  # noqa: E402

from django.utils import timezone  # noqa: E402

from licensing.models import OPEN_STATUSES, Application, ApplicationStatus  # noqa: E402
from licensing.models.assessment import AdviceRequest, AdviceStatus  # noqa: E402
from parties.models import User  # noqa: E402
from reports.definitions import DEFINITIONS  # noqa: E402


def main() -> None:
    today = timezone.localdate()
    open_cases = Application.objects.filter(status__in=sorted(OPEN_STATUSES), received_on__isnull=False)
    refused = Application.objects.filter(status=ApplicationStatus.REFUSED).exclude(reference__startswith="HIST-")
    monthly = DEFINITIONS["monthly"]
    form = monthly.bind(None, today=today)
    if not form.is_valid():
        raise SystemExit(f"the monthly report's default parameters are invalid: {form.errors}")
    report = monthly.compute(form, as_of=None)
    exporter = User.objects.get(email="anna@noordzee-defence.example")
    first_page = Application.objects.filter(organisation=exporter.organisation).order_by("-updated_at")[:10]
    received = [a.received_on for a in open_cases if a.received_on is not None]
    deadlines = [a.legal_deadline for a in open_cases if a.legal_deadline is not None]
    facts = {
        "open_ages": sorted({(today - day).days for day in received}),
        "open_past_legal_deadline": open_cases.filter(legal_deadline__lt=today).count(),
        "open_past_target": open_cases.filter(target_date__lt=today).count(),
        "deadlines_ahead": sorted({(day - today).days for day in deadlines if day > today}),
        "open_advice_requests": AdviceRequest.objects.filter(status=AdviceStatus.OPEN).count(),
        "answered_within_two_weeks": open_cases.filter(
            information_requests__answered_on__gte=today - timedelta(days=14)
        ).count(),
        "refused_with_letter": [a.reference for a in refused if a.refusal_letters.exclude(document="").exists()],
        "monthly_default": form.cleaned_data["month"],
        "monthly_rows": len(report.table("decisions").rows),
        "exporter_first_page": [[a.reference, a.title] for a in first_page],
    }
    print(json.dumps(facts))


if __name__ == "__main__":
    main()
