"""A final refusal becomes an outgoing denial notification and a refusal letter; revocations likewise; received
denials are entered by hand or imported from CSV."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone
from pypdf import PdfReader

from core.exceptions import DomainValidationError
from licensing.models import Licence, LicenceStatus
from licensing.models.assessment import RefusalLetter
from licensing.models.denials import DenialDirection, DenialNotification, DenialSource, DenialStatus
from licensing.services import casework
from licensing.services.denials import (
    ERR_HOME_STATE,
    ERR_NOT_MEMBER_STATE,
    ERR_REVOKE_CRITERIA,
    denial_record_incoming,
    denial_withdraw,
    denials_import_csv,
    licence_revoke_with_criteria,
)
from licensing.tasks import refusal_letter_render

from .helpers import assess_all, case_in_review

pytestmark = pytest.mark.django_db

# Sent on Tuesday 24 March 2026: six weeks later is Tuesday 5 May, a holiday under the Atw (art. 3(1): 5 May
# every year), so the objection term runs on to Wednesday 6 May 2026.
SENT_ON = date(2026, 3, 24)
LAST_OBJECTION_DAY = date(2026, 5, 6)


def _refuse(application, officer, senior):  # type: ignore[no-untyped-def]
    decision = casework.decision_propose(
        actor=officer,
        application_id=application.pk,
        outcome="refuse",
        criteria=[2, 7],
        sub_criteria="2a",
        justification="Clear risk of use in internal repression; the end-use statement allows re-export.",
    )
    return casework.decision_countersign(actor=senior, decision_id=decision.pk)


@time_machine.travel(SENT_ON, tick=False)
def test_refusal_becomes_an_outgoing_denial_notification_citing_its_criteria(officer, senior):
    application = case_in_review(
        officer=officer,
        destination="SA",
        end_user="Saudi Arabian National Guard",
        goods="Uncooled thermal weapon sight",
        ml="ML15",
    )

    decision = _refuse(application, officer, senior)

    denial = DenialNotification.objects.get(application=application)
    assert denial.direction == DenialDirection.OUTGOING and denial.issuing_state_id == "NL"
    assert denial.reference == "NL-DEN-2026-00001"
    assert (denial.notified_on, denial.destination_id, denial.ml_category_id) == (SENT_ON, "SA", "ML15")
    assert denial.end_user == "Saudi Arabian National Guard"
    assert denial.goods_description == "Uncooled thermal weapon sight"
    assert [c.number for c in denial.criteria.order_by("number")] == [2, 7]
    assert denial.sub_criteria == "2a" and denial.decision == decision


@time_machine.travel(SENT_ON, tick=False)
def test_refusal_letter_pdf_names_the_criteria_and_the_last_day_to_object(officer, senior):
    application = case_in_review(officer=officer, destination="SA", end_user="Saudi Arabian National Guard")

    _refuse(application, officer, senior)

    letter = RefusalLetter.objects.get(application=application)
    assert letter.objection_deadline == LAST_OBJECTION_DAY
    assert not letter.document  # rendered by Celery after the countersignature commits, never in the request
    assert refusal_letter_render(letter.pk) == "rendered"
    letter.refresh_from_db()
    with letter.document.open("rb") as handle:
        content = handle.read()
    import hashlib

    assert hashlib.sha256(content).hexdigest() == letter.sha256
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)
    assert "Criterion 2: Human rights and international humanitarian law" in text
    assert "Criterion 7: Risk of diversion or re-export" in text
    assert "Sub-criteria: 2a" in text
    assert "Wednesday 6 May 2026" in text
    assert "Awb" in text and "6:7" in text
    assert application.reference in text


def test_revocation_cites_criteria_and_creates_a_denial_notification(officer):
    application = case_in_review(officer=officer)
    assess_all(application, officer)
    today = date.today()
    casework.decision_propose(
        actor=officer,
        application_id=application.pk,
        outcome="approve",
        justification="Ok.",
        valid_from=today,
        valid_until=today + timedelta(days=365),
    )
    licence = Licence.objects.get(application=application)

    revoked, [denial] = licence_revoke_with_criteria(
        actor=officer, licence_id=licence.pk, reason="The end user was found to re-export.", criteria=[7]
    )

    assert revoked.status == LicenceStatus.REVOKED
    assert denial.revoked_licence == licence and denial.direction == DenialDirection.OUTGOING
    assert [c.number for c in denial.criteria.all()] == [7]


def test_revocation_is_refused_before_anything_changes_when_no_criteria_are_cited(officer):
    with pytest.raises(DomainValidationError, match=str(ERR_REVOKE_CRITERIA)):
        licence_revoke_with_criteria(actor=officer, licence_id=0, reason="Re-export.", criteria=[])


def _row(**overrides):  # type: ignore[no-untyped-def]
    return {
        "reference": "DE-2025-17",
        "issuing_state": "DE",
        "notified_on": "2025-02-03",
        "destination": "IN",
        "ml_category": "ML5",
        "goods_description": "Radar spares",
        "quantity": "",
        "consignee": "",
        "end_user": "Indian Navy",
        "end_use": "",
        "criteria": "7",
        "sub_criteria": "",
        "reason": "",
        **overrides,
    }


def test_received_denial_is_refused_when_the_issuing_state_was_not_an_eu_member_on_its_date(officer):
    with pytest.raises(DomainValidationError) as exc:
        denial_record_incoming(actor=officer, row=_row(issuing_state="GB", notified_on="2021-03-01"))

    assert exc.value.field_errors["issuing_state"] == [ERR_NOT_MEMBER_STATE.format(state="GB", day="1 March 2021")]


def test_received_denial_from_the_uk_is_accepted_when_dated_before_brexit(officer):
    denial = denial_record_incoming(actor=officer, row=_row(issuing_state="GB", notified_on="2020-01-31"))

    assert denial.direction == DenialDirection.INCOMING and denial.source == DenialSource.MANUAL


def test_received_denial_cannot_claim_to_be_ours(officer):
    with pytest.raises(DomainValidationError) as exc:
        denial_record_incoming(actor=officer, row=_row(issuing_state="NL"))

    assert exc.value.field_errors["issuing_state"] == [ERR_HOME_STATE]


CSV = """# received denials, test file
reference,issuing_state,notified_on,destination,ml_category,goods_description,quantity,consignee,end_user,end_use,criteria,sub_criteria,reason
FR-1,FR,2025-01-10,SA,ML15,Thermal sights,500 pcs,SANG,Saudi Arabian National Guard,Infantry,2;7,2a,Repression risk
SE-2,SE,2025-02-11,AE,ML10,Gimbal mounts,6 pcs,,UAE Joint Aviation Command,,2 4,2c,
"""


def test_csv_import_creates_each_row_once_when_imported_twice(officer):
    first = denials_import_csv(actor=officer, lines=io.StringIO(CSV))
    second = denials_import_csv(actor=officer, lines=io.StringIO(CSV))

    assert (first.created, second.created, second.skipped) == (["FR FR-1", "SE SE-2"], [], ["FR FR-1", "SE SE-2"])
    fr = DenialNotification.objects.get(reference="FR-1")
    assert [c.number for c in fr.criteria.order_by("number")] == [2, 7] and fr.source == DenialSource.CSV_IMPORT


def test_csv_import_refuses_the_whole_file_when_a_row_is_invalid(officer):
    bad = CSV + "XX-3,FR,2025-03-01,ZZ,ML99,Thing,,,Someone,,9,,\n"

    with pytest.raises(DomainValidationError) as exc:
        denials_import_csv(actor=officer, lines=io.StringIO(bad))

    assert "Row 3, destination: Unknown country code 'ZZ'." in exc.value.field_errors["file"]
    assert "Row 3, ml_category: Unknown Military List category 'ML99'." in exc.value.field_errors["file"]
    assert not DenialNotification.objects.exists()


def test_withdrawn_denial_keeps_its_row_with_the_reason(officer):
    denial = denial_record_incoming(actor=officer, row=_row())

    denial_withdraw(actor=officer, denial_id=denial.pk, reason="Germany revoked its denial on appeal.")

    denial.refresh_from_db()
    assert (denial.status, denial.status_reason) == (DenialStatus.WITHDRAWN, "Germany revoked its denial on appeal.")


def test_refusal_without_criteria_gets_a_letter_but_no_art4_denial_notification(officer, senior):
    from licensing.models import Decision
    from licensing.services.denials import refusal_record

    application = case_in_review(officer=officer)
    decision = Decision.objects.create(
        application=application,
        outcome="refuse",
        status="final",
        justification="National security.",
        refusal_ground="national_security",
        proposed_by=officer,
        proposed_at=timezone.now(),
    )

    refusal_record(decision=decision, application=application, actor=senior)

    assert not DenialNotification.objects.filter(application=application).exists()
    assert RefusalLetter.objects.filter(application=application).exists()


@time_machine.travel(SENT_ON, tick=False)
def test_countersigning_a_refusal_renders_no_pdf_and_the_exporter_sees_it_being_prepared_until_the_task_ran(
    officer, senior, exporter_a, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    """Issue 14: PDFs only ever rendered by Celery. The countersignature records the letter; the PDF is made by
    `licensing.tasks.refusal_letter_render` after the commit; meanwhile the download says "being prepared" (202)."""
    from django.urls import reverse

    import licensing.services.denials as denials_module
    import licensing.views.assessment_denials as letter_views

    application = case_in_review(officer=officer, organisation=exporter_a.organisation, destination="SA")
    rendered: list[str] = []
    real_render = denials_module.render_pdf
    monkeypatch.setattr(denials_module, "render_pdf", lambda t, c: rendered.append(t) or real_render(t, c))
    enqueued: list[int] = []
    monkeypatch.setattr(letter_views, "enqueue", lambda task, pk: enqueued.append(pk))  # the broker, not eager

    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        _refuse(application, officer, senior)
    assert rendered == []  # nothing rendered while the senior's request ran
    letter = RefusalLetter.objects.get(application=application)
    assert (bool(letter.document), letter.sha256) == (False, "")
    url = reverse("portal:refusal_letter", args=[letter.pk])
    page = client_for(exporter_a).get(url)
    assert page.status_code == 202
    assert "The refusal letter is being prepared" in page.content.decode()
    assert (rendered, enqueued) == ([], [letter.pk])  # the download asked the broker, and rendered nothing itself

    for callback in after_commit:  # after the commit: the task (eager in the tests) renders and stores it
        callback()
    assert rendered == ["licensing/pdf/refusal_letter.html"]
    letter.refresh_from_db()
    assert letter.document and len(letter.sha256) == 64
    response = client_for(exporter_a).get(url)
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert refusal_letter_render(letter.pk) == "already rendered"
