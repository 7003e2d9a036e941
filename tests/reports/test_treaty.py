"""The treaty transparency report against figures worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta

from consultations.models.treaty import (
    NotificationDirection,
    NotificationStatus,
    NotificationSubject,
    Objection,
    ObjectionStatus,
    TreatyNotification,
)
from licensing.models import LicenceType
from licensing.models.consultation import Consultation, ConsultationKind, ConsultationOutcome, ConsultationStatus
from licensing.models.treaty import FinalSystem, TreatyRefusalGround, TreatyTransfer
from reports.queries.snapshot import end_of_day
from reports.queries.treaty import treaty_transparency

from . import builders as b
from .helpers import keyed

pytestmark = pytest.mark.django_db

NEW_YEARS_EVE = end_of_day(date(2024, 12, 31))


def _transfer(licence, *, de_minimis: bool) -> None:  # type: ignore[no-untyped-def]
    b.saved(
        TreatyTransfer(
            application=licence.application,
            final_system=FinalSystem.objects.create(
                name="Frigate radar suite",
                identifier=f"FRS-{licence.application.reference}",
                ml_category_id="ML5",
                integrator_name="Integrator SA",
                integrator_country_id=licence.destination_id,
                registered_by=licence.application.created_by,
            ),
            gross_total_value=Decimal("1000000"),
            component_value_eur=Decimal("150000") if de_minimis else Decimal("400000"),
            de_minimis=de_minimis,
            computed_at=licence.issued_at,
        ),
        licence.issued_at,
    )


def _notification(*, direction, counterpart, received, officer, status, application=None):  # type: ignore[no-untyped-def]
    aware = date.fromisoformat(received)
    return b.saved(
        TreatyNotification(
            direction=direction,
            counterpart_id=counterpart,
            subject_kind=NotificationSubject.HOME_STATE_CONTENT,
            subject="Export of a system with Dutch content",
            third_country_id="IN",
            received_on=aware,
            objection_period_months=2,
            objection_deadline=aware + relativedelta(months=2),
            deadline_rule="two calendar months",
            status=status,
            application=application,
            recorded_by=officer,
        ),
        b.at(received),
    )


@pytest.fixture
def treaty_register(register, org_a, officer, senior):  # type: ignore[no-untyped-def]
    _transfer(register.l7, de_minimis=True)  # FR, 2024-08-08, ML10 30 000
    germany = b.licence(organisation=org_a, officer=officer, destination="DE", issued="2024-09-10",
                        goods=[("ML5", "90000")], received="2024-08-26",
                        licence_type=LicenceType.TREATY_COMPONENT)  # fmt: skip
    _transfer(germany, de_minimis=False)
    b.refusal(organisation=org_a, officer=officer, destination="ES", decided="2024-11-04", goods=[("ML10", "5000")],
              criteria=[], received="2024-10-14", licence_type=LicenceType.TREATY_COMPONENT)  # fmt: skip

    _notification(direction=NotificationDirection.INCOMING, counterpart="FR", received="2024-02-05", officer=officer,
                  status=NotificationStatus.NO_OBJECTION_IN_TIME)  # fmt: skip
    from_germany = _notification(direction=NotificationDirection.INCOMING, counterpart="DE", received="2024-05-06",
                                 officer=officer, status=NotificationStatus.CLOSED)  # fmt: skip
    consultation = b.saved(
        Consultation(kind=ConsultationKind.HIGH_LEVEL, counterpart_id="DE", subject="Brake", opened_by=officer,
                     opened_on=date(2024, 6, 10), status=ConsultationStatus.OPEN),
        b.at("2024-06-10"),
    )  # fmt: skip
    b.saved(
        Objection(notification=from_germany, ground=TreatyRefusalGround.NATIONAL_SECURITY, reasons="Secret sensors",
                  status=ObjectionStatus.SENT, proposed_by=officer, proposed_at=b.at("2024-06-07"), approved_by=senior,
                  approved_at=b.at("2024-06-07"), sent_by=officer, sent_on=date(2024, 6, 10),
                  consultation=consultation),
        b.at("2024-06-10"),
    )  # fmt: skip
    consultation.status, consultation.outcome = ConsultationStatus.CONCLUDED, ConsultationOutcome.CONSENSUS
    consultation.concluded_on = date(2024, 8, 19)  # 70 days after opening
    b.saved(consultation, b.at("2024-08-19"))

    to_spain = _notification(direction=NotificationDirection.OUTGOING, counterpart="ES", received="2024-09-02",
                             officer=officer, status=NotificationStatus.OBJECTED,
                             application=germany.application)  # fmt: skip
    open_one = b.saved(
        Consultation(kind=ConsultationKind.HIGH_LEVEL, counterpart_id="ES", subject="Brake", opened_by=officer,
                     opened_on=date(2024, 10, 1)),
        b.at("2024-10-01"),
    )  # fmt: skip
    b.saved(
        Objection(notification=to_spain, ground=TreatyRefusalGround.DIRECT_INTERESTS, reasons="Their industry",
                  status=ObjectionStatus.RECEIVED, proposed_by=officer, proposed_at=b.at("2024-10-01"),
                  received_on=date(2024, 10, 1), consultation=open_one),
        b.at("2024-10-01"),
    )  # fmt: skip
    return register


def test_treaty_report_counts_transfers_de_minimis_or_not_and_refusals_per_year(treaty_register):
    report = treaty_transparency(year_from=2023, year_to=2024, as_of=NEW_YEARS_EVE)

    transfers = keyed(report.table("transfers"), "year")
    assert transfers["2024"] == {
        "de_minimis_licences": 1,
        "de_minimis_value_eur": Decimal("30000"),
        "other_licences": 1,
        "other_value_eur": Decimal("90000"),
        "refusals": 1,
    }
    assert transfers["2023"]["de_minimis_licences"] == 0 and transfers["2023"]["refusals"] == 0
    partners = keyed(report.table("transfers_by_partner"), "year", "partner")
    assert set(partners) == {("2024", "France"), ("2024", "Germany"), ("2024", "Spain")}
    assert partners[("2024", "Spain")]["refusals"] == 1


def test_treaty_report_counts_notifications_sent_and_received_and_their_fate(treaty_register):
    notifications = keyed(
        treaty_transparency(year_from=2024, year_to=2024, as_of=NEW_YEARS_EVE).table("notifications"), "year"
    )

    assert notifications["2024"] == {"received": 2, "sent": 1, "objected": 2, "no_objection_in_time": 1}


def test_treaty_report_lists_objections_made_and_received_with_ground_and_outcome(treaty_register):
    objections = keyed(
        treaty_transparency(year_from=2024, year_to=2024, as_of=NEW_YEARS_EVE).table("objections"),
        "year",
        "direction",
        "ground",
    )

    made = objections[("2024", "Made by the Netherlands", "National security compromised")]
    received = objections[("2024", "Received from another party", "Direct interests compromised")]
    assert (made["count"], made["consensus"], made["open"]) == (1, 1, 0)
    assert (received["count"], received["open"], received["consensus"]) == (1, 1, 0)


def test_treaty_report_measures_consultation_durations_as_of_new_years_eve(treaty_register):
    consultations = keyed(
        treaty_transparency(year_from=2024, year_to=2024, as_of=NEW_YEARS_EVE).table("consultations"), "year"
    )

    # Germany: 10 June to 19 August = 70 days; Spain: open since 1 October, 91 days on 31 December.
    assert consultations["2024"] == {
        "opened": 2,
        "concluded": 1,
        "still_open": 1,
        "average_days": Decimal("70.0"),
        "longest_days": 70,
        "longest_open_days": 91,
    }


def test_treaty_report_as_of_before_the_consultation_ended_shows_it_open(treaty_register):
    consultations = keyed(
        treaty_transparency(year_from=2024, year_to=2024, as_of=end_of_day(date(2024, 7, 31))).table("consultations"),
        "year",
    )

    assert consultations["2024"]["concluded"] == 0
    assert consultations["2024"]["longest_open_days"] == 51  # 10 June to 31 July
