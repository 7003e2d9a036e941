"""The whole path through the services: draft → submit → review → information → approve → licence → shipment."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from core.exceptions import DomainValidationError, NotAllowed, TransitionNotAllowed
from licensing.models import ApplicationStatus, DecisionStatus, LicenceStatus, PartyRole, PartyType
from licensing.services import applications as apps
from licensing.services import casework
from tests.factories import criteria_clear
from tests.licensing.services.pdfs import pdf_upload

pytestmark = pytest.mark.django_db


def _draft(exporter):
    application = apps.application_create(
        actor=exporter, licence_type="individual_export", title="Radar spares for Norway", end_use="Naval air defence"
    )
    apps.goods_line_save(
        actor=exporter,
        application_id=application.pk,
        description="Radar transmitter module",
        ml_category_id="ML5",
        quantity=Decimal("4"),
        unit="pcs",
        unit_value=Decimal("25000"),
        currency="EUR",
    )
    apps.party_save(
        actor=exporter,
        application_id=application.pk,
        role=PartyRole.CONSIGNEE,
        name="Kongsberg AS",
        address="Kongsberg",
        country_id="NO",
        party_type=PartyType.COMMERCIAL,
    )
    apps.party_save(
        actor=exporter,
        application_id=application.pk,
        role=PartyRole.END_USER,
        name="Royal Norwegian Navy",
        address="Bergen",
        country_id="NO",
        party_type=PartyType.ARMED_FORCES,
    )
    apps.document_upload(actor=exporter, application_id=application.pk, kind="euc", upload=pdf_upload())
    return application


def test_exporter_and_officer_reach_an_issued_licence_when_following_the_happy_path(
    exporter_a, officer, django_capture_on_commit_callbacks
):
    application = _draft(exporter_a)
    application.refresh_from_db()
    assert application.total_value_eur == Decimal("100000.00")
    assert application.destination_id == "NO"

    apps.application_submit(actor=exporter_a, application_id=application.pk)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.legal_deadline is not None and application.target_date is not None
    deadline_before = application.legal_deadline

    casework.application_assign(actor=officer, application_id=application.pk, assignee=officer)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW

    casework.information_request(actor=officer, application_id=application.pk, question="Who maintains the radar?")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INFORMATION_REQUESTED
    apps.information_provide(actor=exporter_a, application_id=application.pk, answer="The navy's own depot.")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW
    assert application.legal_deadline >= deadline_before

    criteria_clear(application, assessor=officer)  # the eight criteria, before an ordinary approval
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        decision = casework.decision_propose(
            actor=officer,
            application_id=application.pk,
            outcome="approve",
            justification="No concerns.",
            valid_from=today,
            valid_until=today + timedelta(days=730),
            conditions="No re-export without consent.",
        )
    assert decision.status == DecisionStatus.FINAL
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    licence = application.licence
    licence.refresh_from_db()
    assert licence.number.startswith(f"NL-ML-{today.year}-")
    assert licence.document and licence.document_sha256  # rendered by the (eager) task after commit

    goods = licence.goods.get()
    assert licence.total_value_eur == goods.value_eur == Decimal("100000.00")  # the reports count by it
    casework.shipment_record(
        actor=exporter_a,
        licence_id=licence.pk,
        licensed_goods_id=goods.pk,
        shipped_on=today,
        quantity=Decimal("3"),
        value_eur=Decimal("75000"),
    )
    with pytest.raises(DomainValidationError, match="Only 1 pcs"):
        casework.shipment_record(
            actor=exporter_a,
            licence_id=licence.pk,
            licensed_goods_id=goods.pk,
            shipped_on=today,
            quantity=Decimal("2"),
            value_eur=Decimal("1"),
        )
    verbs = list(
        AuditEvent.objects.filter(target_id=str(application.pk), target_type="licensing.application").values_list(
            "verb", flat=True
        )
    )
    assert "application.information_requested" in verbs and "decision.proposed" in verbs


def test_refusal_waits_for_a_different_senior_officer_when_proposed(exporter_a, officer, senior):
    application = _draft(exporter_a)
    apps.application_submit(actor=exporter_a, application_id=application.pk)
    casework.application_assign(actor=officer, application_id=application.pk, assignee=officer)
    decision = casework.decision_propose(
        actor=officer,
        application_id=application.pk,
        outcome="refuse",
        justification="Clear risk of diversion.",
        criteria=[7],
    )
    assert decision.status == DecisionStatus.PROPOSED
    with pytest.raises(NotAllowed):
        casework.decision_countersign(actor=officer, decision_id=decision.pk)
    casework.decision_countersign(actor=senior, decision_id=decision.pk)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REFUSED


def test_submitted_application_is_frozen_when_exporter_tries_to_edit(exporter_a):
    application = _draft(exporter_a)
    apps.application_submit(actor=exporter_a, application_id=application.pk)
    with pytest.raises(TransitionNotAllowed):
        apps.goods_line_save(
            actor=exporter_a,
            application_id=application.pk,
            description="More",
            ml_category_id="ML5",
            quantity=Decimal("1"),
            unit="pcs",
            unit_value=Decimal("1"),
            currency="EUR",
        )


def test_suspended_licence_refuses_shipments_when_exporter_records_one(exporter_a, officer):
    application = _draft(exporter_a)
    apps.application_submit(actor=exporter_a, application_id=application.pk)
    casework.application_assign(actor=officer, application_id=application.pk, assignee=officer)
    criteria_clear(application, assessor=officer)
    today = timezone.localdate()
    casework.decision_propose(
        actor=officer,
        application_id=application.pk,
        outcome="approve",
        justification="ok",
        valid_from=today,
        valid_until=today + timedelta(days=30),
    )
    licence = application.__class__.objects.get(pk=application.pk).licence
    casework.licence_change_status(actor=officer, licence_id=licence.pk, action="suspend", reason="Investigation")
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.SUSPENDED
    with pytest.raises(TransitionNotAllowed, match="suspended"):
        casework.shipment_record(
            actor=exporter_a,
            licence_id=licence.pk,
            licensed_goods_id=licence.goods.get().pk,
            shipped_on=today,
            quantity=Decimal("1"),
            value_eur=Decimal("1"),
        )
