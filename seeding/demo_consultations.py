"""Demo data for the treaty work, created through the services: a programme, incoming notifications close to
their deadlines (3, 12 and 40 days left, relative to today), one objection in high-level consultation, and two
treaty component transfers, one de minimis (share 14 %) and one above the threshold (share 32 %).

Called by seeding.demo.seed_demo after the demo people, companies and the HYPOTHETICAL Dutch accession exist.
Idempotent: each item is looked up by its name or reference first. All programmes and companies are fictional.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from consultations.deadlines import objection_deadline
from consultations.models.treaty import Programme, ProgrammeKind, TreatyNotification
from consultations.services.high_level import consultation_meeting_record
from consultations.services.notifications import notification_record_incoming, notification_record_outgoing
from consultations.services.objections import objection_approve, objection_propose, objection_send
from consultations.services.programmes import programme_save
from core.exceptions import DomainError
from licensing.models import Application, DocumentKind, LicenceType, PartyRole, PartyType
from licensing.services import applications as apps
from licensing.services import casework
from licensing.services.awb import delay_notice_send
from licensing.services.treaty import treaty_transfer_save
from licensing.services.treaty_parameters import treaty_parameters_load
from parties.models import User

from .demo_licensing import Goods, Party, euc_pdf

OFFICER = "officer@demo.exportregister.nl"
OFFICER2 = "officer2@demo.exportregister.nl"
SENIOR = "senior@demo.exportregister.nl"
NOORDZEE = "anna@noordzee-defence.example"
VELUWE = "bram@veluwe-optronics.example"

PROGRAMME = "Future combat air system demonstrator (fictional, FCAS-like)"

# (their reference, notifying party, destination, subject kind, subject, days left, assignee, with programme)
NOTIFICATIONS = [
    (
        "DEMO-FR-2026-031",
        "FR",
        "IN",
        "home_state_content",
        "Maritime patrol aircraft with a Dutch-built mission console to India",
        3,
        OFFICER,
        False,
    ),
    (
        "DEMO-DE-2026-112",
        "DE",
        "QA",
        "programme_product",
        "Demonstrator flight-control computers for a trials aircraft in Qatar",
        12,
        None,
        True,
    ),
    (
        "DEMO-ES-2026-007",
        "ES",
        "BR",
        "home_state_content",
        "Corvette with Dutch fire-control radar to Brazil",
        40,
        OFFICER2,
        False,
    ),
]
OBJECTION_REFERENCE = "DEMO-FR-2026-044"

# (exporter, title, integrator, state, final system, ML, component EUR, system EUR)
# (exporter, title, integrator, state, system, ML, components, system value, approved): the two sonar transfers go
# into the same final system, so the second one's share adds the first, approved one: 350,000 + 100,000 of
# 2,500,000 = 18.00 % (issue 13: the share is over the final system).
TRANSFERS = [
    (
        NOORDZEE,
        "Sonar transducer modules for a French submarine sonar (demo)",
        "Sonarcom Industries SA",
        "FR",
        "Submarine bow sonar",
        "ML9",
        Decimal("350000.00"),
        Decimal("2500000.00"),
        True,
    ),  # 14.00 %, approved
    (
        VELUWE,
        "Sonar window optics for the same French submarine sonar (demo)",
        "Sonarcom Industries SA",
        "FR",
        "Submarine bow sonar",
        "ML9",
        Decimal("100000.00"),
        Decimal("2500000.00"),
        False,
    ),  # 4.00 % alone, 18.00 % with the approved first transfer
    (
        VELUWE,
        "Infrared seeker optics for a German air-defence system (demo)",
        "Luftwacht Systeme GmbH",
        "DE",
        "Short-range air-defence launcher",
        "ML4",
        Decimal("640000.00"),
        Decimal("2000000.00"),
        False,
    ),  # 32.00 %
]


def _aware_on_for(days_left: int, today: date) -> date:
    """A day of awareness whose two-month deadline falls `days_left` days from today (or the closest to it)."""
    target = today + timedelta(days=days_left)
    guess = target - relativedelta(months=2)
    candidates = [guess + timedelta(days=shift) for shift in range(-3, 4)]
    return min(candidates, key=lambda d: (abs((objection_deadline(d) - target).days), abs((d - guess).days)))


def seed_demo(*, stdout: Any) -> None:
    people = {u.email: u for u in User.objects.filter(email__in=[OFFICER, OFFICER2, SENIOR, NOORDZEE, VELUWE])}
    if len(people) < 5:
        stdout.write("Treaty demo skipped: the demo people are missing (run seeding.demo first).")
        return
    treaty_parameters_load()
    try:
        programme = _programme(people[OFFICER])
        _notifications(people, programme)
        _objection_in_consultation(people)
        for row in TRANSFERS:
            _transfer(people[row[0]], *row[1:-1], approve_by=people[OFFICER] if row[-1] else None)
        _partner_window_and_delay(people[OFFICER])
    except DomainError as exc:
        stdout.write(f"  Treaty demo stopped early: {exc.message}")
        return
    stdout.write(
        "Treaty demo ready: programme, notifications near their deadlines, a consultation, three transfers (two into "
        "one final system), a partner's open window and an Awb 4:14(3) notice."
    )


def _programme(officer: User) -> Programme:
    existing = Programme.objects.filter(name=PROGRAMME).first()
    if existing is not None:
        return existing
    return programme_save(
        actor=officer,
        name=PROGRAMME,
        kind=ProgrammeKind.INTERGOVERNMENTAL,
        participant_ids=["FR", "DE", "ES"],
        description="Fictional demo programme: a new-generation fighter demonstrator developed by three parties.",
    )


def _notifications(people: dict[str, User], programme: Programme) -> None:
    today = timezone.localdate()
    for reference, party, destination, kind, subject, days_left, assignee, with_programme in NOTIFICATIONS:
        if TreatyNotification.objects.filter(their_reference=reference).exists():
            continue
        notification_record_incoming(
            actor=people[OFFICER],
            counterpart_id=party,
            subject_kind=kind,
            subject=subject,
            third_country_id=destination,
            received_on=_aware_on_for(days_left, today),
            programme_id=programme.pk if with_programme else None,
            their_reference=reference,
            assignee=people[assignee] if assignee else None,
        )


def _objection_in_consultation(people: dict[str, User]) -> None:
    if TreatyNotification.objects.filter(their_reference=OBJECTION_REFERENCE).exists():
        return
    today = timezone.localdate()
    officer, senior = people[OFFICER], people[SENIOR]
    notification = notification_record_incoming(
        actor=officer,
        counterpart_id="FR",
        subject_kind="home_state_content",
        subject="Armoured vehicles with Dutch battle-management software to a third country in conflict",
        third_country_id="PK",
        received_on=today - timedelta(days=21),
        their_reference=OBJECTION_REFERENCE,
        assignee=officer,
    )
    objection = objection_propose(
        actor=officer,
        notification_id=notification.pk,
        ground="national_security",
        reasons="The software contains Dutch cryptographic modules whose exposure would compromise national security.",
    )
    objection_approve(actor=senior, objection_id=objection.pk, reason="Agreed: exceptional case.")
    objection_send(actor=officer, objection_id=objection.pk)
    objection.refresh_from_db()
    assert objection.consultation_id is not None  # noqa: S101 - sending opens the consultation
    consultation_meeting_record(
        actor=officer,
        consultation_id=objection.consultation_id,
        held_on=today,
        participants="Export control directors of France and the Netherlands",
        alternatives_proposed="Deliver the vehicles with the software's export variant, without the Dutch modules.",
        notes="France will consult the integrator; next meeting in two weeks.",
    )


def _transfer(
    exporter: User,
    title: str,
    integrator: str,
    state: str,
    system: str,
    ml: str,
    component_eur: Decimal,
    system_eur: Decimal,
    *,
    approve_by: User | None = None,
) -> None:
    if Application.objects.filter(organisation=exporter.organisation, title=title).exists():
        return
    application = apps.application_create(
        actor=exporter,
        licence_type=LicenceType.TREATY_COMPONENT,
        title=title,
        end_use=f"Integration into the {system.lower()} by {integrator}; the final system is exported from there.",
        intended_shipment_date=timezone.localdate() + timedelta(days=60),
    )
    apps.goods_line_save(
        actor=exporter,
        application_id=application.pk,
        description=f"Components for the {system.lower()}",
        ml_category_id=ml,
        quantity=Decimal("1"),
        unit="sets",
        unit_value=component_eur,
        currency="EUR",
        is_component=True,
    )
    for role in (PartyRole.CONSIGNEE, PartyRole.END_USER):
        apps.party_save(
            actor=exporter,
            application_id=application.pk,
            role=role,
            name=integrator,
            address="Industriepark 1 (fictional)",
            country_id=state,
            party_type=PartyType.COMMERCIAL,
        )
    transfer = treaty_transfer_save(
        actor=exporter,
        application_id=application.pk,
        final_system_name=system,
        final_system_identifier=f"{state}-{system[:20]}",
        final_system_ml_category_id=ml,
        integrator_name=integrator,
        integrator_country_id=state,
        # The open cases' systems are also meant for Venezuela (EU arms embargo): their case pages show the
        # end-destination check's warning (licensing.services.checks, issue 16).
        end_destination_ids=["IN", "BR"] if approve_by is not None else ["IN", "BR", "VE"],
        gross_total_value=system_eur + Decimal("300000.00"),
        maintenance_value=Decimal("200000.00"),
        training_value=Decimal("100000.00"),
    )
    if not transfer.de_minimis:  # an ordinary transfer licence: the end-user certificate is needed
        end_user = Party(PartyRole.END_USER, integrator, "Industriepark 1 (fictional)", state, PartyType.COMMERCIAL)
        goods = [Goods(f"Components for the {system.lower()}", ml, "1 sets", f"{component_eur} EUR", component=True)]
        apps.document_upload(
            actor=exporter,
            application_id=application.pk,
            kind=DocumentKind.END_USER_CERTIFICATE,
            upload=SimpleUploadedFile(
                f"End-user certificate {application.reference}.pdf",
                euc_pdf(application=application, end_user=end_user, goods=goods),
                content_type="application/pdf",
            ),
        )
    apps.application_submit(actor=exporter, application_id=application.pk)
    if approve_by is not None:
        today = timezone.localdate()
        casework.application_assign(actor=approve_by, application_id=application.pk, assignee=approve_by)
        casework.decision_propose(
            actor=approve_by,
            application_id=application.pk,
            outcome="approve",
            justification="De minimis transfer: licensed without delay (fictional demo).",
            valid_from=today,
            valid_until=today + timedelta(days=730),
        )


# A Dutch export with French content: France's two-month window to object runs (so the decision waits), and the
# exporter was sent an Awb 4:14(3) notice of delay because the window ends after the legal term.
WINDOW_CASE = "Combat management consoles for Royal Australian Navy"


def _partner_window_and_delay(officer: User) -> None:
    application = Application.objects.filter(title=WINDOW_CASE).first()
    if application is None or application.legal_deadline is None:
        return
    if TreatyNotification.objects.filter(application=application).exists():
        return
    today = timezone.localdate()
    if application.assigned_to_id is None:
        casework.application_assign(actor=officer, application_id=application.pk, assignee=officer)
    received = today - timedelta(days=10)
    notification_record_outgoing(
        actor=officer,
        application_id=application.pk,
        counterpart_ids=["FR"],
        subject_kind="other_party_content",
        subject="Frigate combat management consoles with French combat-system software to Australia",
        third_country_id="AU",
        received_on=received,
    )
    window_ends = objection_deadline(received, 2)
    delay_notice_send(
        actor=officer,
        application_id=application.pk,
        new_expected_on=max(window_ends, application.legal_deadline) + timedelta(days=14),
        reason=f"France may object to this export until {window_ends:%d-%m-%Y} under the treaty's emergency brake; "
        "the licence can only be decided after that (fictional demo).",
    )
