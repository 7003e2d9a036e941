"""The emergency-brake register of the treaty report (issue 16, part 2): public and confidential variants,
against rows worked out by hand and against hand-written SQL.

treaty_register (test_treaty.py) has two objections in 2024; this adds a brake on a programme product:
  P   France notifies an export of a product of the programme "Future Air System (test)" to the UAE; aware
      2024-03-01; the Netherlands objects on 2024-04-15 (direct interests); consultation 2024-04-15 to
      2024-06-14 = 60 days; export modified
  DE  Germany notifies an export to India; aware 2024-05-06; we object on 2024-06-10 (national security);
      consultation 2024-06-10 to 2024-08-19 = 70 days; consensus
  ES  Spain objects to our export to India on 2024-10-01 (direct interests); consultation open since then:
      91 days on 2024-12-31
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from consultations.models.treaty import (
    NotificationDirection,
    NotificationStatus,
    NotificationSubject,
    Objection,
    ObjectionStatus,
    Programme,
    ProgrammeKind,
)
from licensing.models.consultation import Consultation, ConsultationKind, ConsultationOutcome, ConsultationStatus
from licensing.models.treaty import TreatyRefusalGround
from reports.queries.brakes import CONFIDENTIAL_FIELDS, PUBLIC_FIELDS
from reports.queries.treaty import treaty_transparency

from . import builders as b
from .test_treaty import NEW_YEARS_EVE, _notification, treaty_register  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def brakes(treaty_register, officer, senior):  # type: ignore[no-untyped-def]  # noqa: F811
    programme = b.saved(
        Programme(name="Future Air System (test)", kind=ProgrammeKind.INTERGOVERNMENTAL), b.at("2024-01-10")
    )
    notice = _notification(direction=NotificationDirection.INCOMING, counterpart="FR", received="2024-03-01",
                           officer=officer, status=NotificationStatus.CLOSED)  # fmt: skip
    notice.third_country_id, notice.programme = "AE", programme
    notice.subject_kind, notice.subject = NotificationSubject.PROGRAMME_PRODUCT, "Airframes for Acme Aero LLC"
    b.saved(notice, b.at("2024-03-01"))
    consultation = b.saved(
        Consultation(kind=ConsultationKind.HIGH_LEVEL, counterpart_id="FR", subject="Brake", opened_by=officer,
                     opened_on=date(2024, 4, 15), status=ConsultationStatus.CONCLUDED,
                     outcome=ConsultationOutcome.EXPORT_MODIFIED, concluded_on=date(2024, 6, 14)),
        b.at("2024-04-15"),
    )  # fmt: skip
    b.saved(
        Objection(notification=notice, ground=TreatyRefusalGround.DIRECT_INTERESTS, reasons="Our radar secrets",
                  status=ObjectionStatus.SENT, proposed_by=officer, proposed_at=b.at("2024-04-12"), approved_by=senior,
                  approved_at=b.at("2024-04-12"), sent_by=officer, sent_on=date(2024, 4, 15),
                  consultation=consultation),
        b.at("2024-04-15"),
    )  # fmt: skip
    return treaty_register


def brake(on, direction, partner, third, subject, programme, ground, aware, opened, concluded, days, outcome):  # type: ignore[no-untyped-def]
    return {
        "objection_on": date.fromisoformat(on),
        "direction": direction,
        "partner": partner,
        "third_country": third,
        "subject_kind": subject,
        "programme": programme,
        "ground": ground,
        "aware_on": date.fromisoformat(aware),
        "consultation_opened_on": date.fromisoformat(opened),
        "concluded_on": date.fromisoformat(concluded) if concluded else None,
        "duration_days": days,
        "outcome": outcome,
    }


def test_public_brake_register_tells_each_objection_and_nothing_confidential(brakes):
    table = treaty_transparency(year_from=2024, year_to=2024, as_of=NEW_YEARS_EVE).table("brake_register")

    content = "System with Dutch content"
    assert table.rows == [
        brake("2024-04-15", "Made by the Netherlands", "France", "United Arab Emirates",
              "Product of a programme or cooperation project", "Future Air System (test)",
              "Direct interests compromised", "2024-03-01", "2024-04-15", "2024-06-14", 60, "Export modified"),
        brake("2024-06-10", "Made by the Netherlands", "Germany", "India", content, "",
              "National security compromised", "2024-05-06", "2024-06-10", "2024-08-19", 70, "Consensus solution"),
        brake("2024-10-01", "Received", "Spain", "India", content, "", "Direct interests compromised",
              "2024-09-02", "2024-10-01", None, 91, "Still in consultation"),
    ]  # fmt: skip
    assert [c.key for c in table.columns] == list(PUBLIC_FIELDS)


def test_confidential_brake_register_adds_project_reasons_and_case(brakes):
    report = treaty_transparency(year_from=2024, year_to=2024, as_of=NEW_YEARS_EVE, confidential=True)
    rows = report.table("brake_register").rows

    assert report.confidential
    assert [c.key for c in report.table("brake_register").columns] == [*PUBLIC_FIELDS, *CONFIDENTIAL_FIELDS]
    assert (rows[0]["export_project"], rows[0]["reasons"]) == ("Airframes for Acme Aero LLC", "Our radar secrets")
    assert rows[2]["case_reference"].startswith("APP-T-")


def test_brake_register_as_of_31_may_shows_only_the_objections_made_by_then(brakes):
    as_of = NEW_YEARS_EVE.replace(year=2024, month=5, day=31)
    rows = treaty_transparency(year_from=2024, year_to=2024, as_of=as_of).table("brake_register").rows

    # Germany's objection was sent on 10 June and Spain's received on 1 October.
    assert [r["partner"] for r in rows] == ["France"]


def test_brake_register_matches_hand_written_sql(brakes):
    rows = treaty_transparency(year_from=2024, year_to=2024, as_of=NEW_YEARS_EVE).table("brake_register").rows
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT COALESCE(o.sent_on, o.received_on), p.name_en, t.name_en, COALESCE(g.name, ''),
                   c.concluded_on - c.opened_on
            FROM consultations_objection o
            JOIN consultations_treatynotification n ON n.id = o.notification_id
            JOIN parties_country p ON p.iso2 = n.counterpart_id
            JOIN parties_country t ON t.iso2 = n.third_country_id
            LEFT JOIN consultations_programme g ON g.id = n.programme_id
            LEFT JOIN consultations_consultation c ON c.id = o.consultation_id
            WHERE o.status IN ('sent', 'received')
              AND EXTRACT(YEAR FROM COALESCE(o.sent_on, o.received_on)) = 2024
            ORDER BY 1, o.id
            """
        )
        by_hand = cursor.fetchall()
    assert by_hand == [
        (
            r["objection_on"],
            r["partner"],
            r["third_country"],
            r["programme"],
            r["duration_days"] if r["concluded_on"] else None,
        )
        for r in rows
    ]
