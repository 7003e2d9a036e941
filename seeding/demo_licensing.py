"""Demo applications for `make run`, created through the services as exporters and officers would create them.

Called by seeding.demo.seed_demo after the demo people and companies exist. Idempotent: when the first demo
exporter already has applications, nothing is added. Every service is its own durable transaction, so the
steps run one after the other, never inside an outer atomic block. All companies other than ministries and
armed forces are fictional.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.exceptions import DomainError
from core.workdays import awb_suspended_days
from licensing.assessment_rules import ALL_CRITERIA, AssessmentOutcome, CriterionVerdict
from licensing.models import (
    Application,
    DecisionOutcome,
    DecisionStatus,
    DocumentKind,
    LicenceType,
    PartyRole,
    PartyType,
)
from licensing.models.treaty import TreatyTransfer
from licensing.selectors import application_list_for, licence_get_for
from licensing.services import applications as apps
from licensing.services import casework, treaty
from licensing.services.assessment import advice_give, advice_request, criteria_assess
from licensing.services.clock import recompute_deadlines
from licensing.services.treaty_parameters import treaty_parameters_load
from parties.models import User

NOORDZEE = "anna@noordzee-defence.example"
VELUWE = "bram@veluwe-optronics.example"
DELTA = "chris@delta-marine.example"  # registration pending: may prepare drafts, not submit
OFFICER = "officer@demo.exportregister.nl"
SENIOR = "senior@demo.exportregister.nl"
ADVISER = "adviser@demo.exportregister.nl"


class Stage(Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    INFORMATION = "information_requested"
    APPROVED = "approved"
    REFUSED = "refused"


@dataclass(frozen=True)
class Goods:
    description: str
    ml: str  # category or sub-item: "ML5" or "ML5.b"
    amount: str  # quantity and unit: "6 pcs"
    price: str  # unit value and currency: "185000 EUR"
    component: bool = False
    part_numbers: str = ""

    @property
    def category(self) -> str:
        return self.ml.split(".")[0]


@dataclass(frozen=True)
class Party:
    role: PartyRole
    name: str
    address: str
    country: str
    party_type: PartyType
    third_party_role: str = ""


@dataclass(frozen=True)
class DemoCase:
    exporter: str
    licence_type: LicenceType
    stage: Stage
    title: str
    end_use: str
    goods: list[Goods]
    parties: list[Party]
    euc: bool = True
    answered: tuple[str, str] | None = None  # (question, answer) asked and answered during review
    question: str = ""  # left open (Stage.INFORMATION)
    justification: str = ""
    criteria: list[int] = field(default_factory=list)
    sub_criteria: str = ""
    treaty: dict[str, Any] | None = None  # treaty transfer details (licensing.services.treaty)
    # Days since the complete application arrived: the queue shows cases of different ages, some past their
    # target or legal deadline, and deadlines spread over the coming weeks (sorting by deadline shows an order).
    age: int = 0
    # A question to the policy adviser (Foreign Affairs) on these criteria; left open unless the case is decided.
    advice: tuple[str, list[int]] | None = None


CONSIGNEE, END_USER, THIRD_PARTY = PartyRole.CONSIGNEE, PartyRole.END_USER, PartyRole.THIRD_PARTY
GOVERNMENT, FORCES, COMPANY = PartyType.GOVERNMENT, PartyType.ARMED_FORCES, PartyType.COMMERCIAL
INDIVIDUAL = LicenceType.INDIVIDUAL_EXPORT

NDMA = Party(CONSIGNEE, "Norwegian Defence Materiel Agency (NDMA)", "Postboks 800\n2617 Lillehammer", "NO", GOVERNMENT)
HANSE = ("Hanse Naval Systems GmbH", "Werftstraße 20\n24143 Kiel", "DE", COMPANY)
SANG = ("Saudi Arabian National Guard", "King Abdulaziz Road\nRiyadh 11173", "SA", FORCES)
ARMASUISSE = ("armasuisse", "Kasernenstrasse 19\n3003 Bern", "CH", GOVERNMENT)
EGYPT_MOD = ("Ministry of Defence of Egypt, Armament Authority", "Salah Salem Street\nCairo", "EG", GOVERNMENT)

# fmt: off
# A data table: one case per block, kept compact on purpose.
CASES: list[DemoCase] = [
    DemoCase(
        NOORDZEE, INDIVIDUAL, Stage.APPROVED,
        "Fire control radar modules for Royal Norwegian Navy frigates",
        "Replacement of the fire control radar transmitters and processors on the navy's frigates, for air and "
        "surface defence in Norwegian waters.",
        [
            Goods("X-band fire control radar transmitter module, type NDS-FC220", "ML5.b", "6 pcs", "185000 EUR",
                  part_numbers="FC220-TX-01"),
            Goods("Radar signal processor unit, type NDS-SP40", "ML5.b", "6 pcs", "92000 EUR"),
        ],
        [NDMA, Party(END_USER, "Royal Norwegian Navy", "Haakonsvern Naval Base\n5886 Bergen", "NO", FORCES)],
        answered=(
            "Do the processor units replace existing units one for one, and what happens to the removed units?",
            "Yes, one for one. The removed units come back to our Den Helder workshop for repair and stay spares "
            "for the same navy; we will apply separately for their return shipment.",
        ),
        justification="Allied end user, consistent end-use statement; no concerns under the eight criteria.",
        age=58,
    ),
    DemoCase(
        NOORDZEE, INDIVIDUAL, Stage.UNDER_REVIEW,
        "Combat management consoles for Royal Australian Navy",
        "Operator consoles for the combat management system of the navy's frigates, installed during a "
        "mid-life upgrade at Henderson, Western Australia.",
        [
            Goods("Multifunction operator console with military display processors, type NDS-MC7", "ML11.a",
                  "12 pcs", "98500 AUD"),
            Goods("Ruggedised tactical data link interface unit", "ML11", "4 pcs", "61000 AUD"),
        ],
        [
            Party(CONSIGNEE, "Department of Defence, Capability Acquisition and Sustainment Group",
                  "Russell Offices\nCanberra ACT 2600", "AU", GOVERNMENT),
            Party(END_USER, "Royal Australian Navy", "Fleet Base West, HMAS Stirling\nRockingham WA 6958", "AU",
                  FORCES),
            Party(THIRD_PARTY, "Pacific Naval Integration Pty Ltd", "Cockburn Road 12\nHenderson WA 6166", "AU",
                  COMPANY, third_party_role="Systems integrator: installs the consoles"),
        ],
        answered=(
            "Which ships get the consoles, and is the integrator cleared by the Australian defence ministry?",
            "The three frigates of the upgrade programme. The integrator is a member of the Defence Industry "
            "Security Program; its certificate is attached to the contract we uploaded.",
        ),
        age=30,
    ),
    DemoCase(
        NOORDZEE, INDIVIDUAL, Stage.INFORMATION,
        "Surveillance radar spares for Indian Navy patrol vessels",
        "Spare parts for the surveillance radars of offshore patrol vessels, for maintenance at the navy's dockyard.",
        [Goods("Spare parts kit for surveillance radar NDS-SR10 (magnetrons, power supplies)", "ML5", "20 sets",
               "14500 EUR")],
        [
            Party(CONSIGNEE, "Konkan Marine Engineering Pvt Ltd", "Harbour Road 4\nVasco da Gama, Goa 403802", "IN",
                  COMPANY),
            Party(END_USER, "Indian Navy, Directorate of Naval Armament",
                  "Integrated Headquarters MoD (Navy)\nNew Delhi 110011", "IN", FORCES),
        ],
        question="Please upload an end-user certificate signed by the Indian Ministry of Defence; name the vessels.",
        age=41,
    ),
    DemoCase(
        NOORDZEE, INDIVIDUAL, Stage.DRAFT,
        "30 mm practice ammunition, trial lot for the British Army",
        "Firing trials of target practice ammunition on the army's ranges.",
        [Goods("30 x 173 mm target practice ammunition with tracer (TP-T), trial lot", "ML3.a", "2400 rounds",
               "38 GBP")],
        [Party(END_USER, "UK Ministry of Defence, Defence Equipment & Support", "MoD Abbey Wood\nBristol BS34 8JH",
               "GB", GOVERNMENT)],
        euc=False,  # left incomplete on purpose: no consignee, no end-user certificate yet
    ),
    DemoCase(
        NOORDZEE, LicenceType.TREATY_COMPONENT, Stage.SUBMITTED,
        "Radar antenna tiles for a German frigate programme",
        "Integration into the surveillance radar of frigates built in Germany; the final system is exported "
        "from Germany.",
        [Goods("Antenna array tiles for naval surveillance radar", "ML5", "48 pcs", "21000 EUR", component=True,
               part_numbers="NDS-AT-48")],
        [Party(CONSIGNEE, *HANSE), Party(END_USER, *HANSE)],
        euc=False,  # treaty de minimis transfers need no end-user certificate
        treaty={
            "final_system_name": "Naval surveillance radar for frigates",
            "final_system_identifier": "HNS-NSR-F127",
            "final_system_ml_category_id": "ML5",
            "integrator_name": "Hanse Naval Systems GmbH",
            "integrator_country_id": "DE",
            "end_destination_ids": ["NO"],
            # The goods (48 × EUR 21,000 = EUR 1,008,000) are 2.1 % of the final system: within the de minimis share
            "gross_total_value": Decimal("48000000"),
        },
        age=3,
    ),
    DemoCase(
        VELUWE, INDIVIDUAL, Stage.REFUSED,
        "Thermal weapon sights for the Saudi Arabian National Guard",
        "Equipment of infantry units of the National Guard.",
        [Goods("Uncooled thermal weapon sight, type VO-TWS35", "ML15.c", "800 pcs", "7900 USD")],
        [Party(CONSIGNEE, *SANG), Party(END_USER, *SANG)],
        justification="Clear risk of use in internal repression and in the conflict in Yemen; re-export not excluded.",
        criteria=[2, 7],
        sub_criteria="2a, 2c",
        age=70,
        advice=("Do you see a clear risk under criteria 2 and 7 for National Guard infantry units?", [2, 7]),
    ),
    DemoCase(
        VELUWE, INDIVIDUAL, Stage.UNDER_REVIEW,
        "Thermal imaging cameras for a US Army vehicle programme",
        "Driver's vision and commander's sight of armoured vehicles built for the US Army.",
        [Goods("Cooled MWIR thermal imaging camera core, type VO-Falcon 640", "ML15.c", "150 pcs", "24500 USD",
               component=True, part_numbers="F640-C-01")],
        [
            Party(CONSIGNEE, "Great Lakes Vehicle Systems Inc.", "Mound Road 3900\nSterling Heights, MI 48310", "US",
                  COMPANY),
            Party(END_USER, "United States Army, Program Executive Office Ground Combat Systems",
                  "Detroit Arsenal\nWarren, MI 48397", "US", FORCES),
        ],
        age=12,
    ),
    DemoCase(
        NOORDZEE, INDIVIDUAL, Stage.UNDER_REVIEW,
        "Naval fire control radar upgrade for the Indonesian Navy",
        "Upgrade of the fire control radars of two corvettes, installed at the navy's yard in Surabaya.",
        [Goods("Fire control radar upgrade kit, type NDS-FC220U", "ML5.b", "2 sets", "640000 EUR")],
        [Party(CONSIGNEE, "PT PAL Indonesia", "Jalan Ujung\nSurabaya 60155", "ID", COMPANY),
         Party(END_USER, "Indonesian Navy (TNI-AL)", "Cilangkap\nJakarta 13870", "ID", FORCES)],
        age=63,  # past its legal deadline: the officer's home and queue show it first
        advice=("Any concern under criteria 2 and 4 about use of the corvettes around West Papua?", [2, 4]),
    ),
    DemoCase(
        VELUWE, INDIVIDUAL, Stage.UNDER_REVIEW,
        "Night vision goggles for the Egyptian Army",
        "Night vision equipment for border guard units in the Western Desert.",
        [Goods("Image intensifier night vision goggles, type VO-NV14", "ML15.a", "300 pcs", "4100 EUR")],
        [Party(CONSIGNEE, *EGYPT_MOD), Party(END_USER, *EGYPT_MOD)],
        age=45,  # past its internal target, within the legal deadline
        advice=("Is there a risk of diversion to internal security forces (criteria 2 and 7)?", [2, 7]),
    ),
    DemoCase(
        VELUWE, INDIVIDUAL, Stage.SUBMITTED,
        "Laser rangefinders for the Swiss Army",
        "Observation equipment for the army's artillery observers.",
        [Goods("Handheld laser rangefinder with goniometer, type VO-LR8", "ML15.d", "60 pcs", "18500 CHF")],
        [Party(CONSIGNEE, *ARMASUISSE), Party(END_USER, *ARMASUISSE)],
        age=8,
    ),
    DemoCase(
        NOORDZEE, INDIVIDUAL, Stage.SUBMITTED,
        "Coastal surveillance radar for the Philippine Navy",
        "Surveillance of the coast of Palawan from three shore stations.",
        [Goods("Coastal surveillance radar, type NDS-CS30", "ML5.a", "3 pcs", "1150000 EUR")],
        [Party(CONSIGNEE, "Department of National Defense, Procurement Service", "Camp Aguinaldo\nQuezon City",
               "PH", GOVERNMENT),
         Party(END_USER, "Philippine Navy, Naval Sea Systems Command", "Naval Station Jose Andrada\nManila", "PH",
               FORCES)],
        age=24,  # nobody has picked it up yet, and its target is days away
    ),
    DemoCase(
        VELUWE, INDIVIDUAL, Stage.DRAFT,  # complete: a draft that is ready to submit
        "Helicopter sensor mounts and spares for the Royal Norwegian Air Force",
        "Electro-optical sensor turrets on the air force's NH90 helicopters: mounts and spares for five years "
        "of maintenance.",
        [
            Goods("Stabilised gimbal mount for helicopter electro-optical turret (NH90)", "ML10.g", "8 pcs",
                  "56000 EUR"),
            Goods("Spare parts kit for gimbal mount", "ML10", "16 sets", "4200 EUR"),
        ],
        [NDMA, Party(END_USER, "Royal Norwegian Air Force, 139 Air Wing", "Bardufoss Air Station\n9325 Bardufoss",
                     "NO", FORCES)],
    ),
    DemoCase(
        DELTA, LicenceType.TRANSFER_INDIVIDUAL, Stage.DRAFT,
        "Hull-mounted sonar components for a Polish Navy refit",
        "Refit of the sonar of a mine countermeasures vessel at the navy's shipyard in Gdynia.",
        [Goods("Sonar transducer array segment", "ML9", "6 pcs", "33000 PLN")],
        [Party(END_USER, "Polish Navy, 8th Coastal Defence Flotilla", "ul. Jana z Kolna 8\n81-912 Gdynia", "PL",
               FORCES)],
        euc=False,
    ),
]
# fmt: on


def seed_demo(*, stdout: Any) -> None:
    people = {u.email: u for u in User.objects.filter(email__in=[NOORDZEE, VELUWE, DELTA, OFFICER, SENIOR, ADVISER])}
    if len(people) < 6:
        stdout.write("Demo applications skipped: the demo people are missing (run seeding.demo first).")
        return
    if application_list_for(user=people[NOORDZEE]).exists():
        stdout.write("Demo applications exist already.")
        return
    # Reference data the treaty case is assessed against (idempotent; seeding.demo_consultations loads it too).
    treaty_parameters_load()
    created = 0
    for case in CASES:
        try:
            application = _seed_case(
                case, exporter=people[case.exporter], officer=people[OFFICER], senior=people[SENIOR],
                adviser=people[ADVISER],
            )  # fmt: skip
            _date_back(application, age=case.age)
        except DomainError as exc:
            # A later feature may add a rule a demo case trips over; say so and keep the rest of the demo.
            stdout.write(f"  Demo case {case.title!r} stopped early: {exc.message}")
        created += 1
    stdout.write(f"Demo applications created: {created}")


def _seed_case(case: DemoCase, *, exporter: User, officer: User, senior: User, adviser: User) -> Application:
    today = timezone.localdate()
    application = apps.application_create(
        actor=exporter,
        licence_type=case.licence_type,
        title=case.title,
        end_use=case.end_use,
        intended_shipment_date=today + timedelta(days=75),
    )
    for goods in case.goods:
        quantity, unit = goods.amount.split()
        unit_value, currency = goods.price.split()
        apps.goods_line_save(
            actor=exporter,
            application_id=application.pk,
            description=goods.description,
            ml_category_id=goods.category,
            ml_sub_item=goods.ml if "." in goods.ml else "",
            quantity=Decimal(quantity),
            unit=unit,
            unit_value=Decimal(unit_value),
            currency=currency,
            is_component=goods.component,
            part_numbers=goods.part_numbers,
        )
    for party in case.parties:
        apps.party_save(
            actor=exporter,
            application_id=application.pk,
            role=party.role,
            name=party.name,
            address=party.address,
            country_id=party.country,
            party_type=party.party_type,
            third_party_role=party.third_party_role,
        )
    if case.euc:
        end_user = next(p for p in case.parties if p.role == PartyRole.END_USER)
        apps.document_upload(
            actor=exporter,
            application_id=application.pk,
            kind=DocumentKind.END_USER_CERTIFICATE,
            upload=SimpleUploadedFile(
                f"End-user certificate {application.reference}.pdf",
                euc_pdf(application=application, end_user=end_user, goods=case.goods),
                content_type="application/pdf",
            ),
        )
    if case.treaty:
        treaty.treaty_transfer_save(actor=exporter, application_id=application.pk, **case.treaty)
    if case.stage == Stage.DRAFT:
        return application
    apps.application_submit(actor=exporter, application_id=application.pk)
    if case.stage == Stage.SUBMITTED:
        return application
    casework.application_assign(actor=officer, application_id=application.pk, assignee=officer)
    if case.answered:
        question, answer = case.answered
        casework.information_request(actor=officer, application_id=application.pk, question=question)
        apps.information_provide(actor=exporter, application_id=application.pk, answer=answer)
    if case.advice:
        question, criteria = case.advice
        asked = advice_request(
            actor=officer, application_id=application.pk, adviser=adviser, question=question, criteria=criteria,
            respond_by=today + timedelta(days=7),
        )  # fmt: skip
        if case.stage == Stage.REFUSED:  # the adviser answered before the officer decided
            advice_give(
                actor=adviser, request_id=asked.pk, summary=case.justification,
                verdicts=[
                    CriterionVerdict(criterion=n, outcome=AssessmentOutcome.GROUNDS_TO_REFUSE,
                                     justification=case.justification, sub_criteria="")
                    for n in criteria
                ],
            )  # fmt: skip
    if case.stage == Stage.INFORMATION:
        casework.information_request(actor=officer, application_id=application.pk, question=case.question)
    elif case.stage == Stage.APPROVED:
        _approve_and_ship(case, application=application, exporter=exporter, officer=officer, senior=senior)
    elif case.stage == Stage.REFUSED:
        _assess_criteria(case, application=application, officer=officer)
        decision = casework.decision_propose(
            actor=officer,
            application_id=application.pk,
            outcome=DecisionOutcome.REFUSE,
            justification=case.justification,
            criteria=case.criteria,
            sub_criteria=case.sub_criteria,
        )
        casework.decision_countersign(actor=senior, decision_id=decision.pk, reason="Agree with the assessment.")
    return application


def _date_back(application: Application, *, age: int) -> None:
    """Demo only: the services stamp today, so move a case's arrival `age` days back, and its answered question
    into its past, then compute its deadlines the services' way (licensing.services.clock; the suspension by
    core.workdays.awb_suspended_days). The queue then shows cases of different ages and deadlines."""
    if age == 0:
        return
    case = Application.objects.get(pk=application.pk)
    if case.received_on is None or case.submitted_at is None:
        return
    shift = timedelta(days=age)
    case.received_on -= shift
    case.submitted_at -= shift
    suspended = 0
    for request in case.information_requests.order_by("requested_at"):
        term = request.respond_by - request.requested_on
        if request.answered_on is not None:  # asked last week, answered two days ago: back with the officer
            asked, answered = timezone.localdate() - timedelta(days=9), timezone.localdate() - timedelta(days=2)
            request.answered_on, request.answered_at = answered, _at(answered, 14)
            suspended += awb_suspended_days(asked, asked + term, answered)
        else:  # still open: asked a few days ago
            asked = timezone.localdate() - timedelta(days=min(6, age // 3))
        request.requested_on, request.respond_by, request.requested_at = asked, asked + term, _at(asked, 10)
        request.save(update_fields=["requested_on", "respond_by", "requested_at", "answered_on", "answered_at"])
    # Advice asked a few days ago, to be given within a week of asking.
    asked_at = timezone.now() - timedelta(days=min(age // 4, 5))
    case.advice_requests.update(requested_at=asked_at, respond_by=timezone.localdate(asked_at) + timedelta(days=7))
    case.suspended_days = suspended
    recompute_deadlines(case)
    case.save(update_fields=["received_on", "submitted_at", "suspended_days", "legal_deadline", "target_date"])
    Application.objects.filter(pk=case.pk).update(created_at=case.submitted_at - timedelta(days=2))


def _at(day: Any, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _assess_criteria(case: DemoCase, *, application: Application, officer: User) -> None:
    """The officer assesses all eight criteria before deciding (the decision gate asks for it); a refusal's cited
    criteria are found met, the rest without concerns. De minimis treaty transfers are not assessed: the treaty
    leaves the criteria to the integrating state."""
    if TreatyTransfer.objects.filter(application=application, de_minimis=True).exists():
        return
    verdicts = [
        CriterionVerdict(
            criterion=n,
            outcome=AssessmentOutcome.GROUNDS_TO_REFUSE if n in case.criteria else AssessmentOutcome.NO_CONCERNS,
            justification=case.justification if n in case.criteria else "",
            sub_criteria=", ".join(s for s in case.sub_criteria.replace(" ", "").split(",") if s.startswith(str(n)))
            if case.sub_criteria
            else "",
        )
        for n in ALL_CRITERIA
    ]
    criteria_assess(actor=officer, application_id=application.pk, verdicts=verdicts)


def _approve_and_ship(case: DemoCase, *, application: Application, exporter: User, officer: User, senior: User) -> None:
    _assess_criteria(case, application=application, officer=officer)
    valid_from, valid_until = casework.default_validity()
    decision = casework.decision_propose(
        actor=officer,
        application_id=application.pk,
        outcome=DecisionOutcome.APPROVE,
        justification=case.justification,
        conditions="No re-export or transfer to another end user without the prior written consent of the "
        "Netherlands licensing authority.",
        valid_from=valid_from,
        valid_until=valid_until,
    )
    if decision.status == DecisionStatus.PROPOSED:  # four eyes apply (e.g. an assessment raised a concern)
        casework.decision_countersign(actor=senior, decision_id=decision.pk, reason="Agree with the assessment.")
    licence = licence_get_for(user=exporter, pk=application.licence.pk)
    first = licence.goods.all()[0]
    unit_value = first.value_eur / first.quantity
    casework.shipment_record(
        actor=exporter,
        licence_id=licence.pk,
        licensed_goods_id=first.pk,
        shipped_on=valid_from,
        quantity=Decimal("2"),
        value_eur=(unit_value * 2).quantize(Decimal("0.01")),
    )


def euc_pdf(*, application: Application, end_user: Party, goods: list[Goods]) -> bytes:
    """A one-page end-user certificate, as a small valid PDF (demo only, clearly marked as such)."""
    lines = [
        "END-USER CERTIFICATE",
        "",
        f"Exporter: {application.organisation.name}",
        f"Reference: {application.reference}",
        f"End user: {end_user.name}",
        f"Country: {end_user.country}",
        "",
        "Goods:",
        *[f"  {g.amount}  {g.description} ({g.ml})" for g in goods],
        "",
        f"End use: {application.end_use}"[:110],
        "",
        "The end user certifies that the goods are for its own use, for the end use stated,",
        "and will not be re-exported or transferred without the prior written consent of",
        "the government of the Netherlands.",
        "",
        "DEMO DOCUMENT generated by the export licence register - not a real certificate.",
    ]
    return _text_pdf(lines)


def _text_pdf(lines: list[str]) -> bytes:
    def escape(text: str) -> str:
        plain = text.encode("latin-1", "replace").decode("latin-1")
        return plain.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = "BT /F1 10 Tf 56 790 Td 15 TL " + " ".join(f"({escape(line)}) '" for line in lines) + " ET"
    body = stream.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length " + str(len(body)).encode() + b" >>\nstream\n" + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + content + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
