"""The processing-times report counts decisions on objections per outcome, and how many met the Awb 7:10 term."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine

from licensing.services import objections as svc
from reports.queries.processing import processing_times
from tests.licensing.objections.builders import AMSTERDAM, refused_on

pytestmark = pytest.mark.django_db


def _on(day: date):  # type: ignore[no-untyped-def]
    return time_machine.travel(datetime(day.year, day.month, day.day, 12, tzinfo=AMSTERDAM), tick=False)


def _objection_decided(*, day_sent: int, decided: date, outcome: str, exporter, officer, senior, handler):  # type: ignore[no-untyped-def]
    application = refused_on(datetime(2026, 3, day_sent, 10), exporter=exporter, officer=officer, senior=senior)
    with _on(date(2026, 4, 1)):
        objection = svc.decision_objection_file(actor=exporter, application_id=application.pk, grounds="No.")
        svc.decision_objection_record_hearing(
            actor=handler, objection_id=objection.pk, held_on=date(2026, 4, 1), record_text="Heard."
        )
    with _on(decided):
        svc.decision_objection_decide(actor=handler, objection_id=objection.pk, outcome=outcome, reasons="Reasons.")
    return objection


def test_objections_are_counted_per_outcome_with_those_decided_within_the_term(exporter_a, officer, senior, officer2):
    # Both refusals were sent on Tuesday 3 March 2026: objection term to 14 April, decision term to 26 May.
    people = {"exporter": exporter_a, "officer": officer, "senior": senior, "handler": officer2}
    _objection_decided(day_sent=3, decided=date(2026, 5, 26), outcome="revoked", **people)  # last day: in time
    _objection_decided(day_sent=3, decided=date(2026, 5, 27), outcome="upheld", **people)  # a day late
    report = processing_times(date_from=date(2026, 5, 1), date_to=date(2026, 5, 31))
    table = next(t for t in report.tables if t.key == "objections")
    assert [(r["outcome"], r["decided"], r["within_term"]) for r in table.rows] == [
        ("Unfounded: the decision is upheld", 1, 0),
        ("Partly founded: the decision is changed", 0, 0),
        ("Founded: the decision is revoked", 1, 1),
    ]
    assert table.footer[0]["decided"] == 2 and table.footer[0]["share"] == Decimal("50.0")
    # A period that ends before the second decision counts only the first.
    earlier = processing_times(date_from=date(2026, 5, 1), date_to=date(2026, 5, 26))
    assert next(t for t in earlier.tables if t.key == "objections").footer[0]["decided"] == 1
