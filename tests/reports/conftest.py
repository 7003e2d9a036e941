"""The hand-made register every report test counts. Its figures are worked out by hand in the tests.

2024, all by Alpha Defence B.V. (values in EUR):
  L1  SE  issued 2024-02-01  ML5 100 000               Sweden NOT yet in NATO (joined 2024-03-07); EU member
  L2  SE  issued 2024-04-01  ML5 200 000 + ML11 50 000  Sweden in NATO and EU
  L3  US  issued 2024-03-15  ML10 1 000 000            NATO, not EU; shipment 300 000 on 2024-06-01
  L4  IN  issued 2024-05-10  ML15 40 000               neither; shipment 10 000 on 2024-07-01; revoked 2024-09-02
  L5  --  issued 2024-06-20  ML15 60 000               global licence, several destinations
  L6  DE  issued 2023-11-05  ML5 80 000                previous year; shipment 20 000 on 2024-02-10
  L7  FR  issued 2024-08-08  ML10 30 000               treaty component transfer; EU, NATO, treaty
  R1  SA  refused 2024-03-20 ML4 500 000 + ML10 100 000, criteria 2 and 7 (sub-criterion 2c)
  R2  IN  refused 2024-10-01 ML15 20 000, criterion 7
  O1  NO  open, received 2024-12-02;  O2  NO  open, received 2024-09-02
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from licensing.models import LicenceType

from . import builders as b


@pytest.fixture
def register(org_a, officer):  # type: ignore[no-untyped-def]
    common = {"organisation": org_a, "officer": officer}
    ns = SimpleNamespace()
    ns.l1 = b.licence(**common, destination="SE", issued="2024-02-01", goods=[("ML5", "100000")],
                      received="2024-01-10", suspended_days=7)  # fmt: skip
    ns.l2 = b.licence(**common, destination="SE", issued="2024-04-01", goods=[("ML5", "200000"), ("ML11", "50000")],
                      received="2024-03-11")  # fmt: skip
    ns.l3 = b.licence(**common, destination="US", issued="2024-03-15", goods=[("ML10", "1000000")],
                      received="2024-02-15")  # fmt: skip
    ns.l4 = b.licence(**common, destination="IN", issued="2024-05-10", goods=[("ML15", "40000")],
                      received="2024-04-15")  # fmt: skip
    ns.l5 = b.licence(**common, destination=None, issued="2024-06-20", goods=[("ML15", "60000")],
                      received="2024-05-21", licence_type=LicenceType.GLOBAL_EXPORT)  # fmt: skip
    ns.l6 = b.licence(**common, destination="DE", issued="2023-11-05", goods=[("ML5", "80000")],
                      received="2023-10-02")  # fmt: skip
    ns.l7 = b.licence(**common, destination="FR", issued="2024-08-08", goods=[("ML10", "30000")],
                      received="2024-07-29", licence_type=LicenceType.TREATY_COMPONENT)  # fmt: skip
    ns.r1 = b.refusal(**common, destination="SA", decided="2024-03-20", goods=[("ML4", "500000"), ("ML10", "100000")],
                      criteria=[2, 7], sub_criteria="2c", received="2024-03-01")  # fmt: skip
    ns.r2 = b.refusal(**common, destination="IN", decided="2024-10-01", goods=[("ML15", "20000")], criteria=[7],
                      received="2024-09-09")  # fmt: skip
    ns.o1 = b.open_case(**common, destination="NO", received="2024-12-02")
    ns.o2 = b.open_case(**common, destination="NO", received="2024-09-02")
    b.shipment(licence=ns.l3, line=0, shipped_on="2024-06-01", value="300000", recorded_by=officer)
    b.shipment(licence=ns.l4, line=0, shipped_on="2024-07-01", value="10000", recorded_by=officer)
    b.shipment(licence=ns.l6, line=0, shipped_on="2024-02-10", value="20000", recorded_by=officer)
    b.revoke(ns.l4, on="2024-09-02")
    return ns
