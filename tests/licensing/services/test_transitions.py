"""Every (status, action) pair of licensing.transitions, driven through the real service that performs it.

An application is first brought into each status the way users bring it there (services only), then every
action of the table is tried on it: allowed pairs move it to the table's target and write the transition's
audit event once; forbidden pairs raise TransitionNotAllowed (409) and change nothing. The same for licences.

The builders and drivers here are also used by the role tests, the random walk and the concurrency tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent, Verb
from core.access import roles_of
from core.exceptions import TransitionNotAllowed
from core.roles import Role
from licensing.models import (
    OPEN_OBJECTION_STATUSES,
    OPEN_STATUSES,
    Application,
    ApplicationStatus,
    DecisionObjection,
    DecisionStatus,
    DocumentKind,
    Licence,
    LicenceStatus,
    ObjectionStatus,
)
from licensing.services import amendments, casework, objections
from licensing.services import applications as apps
from licensing.services.workflow import application_transition, licence_transition, lock_application
from licensing.transitions import (
    APPLICATION_TRANSITIONS,
    LICENCE_TRANSITIONS,
    TERMINAL_APPLICATION_STATUSES,
    Action,
    LicenceAction,
    find,
    table_problems,
)
from tests.factories import UserFactory, complete_draft, criteria_clear
from tests.licensing.services.pdfs import pdf_upload

S = ApplicationStatus
L = LicenceStatus

WITHDRAW_REASON = "The customer cancelled the order."
QUESTION = "Who maintains the radar once delivered?"
ANSWER = "The navy's own depot in Bergen."
CONSULTATION_REASON = "Art. 4 consultation: Germany denied an essentially identical transaction."
APPROVAL = "No concerns under the eight criteria."
REFUSAL = "Clear risk of diversion to an embargoed end user."
LICENCE_REASON = "Investigation by customs into the end user."


@dataclass(frozen=True)
class Cast:
    """Who acts in the drivers: the exporter owning the case, an officer, and the senior who countersigns."""

    exporter: Any
    officer: Any
    senior: Any
    second_senior: Any = None  # countersigns when `senior` proposed (four eyes)


def ensure_reference_data() -> None:
    """For tests with transaction=True: pytest-django empties every table after such a test, including the
    reference data loaded once per session (tests/conftest.py), so load it again when it is gone."""
    from core.roles_setup import roles_sync
    from parties.models import Country
    from seeding.reference_data import reference_data_load

    roles_sync()
    if not Country.objects.exists():
        reference_data_load()


# --- Bringing an application into each status (through the services) --------------------------------------


def ready_draft(cast: Cast) -> Application:
    """A draft that can be submitted: goods, consignee, end user (factories) and the EUC (upload service)."""
    application = complete_draft(organisation=cast.exporter.organisation, created_by=cast.exporter)
    apps.document_upload(
        actor=cast.exporter, application_id=application.pk, kind=DocumentKind.END_USER_CERTIFICATE, upload=pdf_upload()
    )
    return Application.objects.get(pk=application.pk)


def _consultation(application: Application, action: str, actor: Any, reason: str = CONSULTATION_REASON) -> None:
    # No consultation service exists yet: move the case through the workflow the way that service will,
    # inside one transaction holding the row lock.
    with transaction.atomic():
        locked = lock_application(pk=application.pk)
        application_transition(application=locked, action=action, actor=actor, reason=reason)


def _validity() -> tuple[date, date]:
    today = timezone.localdate()
    return today, today + timedelta(days=730)


def drive(action: str, application: Application, cast: Cast, actor: Any = None) -> Any:
    """Perform `action` on the application with the service a user would use; `actor` defaults to the
    natural one (the exporter for exporter actions, the officer for officer actions)."""
    exporter_action = action in {Action.SUBMIT, Action.WITHDRAW, Action.PROVIDE_INFORMATION}
    actor = actor or (cast.exporter if exporter_action else cast.officer)
    pk = application.pk
    if action == Action.SUBMIT:
        return apps.application_submit(actor=actor, application_id=pk)
    if action == Action.WITHDRAW:
        return apps.application_withdraw(actor=actor, application_id=pk, reason=WITHDRAW_REASON)
    if action == Action.START_REVIEW:
        return casework.application_assign(actor=actor, application_id=pk, assignee=actor)
    if action == Action.REQUEST_INFORMATION:
        return casework.information_request(actor=actor, application_id=pk, question=QUESTION)
    if action == Action.PROVIDE_INFORMATION:
        return apps.information_provide(actor=actor, application_id=pk, answer=ANSWER)
    if action in {Action.OPEN_CONSULTATION, Action.CONCLUDE_CONSULTATION}:
        return _consultation(application, action, actor)
    if action == Action.APPROVE:
        # The gate wants the eight criteria assessed before an ordinary approval: the officer does that first.
        if not application.criterion_assessments.exists():
            criteria_clear(application, assessor=cast.officer)
        valid_from, valid_until = _validity()
        return casework.decision_propose(
            actor=actor,
            application_id=pk,
            outcome="approve",
            justification=APPROVAL,
            valid_from=valid_from,
            valid_until=valid_until,
        )
    if action == Action.REFUSE:
        decision = casework.decision_propose(
            actor=actor, application_id=pk, outcome="refuse", justification=REFUSAL, criteria=[7]
        )
        countersigner = cast.second_senior if actor == cast.senior else cast.senior
        return casework.decision_countersign(actor=countersigner, decision_id=decision.pk, reason="Agreed.")
    if action == Action.RECONSIDER:
        return _reconsider(application, cast, actor)
    raise AssertionError(f"no driver for {action}")


def _reconsider(application: Application, cast: Cast, actor: Any = None) -> Any:
    """Only the decision on an objection reconsiders a refusal: the exporter objects (once), the hearing is
    recorded, and the objection is decided ("revoked") by `actor`; an officer actor stands for any officer who took
    no part in the refusal (Awb 7:5), so a fresh one decides. Other statuses have no refusal to object to, so the
    attempt goes to the status machine, which refuses it."""
    if Application.objects.get(pk=application.pk).status != S.REFUSED:
        with transaction.atomic():
            locked = lock_application(pk=application.pk)
            return application_transition(application=locked, action=Action.RECONSIDER, actor=cast.officer, reason="x")
    objection = DecisionObjection.objects.filter(
        application_id=application.pk, status__in=sorted(OPEN_OBJECTION_STATUSES)
    ).first()
    if objection is None:
        objection = objections.decision_objection_file(
            actor=cast.exporter, application_id=application.pk, grounds="The end user is a government ministry."
        )
    if objection.status == ObjectionStatus.FILED:
        objections.decision_objection_record_hearing(
            actor=cast.officer, objection_id=objection.pk, held_on=None, record_text="", waived_reason="Founded."
        )
    is_officer = actor is not None and roles_of(actor) & {Role.OFFICER.value, Role.SENIOR_OFFICER.value}
    decider = UserFactory(roles=[Role.OFFICER]) if actor is None or is_officer else actor
    return objections.decision_objection_decide(
        actor=decider, objection_id=objection.pk, outcome="revoked", reasons="The end user was misread."
    )


# The path by which users bring a case into each status: (status it starts from, action taken).
_PATH: dict[str, tuple[str, str]] = {
    S.SUBMITTED: (S.DRAFT, Action.SUBMIT),
    S.UNDER_REVIEW: (S.SUBMITTED, Action.START_REVIEW),
    S.INFORMATION_REQUESTED: (S.UNDER_REVIEW, Action.REQUEST_INFORMATION),
    S.CONSULTATION_PENDING: (S.UNDER_REVIEW, Action.OPEN_CONSULTATION),
    S.APPROVED: (S.UNDER_REVIEW, Action.APPROVE),
    S.REFUSED: (S.UNDER_REVIEW, Action.REFUSE),
    S.WITHDRAWN: (S.SUBMITTED, Action.WITHDRAW),
}


def application_in(status: str, cast: Cast) -> Application:
    if status == S.DRAFT:
        return ready_draft(cast)
    source, action = _PATH[status]
    application = application_in(source, cast)
    drive(action, application, cast)
    application = Application.objects.get(pk=application.pk)
    assert application.status == status
    return application


def licence_in(status: str, cast: Cast) -> Licence:
    application = application_in(S.APPROVED, cast)
    licence = Licence.objects.get(application=application)
    if status == L.SUSPENDED:
        casework.licence_change_status(actor=cast.officer, licence_id=licence.pk, action="suspend", reason="Check")
    elif status == L.REVOKED:
        casework.licence_change_status(actor=cast.officer, licence_id=licence.pk, action="revoke", reason="Breach")
    elif status == L.EXPIRED:
        assert casework.licences_expire(today=licence.valid_until + timedelta(days=1)) == 1
    elif status == L.SURRENDERED:
        amendments.licence_surrender(actor=cast.exporter, licence_id=licence.pk, reason="No longer needed")
    licence.refresh_from_db()
    assert licence.status == status
    return licence


# --- What "nothing changed" means ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseState:
    status: str
    version: int
    decided_at: datetime | None
    assigned_to_id: int | None
    decisions: int
    open_requests: int
    audit_events: int


def case_state(application: Application) -> CaseState:
    fresh = Application.objects.get(pk=application.pk)
    return CaseState(
        status=fresh.status,
        version=fresh.version,
        decided_at=fresh.decided_at,
        assigned_to_id=fresh.assigned_to_id,
        decisions=fresh.decisions.count(),
        open_requests=fresh.information_requests.filter(answered_at__isnull=True).count(),
        audit_events=AuditEvent.objects.count(),
    )


def events_after(sequence: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(sequence__gt=sequence).order_by("sequence"))


def last_sequence() -> int:
    last = AuditEvent.objects.order_by("-sequence").first()
    return last.sequence if last else 0


@pytest.fixture
def cast(exporter_a, officer, senior) -> Cast:  # type: ignore[no-untyped-def]
    return Cast(exporter=exporter_a, officer=officer, senior=senior)


# --- The application matrix ------------------------------------------------------------------------------------

# What each service writes to the audit log when its action is allowed, worked out from the services.
EXPECTED_VERBS: dict[str, list[str]] = {
    # On receipt the register runs the automatic checks in the same transaction.
    Action.SUBMIT: [Verb.APPLICATION_TRANSITIONED, Verb.CHECKS_RUN],
    Action.WITHDRAW: [Verb.APPLICATION_TRANSITIONED],
    Action.START_REVIEW: [Verb.APPLICATION_ASSIGNED, Verb.APPLICATION_TRANSITIONED],
    Action.REQUEST_INFORMATION: [Verb.INFORMATION_REQUESTED],
    Action.PROVIDE_INFORMATION: [Verb.INFORMATION_PROVIDED],
    Action.OPEN_CONSULTATION: [Verb.CONSULTATION_OPENED],
    Action.CONCLUDE_CONSULTATION: [Verb.CONSULTATION_CONCLUDED],
    # Before a decision the checks run again as of today (the gate reads them); a refusal is notified as a denial.
    Action.APPROVE: [Verb.CHECKS_RUN, Verb.DECISION_PROPOSED, Verb.APPLICATION_TRANSITIONED, Verb.LICENCE_ISSUED],
    Action.REFUSE: [
        Verb.CHECKS_RUN,
        Verb.DECISION_PROPOSED,
        Verb.CHECKS_RUN,
        Verb.DECISION_COUNTERSIGNED,
        Verb.APPLICATION_TRANSITIONED,
        Verb.DENIAL_RECORDED,
    ],
    # The objection is filed, heard (or the hearing waived) and decided; the refusal's denial is withdrawn.
    Action.RECONSIDER: [
        Verb.DECISION_OBJECTION_FILED,
        Verb.DECISION_OBJECTION_UPDATED,
        Verb.DECISION_OBJECTION_DECIDED,
        Verb.DENIAL_RECORDED,
        Verb.APPLICATION_TRANSITIONED,
    ],
}

# application_assign performs start_review but is also the re-assignment service: on an open case that is not
# "submitted" it only re-assigns (no transition); on a draft or a decided case it refuses.
_REASSIGNABLE = {S.UNDER_REVIEW, S.INFORMATION_REQUESTED, S.CONSULTATION_PENDING}


@pytest.mark.django_db
@pytest.mark.parametrize("action", [str(a) for a in Action])
@pytest.mark.parametrize("status", S.values)
def test_action_follows_the_transition_table_when_tried_in_each_status(status, action, cast):
    application = application_in(status, cast)
    if action == Action.APPROVE and status in OPEN_STATUSES:
        criteria_clear(application, assessor=cast.officer)  # the gate's precondition, met before we look
    transition = find(APPLICATION_TRANSITIONS, status, action)
    before = case_state(application)
    since = last_sequence()

    if transition is None and action == Action.START_REVIEW and status in _REASSIGNABLE:
        drive(action, application, cast)
        after = case_state(application)
        assert after.status == status, "re-assigning an open case does not start a review again"
        assert [e.verb for e in events_after(since)] == [Verb.APPLICATION_ASSIGNED]
        return

    if transition is None:
        with pytest.raises(TransitionNotAllowed) as raised:
            drive(action, application, cast)
        assert raised.value.status_code == 409
        assert case_state(application) == before
        return

    drive(action, application, cast)
    after = case_state(application)
    assert after.status == transition.target
    assert after.version > before.version
    new_events = events_after(since)
    assert [e.verb for e in new_events] == EXPECTED_VERBS[action]
    transition_events = [e for e in new_events if e.payload.get("action") == action]
    assert len(transition_events) == 1
    event = transition_events[0]
    assert event.verb == transition.verb
    assert event.target_id == str(application.pk)
    assert (event.payload["from"], event.payload["to"]) == (status, transition.target)
    if transition.reason_required:
        assert event.reason.strip()
    if transition.target in TERMINAL_APPLICATION_STATUSES:
        assert after.decided_at is not None
    if action == Action.RECONSIDER:
        assert after.decided_at is None
        assert list(application.decisions.values_list("status", flat=True)) == [DecisionStatus.REVOKED]


def test_table_is_consistent_when_checked_by_the_system_check():
    assert table_problems() == []


# --- The licence matrix ------------------------------------------------------------------------------------------


def drive_licence(action: str, licence: Licence, cast: Cast) -> Any:
    if action == LicenceAction.EXPIRE:
        # Expiry is a system action: only the nightly sweep performs it, for licences past their validity.
        return casework.licences_expire(today=licence.valid_until + timedelta(days=1))
    if action == LicenceAction.SURRENDER:
        return amendments.licence_surrender(actor=cast.exporter, licence_id=licence.pk, reason=LICENCE_REASON)
    if action in (LicenceAction.AMEND, LicenceAction.EXTEND):
        # The holder asks (one item down by one, or thirty days more), the officer approves.
        if action == LicenceAction.EXTEND:
            change: dict[str, Any] = {"kind": "extension", "new_valid_until": licence.valid_until + timedelta(days=30)}
        else:
            item = licence.goods.order_by("pk").first()
            assert item is not None
            change = {"kind": "amendment", "goods_changes": [{"goods": item.pk, "quantity": item.quantity - 1}]}
        amendment = amendments.licence_amendment_request(
            actor=cast.exporter, licence_id=licence.pk, reason="Customer order changed.", **change
        )
        return amendments.licence_amendment_decide(
            actor=cast.officer, amendment_id=amendment.pk, outcome="approve", reasons="Within the decision."
        )
    return casework.licence_change_status(
        actor=cast.officer, licence_id=licence.pk, action=action, reason=LICENCE_REASON
    )


def _licence_state(licence: Licence) -> tuple[str, int, str, int]:
    fresh = Licence.objects.get(pk=licence.pk)
    return fresh.status, fresh.version, fresh.status_reason, AuditEvent.objects.count()


@pytest.mark.django_db
@pytest.mark.parametrize("action", [str(a) for a in LicenceAction])
@pytest.mark.parametrize("status", L.values)
def test_licence_action_follows_the_transition_table_when_tried_in_each_status(status, action, cast):
    licence = licence_in(status, cast)
    transition = find(LICENCE_TRANSITIONS, status, action)
    before = _licence_state(licence)
    since = last_sequence()

    if transition is None and action == LicenceAction.EXPIRE:
        assert drive_licence(action, licence, cast) == 0, "the sweep leaves revoked and expired licences alone"
        assert _licence_state(licence) == before
        with pytest.raises(TransitionNotAllowed), transaction.atomic():
            locked = Licence.objects.select_for_update().get(pk=licence.pk)
            licence_transition(licence=locked, action=action, actor=None, reason="validity ended")
        assert _licence_state(licence) == before
        return

    if transition is None:
        with pytest.raises(TransitionNotAllowed) as raised:
            drive_licence(action, licence, cast)
        assert raised.value.status_code == 409
        assert _licence_state(licence) == before
        return

    drive_licence(action, licence, cast)
    status_after, version_after, _, _ = _licence_state(licence)
    assert status_after == transition.target
    assert version_after == before[1] + 1
    new_events = [e for e in events_after(since) if e.target_type == "licensing.licence"]
    assert [e.verb for e in new_events] == [transition.verb]
    assert new_events[0].target_id == str(licence.pk)
    assert (new_events[0].payload["action"], new_events[0].payload["from"], new_events[0].payload["to"]) == (
        action,
        status,
        transition.target,
    )
