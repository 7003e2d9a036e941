"""The yardsticks of the monthly overview and the UN Register report (bench/monthly_sql.py, bench/un_register_sql.py)
give the reports' numbers on a register built by hand with what the bulk data lacks, at the boundaries of a month
and a year in the register's time zone (Europe/Amsterdam: UTC+1 in winter, UTC+2 from 31 March 2024 01:00 UTC).

Alpha Defence B.V., 2024 (local times unless UTC is written):
  LA  SE  issued 1 April 10:00; one goods line; surrendered 15 April
  LB  FR  issued 31 March 23:30 UTC = 1 April 01:30: April. A treaty component transfer, not de minimis, final
          system to the United Kingdom and the United States; two goods lines, the second produced in Germany
  LC  US  issued 31 March 21:30 UTC = 31 March 23:30: March; revoked 30 April 21:59 UTC = 23:59: April
  LD  DE  issued 10 February; revoked 30 April 22:30 UTC = 1 May 00:30: May
  R1  SA  proposed 28 March, countersigned 1 April 09:00: refused in April; two goods lines, criteria 1 and 4
  R2  IN  refused 30 April 22:30 UTC = 1 May 00:30: May
  LE  GB  issued 31 December 23:30 UTC = 1 January 2025 00:30, UN Register category IV: 2025, not 2024
LA and LB are issued on the same day: the overview lists them by reference (LA's is the lower), not by the time.
Nothing here asserts a time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from bench.monthly_sql import monthly_numbers, monthly_sql
from bench.reports_sql import differences
from bench.un_register_sql import un_register_numbers, un_register_sql
from licensing.models import LicenceStatus, LicenceType
from reports.queries.monthly import monthly_overview
from reports.queries.un_register import un_register_report
from tests.reports import builders as b
from tests.reports.test_end_destinations import treaty_transfer

pytestmark = pytest.mark.django_db


def utc(moment: str) -> datetime:
    return datetime.fromisoformat(moment).replace(tzinfo=UTC)


def _status(licence: Any, status: str, when: datetime) -> None:
    licence.status = status
    b.saved(licence, when)


@pytest.fixture
def month_ends(org_a: Any, officer: Any, senior: Any) -> dict[str, Any]:
    common = {"organisation": org_a, "officer": officer}
    la = b.licence(**common, destination="SE", issued="2024-04-01", goods=[("ML5", "70000")], received="2024-03-01")
    lb = b.licence(**common, destination="FR", issued="2024-04-01", goods=[("ML10", "30000"), ("ML4", "12000")],
                   received="2024-03-01", licence_type=LicenceType.TREATY_COMPONENT,
                   moment=utc("2024-03-31T23:30"))  # fmt: skip
    second = lb.application.goods.get(position=2)
    second.production_country_id = "DE"
    b.saved(second, lb.issued_at)
    treaty_transfer(lb, de_minimis=False, end_destinations=["US", "GB"])
    lc = b.licence(**common, destination="US", issued="2024-03-31", goods=[("ML10", "1000000")],
                   received="2024-03-01", moment=utc("2024-03-31T21:30"))  # fmt: skip
    ld = b.licence(**common, destination="DE", issued="2024-02-10", goods=[("ML5", "80000")], received="2024-01-15")
    r1 = b.refusal(**common, destination="SA", decided="2024-03-28", goods=[("ML4", "500000"), ("ML10", "100000")],
                   criteria=[1, 4], sub_criteria="1a", received="2024-03-01")  # fmt: skip
    r1.countersigned_by, r1.countersigned_at = senior, b.at("2024-04-01", 9)
    b.saved(r1, r1.countersigned_at)
    b.refusal(**common, destination="IN", decided="2024-04-30", goods=[("ML15", "20000")], criteria=[7],
              received="2024-04-01", moment=utc("2024-04-30T22:30"))  # fmt: skip
    _status(la, LicenceStatus.SURRENDERED, b.at("2024-04-15"))
    _status(lc, LicenceStatus.REVOKED, utc("2024-04-30T21:59"))
    _status(ld, LicenceStatus.REVOKED, utc("2024-04-30T22:30"))
    return {"la": la, "lb": lb, "lc": lc, "ld": ld, "r1": r1}


@pytest.mark.parametrize(("month", "confidential"), [(3, False), (4, False), (4, True), (5, True), (6, False)])
def test_monthly_sql_gives_the_overviews_rows_and_counts(month_ends: Any, month: int, confidential: bool) -> None:
    report = monthly_overview(year=2024, month=month, confidential=confidential)

    assert differences(monthly_numbers(report), monthly_sql(2024, month, confidential=confidential)) == []


def test_a_licence_issued_at_2330_utc_on_the_last_day_of_march_is_in_aprils_overview(month_ends: Any) -> None:
    la, lb, lc, r1 = (month_ends[k] for k in ("la", "lb", "lc", "r1"))
    april = monthly_overview(year=2024, month=4, confidential=True)
    march = monthly_overview(year=2024, month=3, confidential=True)

    rows = april.table("decisions").rows
    assert [(r["date"], r["decision"], r["reference"], r["value_eur"]) for r in rows] == [
        (date(2024, 4, 1), "Issued", la.number, 70000),
        (date(2024, 4, 1), "Issued", lb.number, 30000),
        (date(2024, 4, 1), "Issued", lb.number, 12000),
        (date(2024, 4, 1), "Refused", r1.application.reference, 500000),
        (date(2024, 4, 1), "Refused", r1.application.reference, 100000),
        (date(2024, 4, 30), "Revoked", lc.number, 1000000),
    ]
    assert la.number < lb.number and la.issued_at > lb.issued_at
    assert [(r["origin"], r["final_destinations"], r["de_minimis"]) for r in rows[1:3]] == [
        ("NL", "United Kingdom, United States", "No"),
        ("DE", "United Kingdom, United States", "No"),
    ]
    assert rows[3]["criteria"] == "1, 4"
    assert {r["decision"]: r["count"] for r in april.table("summary").rows} == {"Issued": 2, "Refused": 1, "Revoked": 1}
    assert {r["change"]: r["count"] for r in april.table("changes").rows}["Licences surrendered"] == 1
    assert [(r["date"], r["reference"]) for r in march.table("decisions").rows] == [(date(2024, 3, 31), lc.number)]
    # The moments after 22:00 UTC on 30 April are on 1 May in Amsterdam.
    may = monthly_sql(2024, 5)["decisions"]
    assert [(row[0], row[1]) for row in may.values()] == [(date(2024, 5, 1), "Refused"), (date(2024, 5, 1), "Revoked")]


@pytest.fixture
def new_year(org_a: Any, officer: Any) -> Any:
    common = {"organisation": org_a, "officer": officer}
    first = b.licence(**common, destination="US", issued="2024-06-03", goods=[("ML10", "400000"), ("ML5", "5000")],
                      received="2024-05-01")  # fmt: skip
    line = first.application.goods.get(position=1)
    line.un_register_category_id = "IV"
    b.saved(line, first.issued_at)
    b.shipment(licence=first, line=0, shipped_on="2024-12-31", value="100000", recorded_by=officer)
    b.shipment(licence=first, line=1, shipped_on="2025-01-01", value="2000", recorded_by=officer)
    late = b.licence(**common, destination="GB", issued="2025-01-01", goods=[("ML10", "90000")],
                     received="2024-12-01", moment=utc("2024-12-31T23:30"))  # fmt: skip
    late_line = late.application.goods.get()
    late_line.un_register_category_id = "IV"
    b.saved(late_line, late.issued_at)
    return late


def test_un_register_sql_gives_the_reports_numbers_and_2330_utc_on_31_december_is_next_year(new_year: Any) -> None:
    reports = {year: un_register_report(year=year) for year in (2024, 2025)}

    for year, report in reports.items():
        assert differences(un_register_numbers(report), un_register_sql(year)) == []
    categories = {year: {r["destination"] for r in report.table("by_category_destination").rows if r["licences"]}
                  for year, report in reports.items()}  # fmt: skip
    assert categories == {2024: {"United States"}, 2025: {"United Kingdom"}}
    assert un_register_sql(2024)["by_category"][("IV Combat aircraft",)] == (1, 1, 400000, 0.5, 100000)
