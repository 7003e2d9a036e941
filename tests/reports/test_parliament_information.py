"""Accelerated information to parliament (licensing/parliament_rules.py): approvals of complete systems ABOVE
€2 million to destinations outside the EU and NATO (membership on the decision date) and the equivalent states
are flagged when taken, with a Dutch draft letter, a deadline and reminders until the letter is marked sent.

"Above" is strict: sources.md, transparency instruments: "accelerated reporting to parliament ABOVE a €2 million
threshold" [S26]. So €2,000,000.00 is not flagged and €2,000,001.00 (one euro over) is.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from audit.models import AuditEvent, Verb
from core.models import DeadlineReminder, ReminderKind
from core.reminders import reminders_send
from licensing.models import Application, DecisionStatus, Licence
from licensing.models.parliament import ParliamentInformation, ParliamentInformationRule, ParliamentInformationStatus
from licensing.parliament_rules import accelerated_information_finding, destinations_outside, rule_in_force
from licensing.services import casework
from licensing.services.parliament import (
    ERR_SENT_BEFORE_DECISION,
    ERR_SENT_IN_FUTURE,
    parliament_information_mark_sent,
)
from licensing.services.reminders import parliament_letter_deadlines
from tests.factories import criteria_clear
from tests.licensing.assessment.helpers import case_in_review

pytestmark = pytest.mark.django_db

THRESHOLD = Decimal("2000000.00")


def _case(officer: Any, *, destination: str, values: list[str], components: tuple[int, ...] = ()) -> Application:
    """A case under review to `destination` whose goods lines are worth `values` (EUR); lines whose index is in
    `components` are components for integration."""
    application = case_in_review(officer=officer, destination=destination, end_user="Ministry of Defence")
    line = application.goods.get()
    for index, value in enumerate(values):
        if index:
            line.pk = None
            line.position = index + 1
        line.value_eur = Decimal(value)
        line.unit_value = Decimal(value)
        line.quantity = Decimal(1)
        line.is_component = index in components
        line.save()
    application.total_value_eur = sum((Decimal(v) for v in values), Decimal(0))
    application.save(update_fields=["total_value_eur"])
    criteria_clear(application, assessor=officer)
    return application


def _approve(application: Application, officer: Any, senior: Any) -> Application:
    today = timezone.localdate()
    decision = casework.decision_propose(
        actor=officer,
        application_id=application.pk,
        outcome="approve",
        justification="No concerns under the eight criteria.",
        valid_from=today,
        valid_until=today + timedelta(days=365),
    )
    if decision.status == DecisionStatus.PROPOSED:
        casework.decision_countersign(actor=senior, decision_id=decision.pk)
    return Application.objects.get(pk=application.pk)


# --- The rule, at its boundaries ------------------------------------------------------------------------------


def test_licence_one_euro_above_the_threshold_to_a_third_country_is_flagged_when_approved(
    officer, senior, django_capture_on_commit_callbacks
):
    case = _case(officer, destination="IN", values=["2000001.00"])
    with django_capture_on_commit_callbacks(execute=True):
        application = _approve(case, officer, senior)

    flag = ParliamentInformation.objects.get(application=application)
    today = timezone.localdate()
    assert flag.value_eur == Decimal("2000001.00")
    assert flag.destinations == ["IN"]
    assert flag.decided_on == today
    assert flag.due_on == today + timedelta(days=14)  # the rule's letter_due_days
    assert flag.licence == Licence.objects.get(application=application)
    assert flag.status == ParliamentInformationStatus.DUE
    event = AuditEvent.objects.get(verb=Verb.PARLIAMENT_INFORMATION_DUE, target_id=str(application.pk))
    assert event.payload["destinations"] == ["IN"]
    # Tests run Celery eagerly: the draft letter was rendered once the decision committed, and kept.
    flag.refresh_from_db()
    assert flag.letter and len(flag.letter_sha256) == 64


def test_licence_exactly_at_the_threshold_is_not_flagged(officer, senior):
    application = _approve(_case(officer, destination="IN", values=["1500000.00", "500000.00"]), officer, senior)

    assert application.status == "approved"
    assert not ParliamentInformation.objects.filter(application=application).exists()


def test_destination_inside_nato_is_not_flagged_however_large(officer, senior):
    # Norway: NATO member, not in the EU.
    application = _approve(_case(officer, destination="NO", values=["9000000.00"]), officer, senior)

    assert application.status == "approved"
    assert not ParliamentInformation.objects.filter(application=application).exists()


def test_equivalent_state_is_not_flagged(officer, senior):
    # Australia: neither EU nor NATO, but one of the states equivalent to them (AU, JP, NZ, CH).
    application = _approve(_case(officer, destination="AU", values=["9000000.00"]), officer, senior)

    assert not ParliamentInformation.objects.filter(application=application).exists()


def test_components_are_not_complete_systems_and_do_not_count(officer, senior):
    # 1,999,999 of complete systems + 3,000,000 of components: only the complete systems count, under the threshold.
    application = _approve(
        _case(officer, destination="IN", values=["1999999.00", "3000000.00"], components=(1,)), officer, senior
    )

    assert not ParliamentInformation.objects.filter(application=application).exists()
    with connection.cursor() as cursor:  # the counted value, by hand
        cursor.execute(
            "SELECT SUM(value_eur) FROM licensing_goodsline WHERE application_id = %s AND NOT is_component",
            [application.pk],
        )
        assert cursor.fetchone()[0] == Decimal("1999999.00")


def test_membership_is_taken_on_the_decision_date():
    # North Macedonia joined NATO on 2020-03-27 (data/reference/memberships.csv): outside the day before, inside on
    # the day itself, and never in the EU.
    rule = rule_in_force(date(2020, 3, 26))
    assert rule is not None
    assert destinations_outside({"MK"}, rule, date(2020, 3, 26)) == ("MK",)
    assert destinations_outside({"MK"}, rule, date(2020, 3, 27)) == ()
    # The United Kingdom left the EU on 2020-01-31 but stays in NATO: never outside.
    assert destinations_outside({"GB"}, rule, date(2020, 2, 1)) == ()


def test_finding_for_a_case_follows_the_decision_date(officer):
    application = _case(officer, destination="MK", values=["2500000.00"])

    before = accelerated_information_finding(application, on=date(2020, 3, 26))
    assert before is not None and before.destinations == ("MK",) and before.value_eur == Decimal("2500000.00")
    assert before.due_on == date(2020, 4, 9)
    assert accelerated_information_finding(application, on=date(2020, 3, 27)) is None


def test_threshold_is_data_an_administrator_can_change(officer, senior):
    ParliamentInformationRule.objects.update(value_threshold_eur=Decimal("1000000.00"))
    application = _approve(_case(officer, destination="IN", values=["1000000.01"]), officer, senior)

    assert ParliamentInformation.objects.get(application=application).value_eur == Decimal("1000000.01")


def test_refusal_is_never_flagged(officer, senior):
    application = _case(officer, destination="IN", values=["5000000.00"])
    decision = casework.decision_propose(
        actor=officer, application_id=application.pk, outcome="refuse", criteria=[7], justification="Diversion risk."
    )
    if decision.status == DecisionStatus.PROPOSED:
        casework.decision_countersign(actor=senior, decision_id=decision.pk)

    assert not ParliamentInformation.objects.exists()


# --- The letter, the deadline and its reminders ---------------------------------------------------------------


def test_draft_letter_is_dutch_and_names_no_company(officer, senior, django_capture_on_commit_callbacks):
    case = _case(officer, destination="IN", values=["2000001.00"])
    with override_settings(LANGUAGE_CODE="nl"), translation.override("en"):
        with django_capture_on_commit_callbacks(execute=True):
            application = _approve(case, officer, senior)
        flag = ParliamentInformation.objects.get(application=application)
        with flag.letter.open("rb") as handle:
            text = " ".join(
                " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(handle.read())).pages
            )
    assert "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal" in text
    assert "India" in text
    assert "€ 2.000.001,00" in text
    assert application.organisation.name not in text


def test_reminders_continue_after_the_due_day_until_the_letter_is_marked_sent(officer, senior, analyst):
    application = _approve(_case(officer, destination="IN", values=["3000000.00"]), officer, senior)
    flag = ParliamentInformation.objects.get(application=application)

    week_before = reminders_send(deadlines=parliament_letter_deadlines(flag.due_on - timedelta(days=7)),
                                 today=flag.due_on - timedelta(days=7))  # fmt: skip
    three_weeks_late = flag.due_on + timedelta(days=21)
    late = reminders_send(deadlines=parliament_letter_deadlines(three_weeks_late), today=three_weeks_late)
    assert (week_before.sent, late.sent) == (1, 1)
    assert list(
        DeadlineReminder.objects.filter(kind=ReminderKind.PARLIAMENT_LETTER)
        .order_by("sent_at")
        .values_list("offset_days", flat=True)
    ) == [7, -21]

    parliament_information_mark_sent(actor=analyst, pk=flag.pk, sent_on=timezone.localdate(), reference="22054-999")

    four_weeks_late = flag.due_on + timedelta(days=28)
    assert parliament_letter_deadlines(four_weeks_late) == []


def test_mark_sent_refuses_a_date_before_the_decision_or_in_the_future(officer, senior, analyst):
    from core.exceptions import DomainValidationError

    application = _approve(_case(officer, destination="IN", values=["3000000.00"]), officer, senior)
    flag = ParliamentInformation.objects.get(application=application)
    for day, message in (
        (flag.decided_on - timedelta(days=1), ERR_SENT_BEFORE_DECISION),
        (timezone.localdate() + timedelta(days=1), ERR_SENT_IN_FUTURE),
    ):
        with pytest.raises(DomainValidationError) as caught:
            parliament_information_mark_sent(actor=analyst, pk=flag.pk, sent_on=day, reference="x")
        assert caught.value.field_errors == {"sent_on": [str(message)]}


# --- The list page ----------------------------------------------------------------------------------------------


def test_list_page_shows_flags_to_reporting_staff_and_marks_a_letter_sent(
    officer, senior, analyst, client_for, django_assert_max_num_queries
):
    flagged = [_approve(_case(officer, destination="IN", values=["2500000.00"]), officer, senior) for _ in range(3)]
    client = client_for(analyst)

    with django_assert_max_num_queries(12):
        page = client.get(reverse("reports:parliament_list"))
    assert page.status_code == 200
    body = page.content.decode()
    for application in flagged:
        assert application.reference in body

    flag = ParliamentInformation.objects.get(application=flagged[0])
    detail = reverse("reports:parliament_detail", args=[flag.pk])
    bad = client.post(detail, {"sent_on": "", "reference": "", "version": flag.version})
    assert bad.status_code == 400
    assert "This field is required." in bad.content.decode()
    late = client.post(
        detail,
        {"sent_on": (timezone.localdate() + timedelta(days=2)).isoformat(), "reference": "x", "version": flag.version},
    )
    assert late.status_code == 400 and str(ERR_SENT_IN_FUTURE) in late.content.decode()
    done = client.post(
        detail, {"sent_on": timezone.localdate().isoformat(), "reference": "22054-402", "version": flag.version}
    )
    assert done.status_code == 302
    flag.refresh_from_db()
    assert (flag.status, flag.sent_reference, flag.sent_by) == ("sent", "22054-402", analyst)

    # No stored letter yet (the decision's on-commit render did not run in this test): 202 and the render is queued;
    # Celery runs eagerly here, so the next request downloads it.
    url = reverse("reports:parliament_letter", args=[flag.pk])
    assert client.get(url).status_code == 202
    letter = client.get(url)
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"


def test_list_page_is_closed_to_exporters(exporter_a, client_for):
    assert client_for(exporter_a).get(reverse("reports:parliament_list")).status_code == 403
