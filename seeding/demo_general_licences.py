"""Demo general licences: an EU general transfer licence to Member States' armed forces (registration approved
by an officer) and a Dutch general licence for demonstration (registration takes effect at once), with one
company registered and its first usage return filed, and one registration awaiting approval. Idempotent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from general_licences.models import GeneralLicence
from general_licences.services import (
    LicenceData,
    LineData,
    general_licence_publish,
    general_licence_register,
    usage_return_file,
)
from parties.models import User


def seed_demo(*, stdout: Any) -> None:
    if GeneralLicence.objects.exists():
        return
    officer = User.objects.get(email="officer@demo.exportregister.nl")
    exporter = User.objects.filter(organisation__kvk_number="12345678").order_by("pk").first()
    today = timezone.localdate()
    armed_forces = general_licence_publish(
        actor=officer,
        data=LicenceData(
            reference="NL-GTL-2026-01",
            title="Transfers to the armed forces of EU Member States",
            kind="eu_transfer",
            transfer_ground="a",
            ml_category_codes=["ML10", "ML11", "ML15"],
            destination_codes=["BE", "DE", "FR", "ES", "IT", "SE", "FI", "PL"],
            conditions="Tell the recipient of the end-use and export limits. Keep records of every transfer for "
            "five years (Directive 2009/43/EC, art. 8). Demo text.",
            valid_from=date(today.year, 1, 1),
            valid_until=None,
            requires_approval=True,
            return_period_months=6,
            return_due_days=30,
        ),
        reason="Published for the demo",
    )
    demonstration = general_licence_publish(
        actor=officer,
        data=LicenceData(
            reference="NL-AGV-2026-02",
            title="Goods for demonstration, evaluation or exhibition",
            kind="national",
            transfer_ground="c",
            ml_category_codes=["ML5", "ML11", "ML15"],
            destination_codes=["DE", "FR", "GB", "NO", "US"],
            conditions="The goods return to the Netherlands within six months. Demo text.",
            valid_from=date(today.year, 1, 1),
            valid_until=None,
            requires_approval=False,
            return_period_months=3,
            return_due_days=30,
        ),
        reason="Published for the demo",
    )
    if exporter is None:
        return
    registration = general_licence_register(actor=exporter, licence_id=demonstration.pk, intended_use="Trade fairs")
    usage_return_file(
        actor=exporter,
        registration_id=registration.pk,
        period_start=today,
        nil_return=False,
        lines=[
            LineData(
                ml_category_code="ML15", description="Thermal imaging sight (demonstrator)", quantity=Decimal("2"),
                unit="pcs", value_eur=Decimal("48000.00"), recipient="Eurosatory exhibition, Paris",
                country_code="FR",
            )
        ],
    )  # fmt: skip
    general_licence_register(actor=exporter, licence_id=armed_forces.pk, intended_use="Sights for the Bundeswehr")
    stdout.write("Demo general licences: 2 published, 1 registration with a usage return, 1 awaiting approval.\n")
