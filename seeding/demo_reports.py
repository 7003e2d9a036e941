"""Demo data for the reports: FICTIONAL historical register contents from January 2023 up to last month, so the
reports have something to count (the monthly report opens on last month, which has decisions), and one
prepared download.

The cases are written straight to the tables, each with its history row dated when it happened, because the
services stamp "now" and these cases lie in the past; that also lets "as of" reports show the register as
it stood. They are marked: references start with HIST-, companies are the demo companies. Their last change is
dated when they were decided, so an exporter's list shows the live demo cases first. Idempotent: when a HIST-
application exists, nothing is added.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from consultations.models.treaty import (
    NotificationDirection,
    NotificationStatus,
    NotificationSubject,
    Objection,
    ObjectionStatus,
    Programme,
    ProgrammeKind,
    TreatyNotification,
)
from licensing.assessment_rules import ALL_CRITERIA, AssessmentOutcome
from licensing.models import (
    Application,
    ApplicationParty,
    ApplicationStatus,
    Decision,
    DecisionOutcome,
    DecisionStatus,
    GoodsLine,
    Licence,
    LicenceStatus,
    LicenceType,
    LicensedGoods,
    LicensedParty,
    PartyRole,
    PartyType,
    Shipment,
)
from licensing.models.assessment import CriterionAssessment
from licensing.models.consultation import Consultation, ConsultationKind, ConsultationOutcome, ConsultationStatus
from licensing.models.parliament import ParliamentInformation, ParliamentInformationStatus
from licensing.models.treaty import FinalSystem, TreatyRefusalGround, TreatyTransfer
from licensing.parliament_rules import accelerated_information_finding
from parties.models import Bloc, Country, Membership, Organisation, User
from reports.models import ReportRun
from reports.services import report_run_request

PREFIX = "HIST-"
OFFICER = "officer@demo.exportregister.nl"
SENIOR = "senior@demo.exportregister.nl"
ANALYST = "analyst@demo.exportregister.nl"
COMPANIES = ("12345678", "23456789")  # Noordzee Defence Systems, Veluwe Optronics (seeding.demo)

# Destinations in rotation; most NATO allies, some not. Sweden appears before and after it joined NATO
# (2024-03-07), so the NATO share shows the switch.
DESTINATIONS = ["DE", "US", "GB", "NO", "SE", "IN", "FR", "KR", "CA", "PL", "SA", "SG", "AU", "IT", "TR", "CH", "BR"]
GOODS = [
    ("ML5", "Fire-control radar module"),
    ("ML10", "Helicopter gearbox components"),
    ("ML11", "Encrypted tactical radio sets"),
    ("ML15", "Thermal imaging camera cores"),
    ("ML3", "Practice ammunition 30 mm"),
    ("ML13", "Armour plate sets"),
    ("ML6", "Vehicle suspension kits"),
    ("ML4", "Missile launcher components"),
]
VALUES = ["185000", "1250000", "64000", "420000", "2300000", "95000", "730000", "38000"]
END_USERS = [PartyType.ARMED_FORCES, PartyType.GOVERNMENT, PartyType.COMMERCIAL, PartyType.ARMED_FORCES]
# (month index, destination, goods index, criteria, sub-criteria)
REFUSALS = [
    (3, "SA", 7, [2, 7], "2c"),
    (9, "AE", 4, [7], ""),
    (15, "PK", 0, [4, 7], ""),
    (22, "EG", 5, [2], "2a"),
    (30, "CN", 1, [1], ""),
]
TREATY_MONTHS = {14: ("FR", True), 17: ("DE", False), 21: ("ES", True), 26: ("FR", True), 31: ("DE", True)}
REVOKED = {7: 400, 19: 250}  # month index of the licence -> days after issue it was revoked
# Issue 16: the UN Register category and the country of production of some goods (fictional).
UN_CATEGORIES = {"ML4": "VII", "ML10": "V", "ML13": "II"}
MADE_IN = {"ML11": "US", "ML15": "IL"}  # everything else is made in the Netherlands
# Where the final systems of the treaty transfers go, in rotation with the integrator's own state.
END_DESTINATIONS = ["IN", "AE", "NO", "QA", "BR"]
# A HYPOTHETICAL Dutch accession to the treaty, so the before/after report has something to compare. The
# Netherlands is not a party (no approval bill found, ../shared/domain/README.md "Who is who").
DEMO_ACCESSION = date(2025, 1, 1)


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _saved(obj: Any, when: datetime) -> Any:
    obj._history_date = when  # django-simple-history dates the history row with it
    obj.save()
    return obj


def _assessed(app: Application, *, officer: User, when: datetime, met: dict[int, str] | None = None) -> None:
    """The eight criteria as the officer assessed them before deciding: `met` criteria with grounds to refuse
    (and the sub-criteria), the others without concerns. A decided case shows this, read-only."""
    met = met or {}
    for number in ALL_CRITERIA:
        refused = number in met
        _saved(
            CriterionAssessment(
                application=app, criterion_id=number,
                outcome=AssessmentOutcome.GROUNDS_TO_REFUSE if refused else AssessmentOutcome.NO_CONCERNS,
                justification="Grounds to refuse under this criterion (fictional)." if refused else "",
                sub_criteria=met.get(number, ""), assessor=officer, assessed_at=when - timedelta(hours=3),
            ),
            when - timedelta(hours=3),
        )  # fmt: skip


def months_of_history(today: date) -> int:
    """Months from January 2023 up to and including last month."""
    return (today.year - 2023) * 12 + today.month - 1


def _month(index: int, day: int) -> date:
    year, month = 2023 + index // 12, index % 12 + 1
    return date(year, month, day)


def seed_demo(*, stdout: Any) -> None:
    if Application.objects.filter(reference__startswith=PREFIX).exists():
        stdout.write("Historical report data exists already.")
        return
    people = {u.email: u for u in User.objects.filter(email__in=[OFFICER, SENIOR, ANALYST])}
    organisations = list(Organisation.objects.filter(kvk_number__in=COMPANIES).order_by("kvk_number"))
    if len(people) < 3 or len(organisations) < 2:
        stdout.write("Historical report data skipped: the demo people or companies are missing.")
        return
    officer, senior = people[OFFICER], people[SENIOR]
    with transaction.atomic():
        created = _seed_cases(officer=officer, senior=senior, organisations=organisations)
        _seed_treaty_exchanges(officer=officer, senior=senior)
        _seed_hypothetical_accession()
        flagged = _seed_parliament_information(analyst=people[ANALYST])
    last = _month(months_of_history(timezone.localdate()) - 1, 1)
    stdout.write(f"Historical report data created (fictional, January 2023 to {last:%B %Y}): {created} cases.")
    stdout.write(f"Accelerated information to parliament: {flagged} decisions flagged, the latest letter still due.")
    if not ReportRun.objects.exists():
        run = report_run_request(actor=people[ANALYST], slug="annual", parameters={"year": "2025"})
        stdout.write(f"Demo report run #{run.pk} queued (annual report 2025).")


def _seed_cases(*, officer: User, senior: User, organisations: list[Organisation]) -> int:
    created = 0
    months = months_of_history(timezone.localdate())
    for index in range(months):
        for slot in (0, 1):
            n = index * 2 + slot
            destination = DESTINATIONS[n % len(DESTINATIONS)]
            treaty = TREATY_MONTHS.get(index) if slot == 1 else None
            licence = _licence(
                n=n,
                organisation=organisations[n % 2],
                officer=officer,
                senior=senior,
                destination=treaty[0] if treaty else (None if n % 23 == 5 else destination),
                issued=_month(index, 3 + slot * 12 + n % 9),
                goods=[GOODS[n % len(GOODS)], GOODS[(n * 3 + 1) % len(GOODS)]][: 1 + n % 2],
                value=Decimal(VALUES[n % len(VALUES)]),
                licence_type=_licence_type(n, treaty),
            )
            if treaty:
                _treaty_details(licence, de_minimis=treaty[1])
            if slot == 0 and index in REVOKED:
                _revoke(licence, days=REVOKED[index])
            created += 1
    # And one refused last month, so the monthly report's default period has a refusal too.
    for index, destination, goods, criteria, sub in [*REFUSALS, (months - 1, "VE", 2, [2, 7], "2a")]:
        _refusal(
            n=100 + index,
            organisation=organisations[index % 2],
            officer=officer,
            destination=destination,
            decided=_month(index, 6 if index == months - 1 else 20),
            goods=GOODS[goods],
            criteria=criteria,
            sub_criteria=sub,
        )
        created += 1
    return created


def _licence_type(n: int, treaty: tuple[str, bool] | None) -> str:
    if treaty:
        return LicenceType.TREATY_COMPONENT
    if n % 23 == 5:
        return LicenceType.GLOBAL_EXPORT
    return LicenceType.INDIVIDUAL_EXPORT


def _application(
    *, n: int, organisation: Organisation, officer: User, destination: str | None, received: date, goods: list[Any],
    value: Decimal, licence_type: str, status: str, decided: datetime,
) -> Application:  # fmt: skip
    received_at = _at(received, 9)
    app = _saved(
        Application(
            reference=f"{PREFIX}{received.year}-{n:05d}",
            organisation=organisation,
            created_by=officer,
            licence_type=licence_type,
            status=ApplicationStatus.UNDER_REVIEW,
            title=_title(goods, destination),
            destination_id=destination,
            end_use="Use by the end user's own forces (fictional demo case).",
            submitted_at=received_at,
            received_on=received,
            total_value_eur=value * len(goods),
        ),
        received_at,
    )
    for position, (ml, description) in enumerate(goods, start=1):
        _saved(
            GoodsLine(
                application=app, position=position, description=description, ml_category_id=ml,
                quantity=Decimal(4), unit_value=value / 4, value_eur=value,
                un_register_category_id=UN_CATEGORIES.get(ml), production_country_id=MADE_IN.get(ml),
            ),
            received_at,
        )  # fmt: skip
    _saved(
        ApplicationParty(
            application=app, role=PartyRole.END_USER, name=f"End user {n} (fictional)", address="Demo address",
            country_id=destination or "DE", party_type=END_USERS[n % len(END_USERS)],
        ),
        received_at,
    )  # fmt: skip
    app.status, app.decided_at = status, decided
    _saved(app, decided)
    Application.objects.filter(pk=app.pk).update(created_at=received_at, updated_at=decided)  # not auto_now
    return app


def _title(goods: list[Any], destination: str | None) -> str:
    """A title as an exporter writes one: the goods and where they go (English names; the demo is fictional)."""
    what = " and ".join(description.lower() if i else description for i, (_ml, description) in enumerate(goods))
    if destination is None:
        return f"{what}, several destinations (global licence)"
    return f"{what} for {Country.objects.get(pk=destination).name_en}"


def _licence(
    *, n: int, organisation: Organisation, officer: User, senior: User, destination: str | None, issued: date,
    goods: list[Any], value: Decimal, licence_type: str,
) -> Licence:  # fmt: skip
    when = _at(issued)
    # Processing times between 6 and 70 calendar days, so some cases miss the 20-working-day target.
    received = issued - timedelta(days=6 + (n * 11) % 65)
    app = _application(
        n=n, organisation=organisation, officer=officer, destination=destination, received=received, goods=goods,
        value=value, licence_type=licence_type, status=ApplicationStatus.APPROVED, decided=when,
    )  # fmt: skip
    valid_until = issued + timedelta(days=730)
    _assessed(app, officer=officer, when=when)
    four_eyes = value >= Decimal("1000000")
    _saved(
        Decision(
            application=app, outcome=DecisionOutcome.APPROVE, status=DecisionStatus.FINAL,
            justification="Criteria assessed; no objection (fictional).", valid_from=issued, valid_until=valid_until,
            needs_countersignature=four_eyes, proposed_by=officer, proposed_at=when - timedelta(hours=2),
            countersigned_by=senior if four_eyes else None, countersigned_at=when if four_eyes else None,
        ),
        when,
    )  # fmt: skip
    licence = _saved(
        Licence(
            number=f"NL-ML-{issued.year}-H{n:05d}", application=app, organisation=organisation,
            licence_type=licence_type, destination_id=destination, valid_from=issued, valid_until=valid_until,
            total_value_eur=app.total_value_eur, issued_by=officer, issued_at=when,
        ),
        when,
    )  # fmt: skip
    for party in app.parties.order_by("role", "pk"):
        _saved(LicensedParty.copied_from(party, licence=licence), when)
    for line in app.goods.order_by("position"):
        copy = _saved(
            LicensedGoods.copied_from(line, licence=licence),
            when,
        )  # fmt: skip
        shipped_on = issued + timedelta(days=60 + n % 50)
        if shipped_on < timezone.localdate():
            shipped = (line.value_eur * Decimal("0.6")).quantize(Decimal("0.01"))
            _saved(
                Shipment(licence=licence, licensed_goods=copy, shipped_on=shipped_on, quantity=Decimal(2),
                         value_eur=shipped, recorded_by=officer),
                _at(shipped_on, 15),
            )  # fmt: skip
            copy.shipped_quantity, copy.shipped_value_eur = Decimal(2), shipped
            _saved(copy, _at(shipped_on, 15))
    return licence


def _revoke(licence: Licence, *, days: int) -> None:
    licence.status = LicenceStatus.REVOKED
    licence.status_reason = "End-use conditions breached (fictional)."
    _saved(licence, _at(licence.valid_from + timedelta(days=days), 11))


def _refusal(
    *, n: int, organisation: Organisation, officer: User, destination: str, decided: date, goods: tuple[str, str],
    criteria: list[int], sub_criteria: str,
) -> None:  # fmt: skip
    when = _at(decided)
    app = _application(
        n=n, organisation=organisation, officer=officer, destination=destination, received=decided - timedelta(days=30),
        goods=[goods], value=Decimal("350000"), licence_type=LicenceType.INDIVIDUAL_EXPORT,
        status=ApplicationStatus.REFUSED, decided=when,
    )  # fmt: skip
    subs = [t.strip() for t in sub_criteria.split(",") if t.strip()]
    _assessed(
        app, officer=officer, when=when, met={n: ", ".join(t for t in subs if t.startswith(str(n))) for n in criteria}
    )
    decision = _saved(
        Decision(
            application=app, outcome=DecisionOutcome.REFUSE, status=DecisionStatus.FINAL,
            justification="Refused under the criteria cited (fictional).", sub_criteria=sub_criteria,
            proposed_by=officer, proposed_at=when,
        ),
        when,
    )  # fmt: skip
    decision.criteria.set(criteria)


def _treaty_details(licence: Licence, *, de_minimis: bool) -> None:
    state = licence.destination_id or "FR"
    system = _saved(
        FinalSystem(
            name="Naval air-defence system (fictional)", identifier=f"{PREFIX}{licence.application.reference}",
            ml_category_id="ML4", integrator_name="Fictional Integrator SA", integrator_country_id=state,
            registered_by=licence.application.created_by,
        ),
        licence.issued_at,
    )  # fmt: skip
    transfer = _saved(
        TreatyTransfer(
            application=licence.application, final_system=system, gross_total_value=licence.total_value_eur * 8,
            component_value_eur=licence.total_value_eur, de_minimis=de_minimis, computed_at=licence.issued_at,
            share_percent=Decimal("12.50") if de_minimis else None,
        ),
        licence.issued_at,
    )  # fmt: skip
    # Dutch content in a system that stays with the integrator and also goes to a third country.
    third = END_DESTINATIONS[licence.pk % len(END_DESTINATIONS)]
    transfer.end_destinations.set([licence.destination_id or "FR", third])  # history dated like the transfer


def _seed_hypothetical_accession() -> None:
    Membership.objects.get_or_create(
        country_id="NL",
        bloc=Bloc.TREATY,
        since=DEMO_ACCESSION,
        defaults={
            "confidence": "HYPOTHETICAL (demo)",
            "note": "HYPOTHETICAL accession for the demo only: the Netherlands is not a party to the treaty.",
        },
    )


def _seed_treaty_exchanges(*, officer: User, senior: User) -> None:
    """Three notifications of 2024-2025: one passed without objection, one we objected to (consultation
    concluded by consensus), one where Spain objected to a Dutch export (consultation still open)."""

    def notification(direction: str, counterpart: str, aware: date, status: str) -> TreatyNotification:
        return _saved(
            TreatyNotification(
                direction=direction, counterpart_id=counterpart, subject_kind=NotificationSubject.HOME_STATE_CONTENT,
                subject=f"{PREFIX}export project to a third country (fictional)", third_country_id="IN",
                received_on=aware, objection_period_months=2, objection_deadline=_plus_two_months(aware),
                deadline_rule="Treaty emergency brake: two calendar months", status=status, recorded_by=officer,
                application=Application.objects.filter(licence_type=LicenceType.TREATY_COMPONENT).first()
                if direction == NotificationDirection.OUTGOING else None,
            ),
            _at(aware),
        )  # fmt: skip

    notification(NotificationDirection.INCOMING, "FR", date(2024, 3, 4), NotificationStatus.NO_OBJECTION_IN_TIME)
    ours = notification(NotificationDirection.INCOMING, "DE", date(2024, 10, 7), NotificationStatus.CLOSED)
    # A brake on a programme product (issue 16): the German export is of a product of a fictional programme.
    programme = _saved(
        Programme(name="Future Helicopter Programme (fictional)", kind=ProgrammeKind.INTERGOVERNMENTAL),
        _at(date(2023, 1, 10)),
    )
    ours.programme, ours.subject_kind = programme, NotificationSubject.PROGRAMME_PRODUCT
    _saved(ours, _at(date(2024, 10, 7)))
    consultation = _saved(
        Consultation(kind=ConsultationKind.HIGH_LEVEL, counterpart_id="DE", subject=ours.subject, opened_by=officer,
                     opened_on=date(2024, 11, 18)),
        _at(date(2024, 11, 18)),
    )  # fmt: skip
    _saved(
        Objection(notification=ours, ground=TreatyRefusalGround.NATIONAL_SECURITY, reasons="Fictional.",
                  status=ObjectionStatus.SENT, proposed_by=officer, proposed_at=_at(date(2024, 11, 14)),
                  approved_by=senior, approved_at=_at(date(2024, 11, 15)), sent_by=officer,
                  sent_on=date(2024, 11, 18), consultation=consultation),
        _at(date(2024, 11, 18)),
    )  # fmt: skip
    consultation.status, consultation.outcome = ConsultationStatus.CONCLUDED, ConsultationOutcome.EXPORT_MODIFIED
    consultation.concluded_on, consultation.outcome_text = date(2025, 2, 12), "Sensor package removed (fictional)."
    _saved(consultation, _at(date(2025, 2, 12)))
    theirs = notification(NotificationDirection.OUTGOING, "ES", date(2025, 9, 1), NotificationStatus.OBJECTED)
    open_one = _saved(
        Consultation(kind=ConsultationKind.HIGH_LEVEL, counterpart_id="ES", subject=theirs.subject,
                     opened_by=officer, opened_on=date(2025, 10, 20)),
        _at(date(2025, 10, 20)),
    )  # fmt: skip
    _saved(
        Objection(notification=theirs, ground=TreatyRefusalGround.DIRECT_INTERESTS, reasons="Fictional.",
                  status=ObjectionStatus.RECEIVED, proposed_by=officer, proposed_at=_at(date(2025, 10, 20)),
                  received_on=date(2025, 10, 20), consultation=open_one),
        _at(date(2025, 10, 20)),
    )  # fmt: skip


def _seed_parliament_information(*, analyst: User) -> int:
    """Flag the historical approvals that meet the accelerated-information rule on their decision date (the
    decision service does this when a decision is taken; these cases were written straight to the tables). Every
    letter but the latest is marked sent a few days before it was due; the latest stays due, so the list shows an
    overdue letter and the reminder sweep reminds about it. The draft letters are rendered on first download."""
    flagged = []
    licences = Licence.objects.filter(application__reference__startswith=PREFIX).select_related("application")
    for licence in licences.order_by("issued_at", "pk"):
        decided_on = timezone.localtime(licence.issued_at).date()
        finding = accelerated_information_finding(licence.application, on=decided_on)
        if finding is None:
            continue
        decision = Decision.objects.filter(application=licence.application, status=DecisionStatus.FINAL).first()
        if decision is None:
            continue
        flag = ParliamentInformation(
            application=licence.application,
            decision=decision,
            licence=licence,
            rule=finding.rule,
            decided_on=decided_on,
            value_eur=finding.value_eur,
            destinations=list(finding.destinations),
            due_on=finding.due_on,
        )
        flagged.append(_saved(flag, _at(decided_on, 11)))
    for flag in flagged[:-1]:
        flag.status = ParliamentInformationStatus.SENT
        flag.sent_on = flag.due_on - timedelta(days=3)
        flag.sent_reference = f"Kamerstuk 22 054, demo {flag.pk}"
        flag.sent_by = analyst
        flag.version += 1
        _saved(flag, _at(flag.sent_on, 15))
    return len(flagged)


def _plus_two_months(day: date) -> date:
    from consultations.deadlines import add_calendar_months

    return add_calendar_months(day, 2)
