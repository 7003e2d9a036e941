"""General-licence registrations and usage returns in the reports (issue 17 point 3): the annual report's table per
general licence and the confidential report per company, worked out by hand.

The register of every test, built through the real services (6-month reporting periods, returns due 30 days after a
period ends: general_licences.periods):
- NL-GTL-2025-01, valid 2025: Alpha registered on 1 March 2025; its registration ended with the licence on
  31 December 2025, the day before 2026 starts. Alpha files the return for July-December 2025 on 20 January 2026.
- NL-GTL-2026-01, valid 2026-2028, no approval needed: Alpha and Bravo registered on 10 February 2026. Alpha files
  January-June on 3 July 2026 (ML15 to Germany: 12 and 3 pieces, EUR 84,000 and 1,000) and July-December on
  31 December 2026, the last day of the year (ML10 to France: 5 pieces, EUR 500). Bravo files January-June only on
  2 January 2027 (ML15 to Germany: 2 pieces, EUR 2,000): at the end of 2026 it was overdue (due 30 July 2026).
- NL-GTL-2026-02, approval needed: Alpha registered on 1 March 2026, approved on 2 March, suspended on 1 September
  2026; Bravo's request of 1 March is still pending.
The reports are computed on 1 February 2027."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from general_licences.services import (
    LicenceData,
    general_licence_register,
    general_licence_registration_decide,
    general_licence_registration_suspend,
    general_licence_update,
    usage_return_file,
)
from reports.exports import report_xlsx
from reports.queries.annual import annual_report
from reports.queries.general_licence_registrations import general_licence_registrations, registrations_per_licence
from reports.queries.snapshot import end_of_day
from tests.general_licences.helpers import line, on, publish

pytestmark = pytest.mark.django_db

COUNTS = ("registered", "new", "suspended", "ended", "companies", "returns_filed", "overdue")


@pytest.fixture
def gl_register(officer, exporter_a, exporter_b):  # type: ignore[no-untyped-def]
    with on(date(2025, 1, 5)):
        old = publish(
            officer, requires_approval=False, reference="NL-GTL-2025-01", valid_from=date(2025, 1, 1),
            valid_until=date(2025, 12, 31),
        )  # fmt: skip
    with on(date(2025, 3, 1)):
        old_registration = general_licence_register(actor=exporter_a, licence_id=old.pk)
    with on(date(2026, 1, 5)):
        main = publish(officer, requires_approval=False, reference="NL-GTL-2026-01")
        approval = publish(officer, requires_approval=True, reference="NL-GTL-2026-02")
    with on(date(2026, 1, 20)):
        usage_return_file(actor=exporter_a, registration_id=old_registration.pk, period_start=date(2025, 7, 1),
                          nil_return=False, lines=[line(value_eur=Decimal("700.00"))])  # fmt: skip
    with on(date(2026, 2, 10)):
        alpha = general_licence_register(actor=exporter_a, licence_id=main.pk)
        bravo = general_licence_register(actor=exporter_b, licence_id=main.pk)
    with on(date(2026, 3, 1)):
        suspended = general_licence_register(actor=exporter_a, licence_id=approval.pk)
        general_licence_register(actor=exporter_b, licence_id=approval.pk)
    with on(date(2026, 3, 2)):
        general_licence_registration_decide(actor=officer, registration_id=suspended.pk, approve=True)
    with on(date(2026, 7, 3)):
        usage_return_file(actor=exporter_a, registration_id=alpha.pk, period_start=date(2026, 1, 1), nil_return=False,
                          lines=[line(), line(quantity=Decimal("3"), value_eur=Decimal("1000.00"))])  # fmt: skip
    with on(date(2026, 9, 1)):
        general_licence_registration_suspend(actor=officer, registration_id=suspended.pk, reason="Conditions broken.")
    with on(date(2026, 12, 31)):
        usage_return_file(actor=exporter_a, registration_id=alpha.pk, period_start=date(2026, 7, 1), nil_return=False,
                          lines=[line(ml_category_code="ML10", quantity=Decimal("5"), value_eur=Decimal("500.00"),
                                      country_code="FR")])  # fmt: skip
    with on(date(2027, 1, 2)):
        usage_return_file(actor=exporter_b, registration_id=bravo.pk, period_start=date(2026, 1, 1), nil_return=False,
                          lines=[line(quantity=Decimal("2"), value_eur=Decimal("2000.00"))])  # fmt: skip
    return {"old": old, "main": main, "approval": approval}


def _counts(table):  # type: ignore[no-untyped-def]
    return {row["licence"]: tuple(row[key] for key in COUNTS) for row in table.rows}


def test_annual_report_counts_registrations_and_returns_of_the_year_with_its_boundaries(gl_register):
    with on(date(2027, 2, 1)):
        table = annual_report(year=2026).table("general_licence_registrations")

    assert _counts(table) == {
        # Ended the day before the year: no registration counts, but the return filed in January 2026 does.
        "NL-GTL-2025-01": (0, 0, 0, 0, 0, 1, 0),
        # Alpha's return of 31 December counts; Bravo's first period was overdue at the end of the year.
        "NL-GTL-2026-01": (2, 2, 0, 0, 2, 2, 1),
        # Suspended at the end; a suspended holder files nothing, so nothing is overdue; Bravo's is pending.
        "NL-GTL-2026-02": (1, 1, 1, 0, 1, 0, 0),
    }
    assert [table.footer[0][key] for key in ("registered", "suspended", "returns_filed", "overdue")] == [3, 1, 3, 1]


def test_the_year_before_shows_the_registration_that_ended_on_its_last_day(gl_register):
    with on(date(2027, 2, 1)):
        counts = _counts(registrations_per_licence(first=date(2025, 1, 1), last=date(2025, 12, 31), as_of=None))

    # January-June 2025 was due on 30 July 2025 and never filed; July-December was filed in 2026.
    assert counts == {"NL-GTL-2025-01": (1, 1, 0, 1, 1, 0, 1)}


def test_a_return_filed_the_day_after_the_period_is_not_counted_and_the_period_stays_overdue(gl_register):
    with on(date(2027, 2, 1)):
        counts = _counts(registrations_per_licence(first=date(2026, 7, 1), last=date(2027, 1, 1), as_of=None))
        next_day = _counts(registrations_per_licence(first=date(2026, 7, 1), last=date(2027, 1, 2), as_of=None))

    # Alpha's returns of 3 July and 31 December count in both. Bravo's of 2 January 2027 falls outside a period
    # ending on 1 January (its January-June return is still overdue then), inside one ending on 2 January.
    assert counts["NL-GTL-2026-01"] == (2, 0, 0, 0, 2, 2, 1)
    assert next_day["NL-GTL-2026-01"] == (2, 0, 0, 0, 2, 3, 0)


def test_as_of_a_day_reads_statuses_and_returns_as_they_stood(gl_register):
    with on(date(2027, 2, 1)):
        table = annual_report(year=2026, as_of=end_of_day(date(2026, 7, 2))).table("general_licence_registrations")

    # On 2 July 2026: nobody suspended yet, no return of 2026's periods filed, none due yet (30 July).
    assert _counts(table) == {
        "NL-GTL-2025-01": (0, 0, 0, 0, 0, 1, 0),
        "NL-GTL-2026-01": (2, 2, 0, 0, 2, 0, 0),
        "NL-GTL-2026-02": (1, 1, 0, 0, 1, 0, 0),
    }


def test_a_withdrawn_licence_ends_its_registrations_on_the_day_it_was_withdrawn(officer, gl_register):
    licence = gl_register["main"]
    with on(date(2026, 10, 15)):
        data = {
            "reference": licence.reference, "title": licence.title, "kind": licence.kind,
            "transfer_ground": licence.transfer_ground, "ml_category_codes": ["ML10", "ML15"],
            "destination_codes": ["DE", "FR"], "conditions": licence.conditions, "valid_from": licence.valid_from,
            "valid_until": licence.valid_until, "requires_approval": False, "return_period_months": 6,
            "return_due_days": 30, "status": "withdrawn",
        }  # fmt: skip
        general_licence_update(actor=officer, licence_id=licence.pk, version=licence.version,
                               data=LicenceData(**data), reason="Replaced by a new licence.")  # fmt: skip
    with on(date(2027, 2, 1)):
        counts = _counts(registrations_per_licence(first=date(2026, 1, 1), last=date(2026, 12, 31), as_of=None))
        later = _counts(registrations_per_licence(first=date(2026, 10, 16), last=date(2026, 12, 31), as_of=None))

    assert counts["NL-GTL-2026-01"][:4] == (2, 2, 0, 2)
    assert "NL-GTL-2026-01" in later and later["NL-GTL-2026-01"][0] == 0  # its December return still counts
    assert later["NL-GTL-2026-01"][5] == 1


def test_confidential_report_names_each_company_and_what_it_reported(gl_register, django_assert_max_num_queries):
    with on(date(2027, 2, 1)), django_assert_max_num_queries(12):
        report = general_licence_registrations(date_from=date(2026, 1, 1), date_to=date(2026, 12, 31))

    assert report.confidential
    companies = [
        (r["licence"], r["company"], r["status"], r["active_from"], r["returns_filed"], r["overdue"], r["lines"],
         r["value_eur"])
        for r in report.table("companies").rows
    ]  # fmt: skip
    assert companies == [
        ("NL-GTL-2026-01", "Alpha Defence B.V.", "Registered", date(2026, 2, 10), 2, 0, 3, Decimal("85500.00")),
        # Bravo's return for January-June, filed in January 2027, is what it reported for 2026.
        ("NL-GTL-2026-01", "Bravo Systems B.V.", "Registered", date(2026, 2, 10), 0, 1, 1, Decimal("2000.00")),
        ("NL-GTL-2026-02", "Alpha Defence B.V.", "Suspended", date(2026, 3, 2), 0, 0, 0, Decimal("0.00")),
    ]
    usage = report.table("usage")
    assert [(r["company"], r["ml"], r["country"], r["unit"], r["quantity"], r["value_eur"]) for r in usage.rows] == [
        ("Alpha Defence B.V.", "ML10", "France", "pcs", Decimal("5.000"), Decimal("500.00")),
        ("Alpha Defence B.V.", "ML15", "Germany", "pcs", Decimal("15.000"), Decimal("85000.00")),
        ("Bravo Systems B.V.", "ML15", "Germany", "pcs", Decimal("2.000"), Decimal("2000.00")),
    ]
    assert (usage.footer[0]["lines"], usage.footer[0]["value_eur"]) == (4, Decimal("87500.00"))


def test_confidential_report_costs_the_same_queries_with_more_registrations(
    officer, exporter_b, gl_register, django_assert_num_queries
):
    with on(date(2027, 2, 1)), CaptureQueriesContext(connection) as before:
        general_licence_registrations(date_from=date(2026, 1, 1), date_to=date(2026, 12, 31))
    with on(date(2026, 4, 1)):
        extra = publish(officer, requires_approval=False, reference="NL-GTL-2026-03")
        general_licence_register(actor=exporter_b, licence_id=extra.pk)
    with on(date(2027, 2, 1)), django_assert_num_queries(len(before.captured_queries)):
        general_licence_registrations(date_from=date(2026, 1, 1), date_to=date(2026, 12, 31))


def test_report_page_and_xlsx_for_officers_only(client_for, officer, analyst, gl_register):
    url = "/reports/general-licence-registrations/?date_from=2026-01-01&date_to=2026-12-31"
    with on(date(2027, 2, 1)):
        page = client_for(officer).get(url)
        assert client_for(analyst).get(url).status_code == 403
        workbook = openpyxl.load_workbook(
            io.BytesIO(
                report_xlsx(general_licence_registrations(date_from=date(2026, 1, 1), date_to=date(2026, 12, 31)))
            )
        )

    assert page.status_code == 200
    assert "Bravo Systems B.V." in page.content.decode()
    assert workbook.sheetnames[:3] == ["General licence registrations", "Companies", "Usage"]
