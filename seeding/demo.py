"""Demo data for `make run`: one user per role, exporter companies and, from later apps, cases.

Idempotent: running it twice leaves the same data. `seed_demo` calls each part by name.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from core.roles import Role
from parties.models import HOME_STATE, Bloc, Membership, MembershipBasis, Organisation, OrganisationStatus, User
from parties.services import organisation_approve, organisation_register, user_create

from . import demo_assessment, demo_consultations, demo_general_licences, demo_licensing, demo_reports

DEMO_PASSWORD = "register-demo-2026"  # noqa: S105 - printed on purpose, demo only
DEMO_NL_ACCESSION = date(2026, 7, 1)
DEMO_NL_ACCESSION_NOTE = (
    "HYPOTHETICAL accession date for the demo only: the Netherlands has declared it will accede, "
    "subject to parliamentary approval (Kamerstuk 22 054 nr. 401)."
)

STAFF = [
    ("admin@demo.exportregister.nl", "Ada", "Admin", Role.ADMINISTRATOR),
    ("officer@demo.exportregister.nl", "Olivia", "Officer", Role.OFFICER),
    ("officer2@demo.exportregister.nl", "Omar", "Officer", Role.OFFICER),
    ("senior@demo.exportregister.nl", "Sanne", "Senior", Role.SENIOR_OFFICER),
    ("adviser@demo.exportregister.nl", "Pieter", "Policy", Role.POLICY_ADVISER),
    ("analyst@demo.exportregister.nl", "Rosa", "Reporting", Role.REPORTING),
]

COMPANIES = [
    # name, KvK, address, contact, e-mail, approved
    (
        "Noordzee Defence Systems B.V.",
        "12345678",
        "Havenweg 12\n1781 AB Den Helder",
        "Anna de Vries",
        "anna@noordzee-defence.example",
        True,
    ),
    (
        "Veluwe Optronics B.V.",
        "23456789",
        "Industrieweg 4\n7311 BC Apeldoorn",
        "Bram Jansen",
        "bram@veluwe-optronics.example",
        True,
    ),
    (
        "Delta Marine Components B.V.",
        "34567890",
        "Kade 88\n3311 CD Dordrecht",
        "Chris Bakker",
        "chris@delta-marine.example",
        False,
    ),
]


def _seed_people(stdout: Any) -> None:
    for email, first, last, role in STAFF:
        if not User.objects.filter(email=email).exists():
            # The register's own seeded accounts: the system grants their roles, through RoleGrant, audited.
            user_create(
                actor=None,
                email=email,
                first_name=first,
                last_name=last,
                roles=[role],
                password=DEMO_PASSWORD,
                system=True,
                reason="Demo account seeded by `make run`.",
            )
    officer = User.objects.get(email=STAFF[1][0])
    for name, kvk, address, contact, email, approved in COMPANIES:
        org = Organisation.objects.filter(kvk_number=kvk).first()
        if org is None:
            first, last = contact.split(" ", 1)
            org = organisation_register(
                name=name,
                kvk_number=kvk,
                address=address,
                country_id=HOME_STATE,
                contact_name=contact,
                contact_email=email,
                contact_phone="+31 20 123 4567",
                admin_first_name=first,
                admin_last_name=last,
                admin_password=DEMO_PASSWORD,
            )
        if approved and org.status == OrganisationStatus.PENDING:
            organisation_approve(actor=officer, organisation_id=org.pk, reason="KvK extract checked (demo)")
    with transaction.atomic():
        Membership.objects.get_or_create(
            country_id=HOME_STATE,
            bloc=Bloc.TREATY,
            since=DEMO_NL_ACCESSION,
            defaults={
                "basis": MembershipBasis.HYPOTHETICAL,
                "confidence": "hypothetical (demo only)",
                "note": DEMO_NL_ACCESSION_NOTE,
            },
        )


def seed_demo(*, stdout: Any) -> None:
    """People first, then cases, their assessment, the treaty work and the reports, in that order."""
    _seed_people(stdout)
    demo_licensing.seed_demo(stdout=stdout)
    demo_assessment.seed_assessment_demo(stdout=stdout)
    demo_consultations.seed_demo(stdout=stdout)
    demo_general_licences.seed_demo(stdout=stdout)
    demo_reports.seed_demo(stdout=stdout)


def demo_logins() -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = [(str(role.label), email) for email, _first, _last, role in STAFF]
    rows += [
        (f"Exporter, {name}" + ("" if ok else " (registration pending)"), email)
        for name, _kvk, _addr, _contact, email, ok in COMPANIES
    ]
    return [(str(label), email) for label, email in rows]
