"""The treaty hooks in the licensing flow: the de minimis result on submission, its own target, and what may
block or shape the decision."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from audit.models import AuditEvent, Verb
from consultations.services.high_level import consultation_conclude
from consultations.services.notifications import notification_record_outgoing
from consultations.services.objections import objection_receive
from core.exceptions import DomainValidationError, TransitionNotAllowed
from licensing.decision_gate import (
    MSG_DE_MINIMIS_GROUND,
    REASON_DE_MINIMIS_REFUSAL,
    REASON_REFUSAL,
    BlockerCode,
    decision_gate,
    four_eyes_reasons,
)
from licensing.models import ApplicationStatus, DecisionOutcome
from licensing.models.treaty import TreatyTransfer
from licensing.services import applications as apps
from licensing.services import casework
from licensing.services.treaty_share import ERR_NO_TRANSFER
from tests.factories import submitted_application

from .conftest import save_transfer, treaty_draft

pytestmark = pytest.mark.django_db


def test_submission_applies_the_rule_and_sets_the_without_delay_target_when_de_minimis(exporter_a):
    with time_machine.travel(date(2026, 9, 15), tick=False):  # a Tuesday
        draft = treaty_draft(exporter_a, goods_value="140000.00")
        save_transfer(exporter_a, draft)
        apps.application_submit(actor=exporter_a, application_id=draft.pk)
    transfer = TreatyTransfer.objects.get(application=draft)
    assert transfer.de_minimis is True
    assert transfer.share_percent == Decimal("14.00")
    # 5 working days from Tuesday 15 September 2026: Wed 16, Thu 17, Fri 18, Mon 21, Tue 22.
    assert transfer.target_date == date(2026, 9, 22)
    event = AuditEvent.objects.get(verb=Verb.TREATY_TRANSFER_ASSESSED, target_id=str(draft.pk))
    assert event.actor_id is None
    assert event.payload["de_minimis"] is True
    assert event.payload["share_percent"] == "14.00"
    assert TreatyTransfer.objects.filter(de_minimis=True).count() == 1


def test_submission_leaves_the_ordinary_path_when_the_share_exceeds_the_threshold(exporter_a):
    draft = treaty_draft(exporter_a, goods_value="320000.00", euc=True)
    save_transfer(exporter_a, draft)
    apps.application_submit(actor=exporter_a, application_id=draft.pk)
    transfer = TreatyTransfer.objects.get(application=draft)
    assert (transfer.share_percent, transfer.de_minimis, transfer.target_date) == (Decimal("32.00"), False, None)


def test_submission_recomputes_as_of_the_application_date_when_the_draft_was_computed_earlier(exporter_a):
    with time_machine.travel(date(2025, 12, 9), tick=False):
        draft = treaty_draft(exporter_a)
        assert save_transfer(exporter_a, draft, integrator_country_id="GB").de_minimis is False
    with time_machine.travel(date(2025, 12, 10), tick=False):  # the UK is a party from today
        apps.application_submit(actor=exporter_a, application_id=draft.pk)
    transfer = TreatyTransfer.objects.get(application=draft)
    assert (transfer.assessed_on, transfer.de_minimis) == (date(2025, 12, 10), True)


def test_submission_is_refused_when_the_treaty_details_are_missing(exporter_a):
    draft = treaty_draft(exporter_a)
    with pytest.raises(DomainValidationError) as excinfo:
        apps.application_submit(actor=exporter_a, application_id=draft.pk)
    assert excinfo.value.field_errors == {"treaty": [ERR_NO_TRANSFER]}
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT


def test_follow_on_support_is_de_minimis_whatever_its_share_when_the_earlier_case_was(exporter_a):
    earlier = treaty_draft(exporter_a, goods_value="100000.00", title="Radar modules, first batch")
    save_transfer(exporter_a, earlier)
    apps.application_submit(actor=exporter_a, application_id=earlier.pk)
    spares = treaty_draft(exporter_a, goods_value="600000.00", title="Spare receiver modules")
    # 600,000 / 1,000,000 = 60 %, but spares for a de minimis transfer are de minimis too.
    transfer = save_transfer(exporter_a, spares, follow_on_of_id=earlier.pk)
    assert (transfer.share_percent, transfer.de_minimis) == (Decimal("60.00"), True)


def test_de_minimis_refusal_needs_the_treaty_ground_and_a_senior_when_the_rule_applies(exporter_a):
    draft = treaty_draft(exporter_a, goods_value="100000.00")
    save_transfer(exporter_a, draft)
    apps.application_submit(actor=exporter_a, application_id=draft.pk)
    draft.refresh_from_db()
    draft.status = ApplicationStatus.UNDER_REVIEW
    without_ground = decision_gate(draft, outcome=DecisionOutcome.REFUSE, refusal_ground="")
    assert [b.message for b in without_ground.blockers] == [str(MSG_DE_MINIMIS_GROUND)]
    assert decision_gate(draft, outcome=DecisionOutcome.REFUSE, refusal_ground="national_security").allowed
    refusal_reasons = [str(REASON_REFUSAL), str(REASON_DE_MINIMIS_REFUSAL)]
    assert four_eyes_reasons(draft, outcome=DecisionOutcome.REFUSE) == refusal_reasons
    assert four_eyes_reasons(draft, outcome=DecisionOutcome.APPROVE) == []


def test_refusal_on_the_criteria_is_not_blocked_when_the_share_exceeds_the_threshold(exporter_a):
    draft = treaty_draft(exporter_a, goods_value="320000.00", euc=True)
    save_transfer(exporter_a, draft)
    apps.application_submit(actor=exporter_a, application_id=draft.pk)
    draft.refresh_from_db()
    draft.status = ApplicationStatus.UNDER_REVIEW
    assert decision_gate(draft, outcome=DecisionOutcome.REFUSE, refusal_ground="").allowed


def test_licence_decision_waits_when_a_party_objected_to_our_notification(org_a, officer):
    application = submitted_application(
        organisation=org_a, status=ApplicationStatus.UNDER_REVIEW, assigned_to=officer, criteria_cleared_by=officer
    )
    today = timezone.localdate()
    [notification] = notification_record_outgoing(
        actor=officer,
        application_id=application.pk,
        counterpart_ids=["FR"],
        subject_kind="other_party_content",
        subject="Patrol vessel with French combat system to India",
        third_country_id="IN",
        received_on=today - timedelta(days=20),
    )
    objection = objection_receive(
        actor=officer,
        notification_id=notification.pk,
        ground="direct_interests",
        reasons="Conflicts with an ongoing French programme in the region.",
        received_on=today - timedelta(days=2),
    )
    with pytest.raises(TransitionNotAllowed) as excinfo:
        casework.decision_propose(
            actor=officer,
            application_id=application.pk,
            outcome=DecisionOutcome.APPROVE,
            justification="Criteria assessed; no concerns.",
            valid_from=today,
            valid_until=today + timedelta(days=365),
        )
    # The objection opened a high-level consultation: the case waits for it, and the gate says so.
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CONSULTATION_PENDING
    assert BlockerCode.CONSULTATION_OPEN in [b.code for b in excinfo.value.blockers]  # type: ignore[attr-defined]
    assert "France" in excinfo.value.message
    assert objection.consultation_id is not None
    consultation_conclude(
        actor=officer,
        consultation_id=objection.consultation_id,
        outcome="export_modified",
        outcome_text="The combat system's export variant is used instead.",
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW
    assert decision_gate(application, outcome=DecisionOutcome.APPROVE).allowed
    history = list(application.history.order_by("history_date").values_list("status", flat=True))
    assert history[-2:] == [ApplicationStatus.CONSULTATION_PENDING, ApplicationStatus.UNDER_REVIEW]
