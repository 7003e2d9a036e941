"""The role side of the status machine: who may perform which action on whose case.

Each refused attempt raises NotAllowed (403) with the message the user sees, and leaves the case as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from core.access import ERR_NOT_OFFICER
from core.exceptions import NotAllowed
from core.roles import Role
from licensing.models import Application, Decision, DocumentKind, Licence, LicenceStatus, PartyRole, PartyType
from licensing.services import applications as apps
from licensing.services import casework
from licensing.services.workflow import ERR_OTHER_ORGANISATION
from licensing.transitions import ERR_ROLE, Action
from tests.factories import DocumentFactory, UserFactory, complete_draft
from tests.licensing.services.pdfs import pdf_upload
from tests.licensing.services.test_transitions import (
    APPROVAL,
    REFUSAL,
    Cast,
    _consultation,
    application_in,
    case_state,
    licence_in,
)

pytestmark = pytest.mark.django_db

ERR_OWN_ORGANISATION_DRAFT = "This case belongs to another organisation."


@pytest.fixture
def cast(exporter_a, officer, senior) -> Cast:  # type: ignore[no-untyped-def]
    return Cast(exporter=exporter_a, officer=officer, senior=senior)


def _proposed_refusal(application: Application, cast: Cast) -> Decision:
    return casework.decision_propose(
        actor=cast.officer, application_id=application.pk, outcome="refuse", justification=REFUSAL, criteria=[7]
    )


# (name, status the case is in, the attempt with a given actor, message the actor sees)
OfficerAttempt = tuple[str, str, Callable[[Application, Cast, Any], Any], str]
OFFICER_ATTEMPTS: list[OfficerAttempt] = [
    (
        "assign",
        "submitted",
        lambda app, cast, actor: casework.application_assign(actor=actor, application_id=app.pk, assignee=cast.officer),
        str(ERR_NOT_OFFICER),
    ),
    (
        "request_information",
        "under_review",
        lambda app, cast, actor: casework.information_request(actor=actor, application_id=app.pk, question="Why?"),
        str(ERR_NOT_OFFICER),
    ),
    (
        "approve",
        "under_review",
        lambda app, cast, actor: casework.decision_propose(
            actor=actor,
            application_id=app.pk,
            outcome="approve",
            justification=APPROVAL,
            valid_from=timezone.localdate(),
            valid_until=timezone.localdate() + timedelta(days=365),
        ),
        str(ERR_NOT_OFFICER),
    ),
    (
        "refuse",
        "under_review",
        lambda app, cast, actor: casework.decision_propose(
            actor=actor, application_id=app.pk, outcome="refuse", justification=REFUSAL, criteria=[7]
        ),
        str(ERR_NOT_OFFICER),
    ),
    (
        "countersign",
        "under_review",
        lambda app, cast, actor: casework.decision_countersign(
            actor=actor, decision_id=_proposed_refusal(app, cast).pk
        ),
        casework.ERR_NOT_SENIOR,
    ),
    (
        "return_decision",
        "under_review",
        lambda app, cast, actor: casework.decision_return(
            actor=actor, decision_id=_proposed_refusal(app, cast).pk, reason="Cite criterion 1 too."
        ),
        casework.ERR_NOT_SENIOR,
    ),
    (
        "open_consultation",
        "under_review",
        lambda app, cast, actor: _consultation(app, Action.OPEN_CONSULTATION, actor),
        ERR_ROLE.format(action=Action.OPEN_CONSULTATION),
    ),
    (
        "conclude_consultation",
        "consultation_pending",
        lambda app, cast, actor: _consultation(app, Action.CONCLUDE_CONSULTATION, actor),
        ERR_ROLE.format(action=Action.CONCLUDE_CONSULTATION),
    ),
]


@pytest.mark.parametrize("who", ["exporter_a", "adviser", "analyst", "administrator"])
@pytest.mark.parametrize(
    ("name", "status", "attempt", "message"), OFFICER_ATTEMPTS, ids=[a[0] for a in OFFICER_ATTEMPTS]
)
def test_officer_action_is_refused_when_someone_without_the_officer_role_tries_it(
    who, name, status, attempt, message, cast, request
):
    actor = request.getfixturevalue(who)
    application = application_in(status, cast)
    before = case_state(application)
    decisions_before = list(Decision.objects.filter(application=application).values_list("pk", "status"))
    with pytest.raises(NotAllowed) as raised:
        attempt(application, cast, actor)
    assert raised.value.status_code == 403
    assert raised.value.message == message
    after = case_state(application)
    if name in {"countersign", "return_decision"}:
        # The officer's proposal is made in the attempt itself; only the countersignature was refused.
        assert Decision.objects.get(application=application).status == "proposed"
        assert after.status == before.status
    else:
        assert after == before
        assert list(Decision.objects.filter(application=application).values_list("pk", "status")) == decisions_before


@pytest.mark.parametrize("action", ["suspend", "reinstate", "revoke"])
@pytest.mark.parametrize("who", ["exporter_a", "adviser", "analyst", "administrator"])
def test_licence_status_change_is_refused_when_someone_without_the_officer_role_tries_it(who, action, cast, request):
    actor = request.getfixturevalue(who)
    licence = licence_in(LicenceStatus.SUSPENDED if action == "reinstate" else LicenceStatus.ISSUED, cast)
    with pytest.raises(NotAllowed, match=str(ERR_NOT_OFFICER)):
        casework.licence_change_status(actor=actor, licence_id=licence.pk, action=action, reason="Because")
    fresh = Licence.objects.get(pk=licence.pk)
    assert (fresh.status, fresh.version) == (licence.status, licence.version)


def test_officer_cannot_expire_a_licence_by_hand_when_expiry_is_a_system_action(cast):
    licence = licence_in(LicenceStatus.ISSUED, cast)
    with pytest.raises(NotAllowed) as raised:
        casework.licence_change_status(actor=cast.officer, licence_id=licence.pk, action="expire", reason="Done")
    assert raised.value.message == ERR_ROLE.format(action="expire")
    assert Licence.objects.get(pk=licence.pk).status == LicenceStatus.ISSUED


# --- An officer cannot act for a company --------------------------------------------------------------------


def test_officer_cannot_submit_when_the_draft_belongs_to_a_company(cast):
    application = application_in("draft", cast)
    before = case_state(application)
    with pytest.raises(NotAllowed, match=str(apps.ERR_NOT_APPROVED_ORG)):
        apps.application_submit(actor=cast.officer, application_id=application.pk)
    assert case_state(application) == before


@pytest.mark.parametrize("who", ["officer", "senior"])
def test_officer_cannot_withdraw_when_only_the_exporter_may(who, cast, request):
    application = application_in("submitted", cast)
    before = case_state(application)
    with pytest.raises(NotAllowed) as raised:
        apps.application_withdraw(actor=request.getfixturevalue(who), application_id=application.pk, reason="x")
    assert raised.value.message == ERR_ROLE.format(action=Action.WITHDRAW)
    assert case_state(application) == before


def test_officer_cannot_answer_a_request_for_information_when_it_was_put_to_the_exporter(cast):
    application = application_in("information_requested", cast)
    before = case_state(application)
    with pytest.raises(NotAllowed, match=str(ERR_OTHER_ORGANISATION)):
        apps.information_provide(actor=cast.officer, application_id=application.pk, answer="I know the answer")
    assert case_state(application) == before


def test_officer_cannot_record_a_shipment_when_the_licence_is_a_company_s(cast):
    licence = licence_in(LicenceStatus.ISSUED, cast)
    with pytest.raises(NotAllowed):
        casework.shipment_record(
            actor=cast.officer,
            licence_id=licence.pk,
            licensed_goods_id=licence.goods.get().pk,
            shipped_on=timezone.localdate(),
            quantity=Decimal("1"),
            value_eur=Decimal("1"),
        )
    assert not licence.shipments.exists()


# --- Exporter B cannot act on A's case ----------------------------------------------------------------------

ExporterAttempt = tuple[str, str, Callable[[Application, Any], Any]]
EXPORTER_B_ATTEMPTS: list[ExporterAttempt] = [
    ("submit", "draft", lambda app, b: apps.application_submit(actor=b, application_id=app.pk)),
    (
        "update",
        "draft",
        lambda app, b: apps.application_update(
            actor=b, application_id=app.pk, expected_version=app.version, title="Taken over"
        ),
    ),
    (
        "goods_line_save",
        "draft",
        lambda app, b: apps.goods_line_save(
            actor=b,
            application_id=app.pk,
            description="Extra rifles",
            ml_category_id="ML1",
            quantity=Decimal("5"),
            unit="pcs",
            unit_value=Decimal("900"),
            currency="EUR",
        ),
    ),
    (
        "party_save",
        "draft",
        lambda app, b: apps.party_save(
            actor=b,
            application_id=app.pk,
            role=PartyRole.END_USER,
            name="Someone else",
            address="Elsewhere",
            country_id="NO",
            party_type=PartyType.COMMERCIAL,
        ),
    ),
    (
        "document_upload",
        "draft",
        lambda app, b: apps.document_upload(
            actor=b, application_id=app.pk, kind=DocumentKind.OTHER, upload=pdf_upload("other.pdf")
        ),
    ),
    ("withdraw", "submitted", lambda app, b: apps.application_withdraw(actor=b, application_id=app.pk, reason="x")),
    (
        "provide_information",
        "information_requested",
        lambda app, b: apps.information_provide(actor=b, application_id=app.pk, answer="Not mine to answer"),
    ),
]


@pytest.mark.parametrize(("name", "status", "attempt"), EXPORTER_B_ATTEMPTS, ids=[a[0] for a in EXPORTER_B_ATTEMPTS])
def test_exporter_b_is_refused_when_acting_on_company_a_s_case(name, status, attempt, cast, exporter_b):
    application = application_in(status, cast)
    before = case_state(application)
    documents = application.documents.count()
    with pytest.raises(NotAllowed) as raised:
        attempt(application, exporter_b)
    assert raised.value.message in {ERR_OTHER_ORGANISATION, ERR_OWN_ORGANISATION_DRAFT}
    assert case_state(application) == before
    assert application.documents.count() == documents


def test_exporter_b_cannot_record_a_shipment_when_the_licence_is_company_a_s(cast, exporter_b):
    licence = licence_in(LicenceStatus.ISSUED, cast)
    goods = licence.goods.get()
    with pytest.raises(NotAllowed, match="another organisation"):
        casework.shipment_record(
            actor=exporter_b,
            licence_id=licence.pk,
            licensed_goods_id=goods.pk,
            shipped_on=timezone.localdate(),
            quantity=Decimal("1"),
            value_eur=Decimal("1"),
        )
    goods.refresh_from_db()
    assert goods.shipped_quantity == 0


def test_colleague_of_the_same_company_may_withdraw_when_they_did_not_create_the_case(cast, org_a):
    colleague = UserFactory(username="anna", organisation=org_a, roles=[Role.EXPORTER])
    application = application_in("submitted", cast)
    apps.application_withdraw(actor=colleague, application_id=application.pk, reason="Order cancelled")
    assert Application.objects.get(pk=application.pk).status == "withdrawn"


# --- Four eyes, pending companies, deactivated staff ----------------------------------------------------------


def test_senior_cannot_countersign_when_they_proposed_the_decision_themselves(cast):
    application = application_in("under_review", cast)
    decision = casework.decision_propose(
        actor=cast.senior, application_id=application.pk, outcome="refuse", justification=REFUSAL, criteria=[1]
    )
    with pytest.raises(NotAllowed, match="four eyes"):
        casework.decision_countersign(actor=cast.senior, decision_id=decision.pk)
    decision.refresh_from_db()
    assert decision.status == "proposed"
    assert Application.objects.get(pk=application.pk).status == "under_review"


def test_exporter_of_a_pending_company_cannot_submit_when_the_registration_is_not_approved(pending_org, officer):
    pending_exporter = UserFactory(username="carl", organisation=pending_org, roles=[Role.EXPORTER])
    # Complete but for the approval (a pending company uploads nothing itself: issue 14, so the world holds its EUC).
    application = complete_draft(organisation=pending_org, created_by=pending_exporter)
    DocumentFactory(application=application, uploaded_by=pending_exporter)
    before = case_state(application)
    with pytest.raises(NotAllowed, match=str(apps.ERR_NOT_APPROVED_ORG)):
        apps.application_submit(actor=pending_exporter, application_id=application.pk)
    assert case_state(application) == before


def test_deactivated_officer_is_refused_when_acting_on_a_case(cast):
    application = application_in("under_review", cast)
    cast.officer.is_active = False
    cast.officer.save(update_fields=["is_active"])
    before = case_state(application)
    with pytest.raises(NotAllowed):
        casework.information_request(actor=cast.officer, application_id=application.pk, question="Still here?")
    assert case_state(application) == before
