"""De minimis decides the path (issue 13, item 3).

Treaty de minimis (../shared/domain/README.md "Treaty: products for integration"): when the rule applies, "No
end-user certificate or no-re-export certificate is required", the criteria are the integrating state's (findings
may be noted, never block) and the only refusal ground is the home state's direct interests or national security,
with a senior's sign-off. When the share exceeds the threshold, or the item is on the exclusion annex: "an ordinary
transfer licence with the full criteria assessment", and so the end-user certificate like any other transfer.

The fixture's final system is worth EUR 1,000,000 net (no services deducted), so a goods line of EUR 200,000.00 is
exactly 20.00 % (the rule applies: "n'excède pas"), EUR 200,000.01 is 20.000001 % (it does not), EUR 320,000.00 is
32.00 %.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from core.exceptions import DomainValidationError
from licensing.decision_gate import (
    MSG_EUC_MISSING,
    REASON_DE_MINIMIS_REFUSAL,
    BlockerCode,
    decision_gate,
    four_eyes_reasons,
)
from licensing.models import ApplicationStatus, DecisionOutcome
from licensing.models.assessment import CriterionAssessment
from licensing.models.treaty import TreatyTransfer
from licensing.services import applications as apps
from licensing.services.corrections import goods_line_reclassify
from tests.licensing.services.pdfs import pdf_upload

from .conftest import save_transfer, submit_and_decide, treaty_draft

pytestmark = pytest.mark.django_db
DAY = date(2026, 9, 15)


def _submit(exporter, draft):  # type: ignore[no-untyped-def]
    apps.application_submit(actor=exporter, application_id=draft.pk)
    return TreatyTransfer.objects.get(application=draft)


@time_machine.travel(DAY, tick=False)
def test_share_exactly_at_the_threshold_is_submitted_without_an_end_user_certificate(exporter_a):
    draft = treaty_draft(exporter_a, goods_value="200000.00")
    save_transfer(exporter_a, draft)
    assert "documents" not in apps.submission_problems(draft)
    transfer = _submit(exporter_a, draft)
    assert (transfer.share_percent, transfer.de_minimis) == (Decimal("20.00"), True)


@time_machine.travel(DAY, tick=False)
def test_one_cent_over_the_threshold_needs_the_end_user_certificate_before_submission(exporter_a):
    draft = treaty_draft(exporter_a, goods_value="200000.01")
    save_transfer(exporter_a, draft)
    with pytest.raises(DomainValidationError) as excinfo:
        apps.application_submit(actor=exporter_a, application_id=draft.pk)
    assert excinfo.value.field_errors == {"documents": [apps.ERR_NO_EUC_TREATY]}
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT
    apps.document_upload(actor=exporter_a, application_id=draft.pk, kind="euc", upload=pdf_upload())
    transfer = _submit(exporter_a, draft)
    # Rounded for display onto 20.00 %, but the exact share is above it: an ordinary transfer.
    assert (transfer.share_percent, transfer.de_minimis) == (Decimal("20.00"), False)


@time_machine.travel(DAY, tick=False)
def test_a_32_percent_share_is_not_spared_the_end_user_certificate(exporter_a):
    draft = treaty_draft(exporter_a, goods_value="320000.00")
    save_transfer(exporter_a, draft)
    assert apps.submission_problems(draft) == {"documents": [apps.ERR_NO_EUC_TREATY]}


@time_machine.travel(DAY, tick=False)
def test_an_excluded_item_within_the_share_needs_the_end_user_certificate(exporter_a):
    draft = treaty_draft(exporter_a, goods_value="50000.00")  # 5 %, but a missile (ML4.a) is on the annex
    line = draft.goods.get()
    apps.goods_line_save(
        actor=exporter_a, application_id=draft.pk, line_id=line.pk, description="Seeker head for a missile",
        ml_category_id="ML4", ml_sub_item="ML4.a", quantity=line.quantity, unit=line.unit,
        unit_value=line.unit_value, currency=line.currency, is_component=True,
    )  # fmt: skip
    save_transfer(exporter_a, draft)
    assert apps.submission_problems(draft) == {"documents": [apps.ERR_NO_EUC_TREATY]}


@time_machine.travel(DAY, tick=False)
def test_a_goods_change_after_the_details_were_saved_decides_the_certificate(exporter_a):
    """The stored draft result is not trusted: raising the goods to 25 % after saving the details (computed at 10 %)
    makes the certificate required."""
    draft = treaty_draft(exporter_a, goods_value="100000.00")
    assert save_transfer(exporter_a, draft).de_minimis is True
    line = draft.goods.get()
    apps.goods_line_save(
        actor=exporter_a, application_id=draft.pk, line_id=line.pk, description=line.description,
        ml_category_id=line.ml_category_id, quantity=line.quantity, unit=line.unit,
        unit_value=Decimal("250000.00"), currency=line.currency, is_component=True,
    )  # fmt: skip
    assert apps.submission_problems(draft) == {"documents": [apps.ERR_NO_EUC_TREATY]}


@time_machine.travel(DAY, tick=False)
def test_a_correction_that_takes_the_case_out_of_the_rule_holds_approval_until_a_certificate_is_there(
    exporter_a, officer
):
    draft = treaty_draft(exporter_a, goods_value="50000.00")
    save_transfer(exporter_a, draft)
    submit_and_decide(exporter_a, officer, draft, approve=False)
    goods_line_reclassify(
        actor=officer,
        application_id=draft.pk,
        line_id=draft.goods.get().pk,
        ml_category_id="ML4",
        ml_sub_item="ML4.a",
        reason="A missile seeker head: ML4.a.",
    )
    draft.refresh_from_db()
    draft.status = ApplicationStatus.UNDER_REVIEW
    blockers = decision_gate(draft, outcome=DecisionOutcome.APPROVE).blockers
    assert BlockerCode.END_USER_CERTIFICATE_MISSING in [b.code for b in blockers]
    assert str(MSG_EUC_MISSING) in [b.message for b in blockers]
    # The full assessment applies now too: the eight criteria are asked for.
    assert BlockerCode.CRITERIA_INCOMPLETE in [b.code for b in blockers]


@time_machine.travel(DAY, tick=False)
def test_a_criterion_finding_is_noted_but_never_blocks_a_de_minimis_approval(exporter_a, officer):
    draft = treaty_draft(exporter_a, goods_value="100000.00")
    save_transfer(exporter_a, draft)
    submit_and_decide(exporter_a, officer, draft, approve=False)
    CriterionAssessment.objects.create(
        application=draft, criterion_id=2, outcome="grounds_to_refuse", sub_criteria="2a",
        justification="Noted: risk of internal repression.", assessor=officer, assessed_at=timezone.now(),
    )  # fmt: skip
    draft.refresh_from_db()
    draft.status = ApplicationStatus.UNDER_REVIEW
    codes = [b.code for b in decision_gate(draft, outcome=DecisionOutcome.APPROVE).blockers]
    assert BlockerCode.SHALL_DENY not in codes
    assert BlockerCode.CRITERIA_INCOMPLETE not in codes
    assert BlockerCode.END_USER_CERTIFICATE_MISSING not in codes
    # The only refusal ground is the treaty's, and it needs its own senior sign-off reason.
    assert not decision_gate(draft, outcome=DecisionOutcome.REFUSE, refusal_ground="").allowed
    assert decision_gate(draft, outcome=DecisionOutcome.REFUSE, refusal_ground="national_security").allowed
    assert str(REASON_DE_MINIMIS_REFUSAL) in four_eyes_reasons(draft, outcome=DecisionOutcome.REFUSE)
