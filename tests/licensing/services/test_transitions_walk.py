"""A Hypothesis walk over the status machine: random actions by random people, from a draft.

Each step performs one action through the real service, as one of: the exporter who owns the case, an
exporter of another company, an officer or a senior officer. A model built from licensing.transitions alone
predicts the status after each step; the invariants are checked after every step.

Every walk starts from the same draft, built once: a walk runs in a savepoint that is rolled back when it ends, so
the next one finds the draft, and the audit chain the invariants verify, exactly as the first did (issue 19: the
suite's time went into rebuilding the draft and re-verifying earlier walks' events at every step).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from audit.models import AuditEvent
from audit.services import verify_chain
from core.exceptions import NotAllowed, TransitionNotAllowed
from core.roles import Role
from licensing.models import Application, ApplicationStatus, Decision, DecisionStatus, Licence
from licensing.transitions import (
    APPLICATION_TRANSITIONS,
    EXPORTER,
    TERMINAL_APPLICATION_STATUSES,
    Action,
    actions_from,
    find,
)
from tests.factories import UserFactory
from tests.licensing.services.test_transitions import Cast, drive, ready_draft

pytestmark = pytest.mark.django_db

WALK_SETTINGS = settings(
    max_examples=30,
    stateful_step_count=12,
    deadline=None,
    database=None,  # no example files in the work tree; a failure prints its reproduction instead
    suppress_health_check=[HealthCheck.too_slow],
)

ACTORS = ("owner", "other_company", "officer", "senior")
ENDING_ACTIONS = frozenset({Action.WITHDRAW, Action.APPROVE, Action.REFUSE})


def _may(who: str, action: str, status: str) -> bool:
    """Whether `who` may perform `action` in `status`, read from the table alone."""
    transition = find(APPLICATION_TRANSITIONS, status, action)
    if transition is None:
        return False
    if transition.roles == EXPORTER:
        return who == "owner"
    return who in {"officer", "senior"}


def test_random_walks_keep_every_case_consistent_when_anyone_tries_any_action(
    exporter_a, exporter_b, officer, senior, monkeypatch
):
    second_senior = UserFactory(username="sem", roles=[Role.SENIOR_OFFICER])
    cast = Cast(exporter=exporter_a, officer=officer, senior=senior, second_senior=second_senior)
    people: dict[str, Any] = {"owner": exporter_a, "other_company": exporter_b, "officer": officer, "senior": senior}
    draft = ready_draft(cast)

    class CaseWalk(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            # What the walk writes is undone in teardown(); the services' own transactions nest inside it.
            self.savepoint = transaction.savepoint()
            self.application = Application.objects.get(pk=draft.pk)
            assert self.application.status == ApplicationStatus.DRAFT
            self.expected_status: str = ApplicationStatus.DRAFT
            self.transitions_made = 0
            self.decided: tuple[Any, ...] | None = None
            self.loaded: Application | None = None

        def teardown(self) -> None:
            transaction.savepoint_rollback(self.savepoint)

        def _reload(self) -> Application:
            """The case as stored, read once between two steps for all the invariants."""
            if self.loaded is None:
                self.loaded = Application.objects.get(pk=self.application.pk)
            return self.loaded

        def _attempt(self, action: str, who: str) -> None:
            self.loaded = None
            allowed = _may(who, action, self.expected_status)
            try:
                drive(action, self.application, cast, actor=people[who])
            except (TransitionNotAllowed, NotAllowed):
                assert not allowed, f"{who} was refused {action} in {self.expected_status}"
                return
            # application_assign is also the re-assignment service: it succeeds without a transition.
            assert allowed or action == Action.START_REVIEW, f"{who} performed {action} in {self.expected_status}"
            if allowed:
                transition = find(APPLICATION_TRANSITIONS, self.expected_status, action)
                assert transition is not None
                self.expected_status = transition.target
                self.transitions_made += 1

        @precondition(lambda self: self.expected_status not in TERMINAL_APPLICATION_STATUSES)
        @rule(data=st.data())
        def take_a_step_the_table_allows(self, data: st.DataObject) -> None:
            # Without this rule most random (action, person) pairs are refused and walks rarely get past review.
            # Actions that end the case get a third of the weight, so walks also reach information requests
            # and consultations before they end.
            possible = actions_from(APPLICATION_TRANSITIONS, self.expected_status)
            weighted = [a for a in possible for _ in range(1 if a in ENDING_ACTIONS else 3)]
            action = data.draw(st.sampled_from(weighted))
            transition = find(APPLICATION_TRANSITIONS, self.expected_status, action)
            assert transition is not None
            who = "owner" if transition.roles == EXPORTER else data.draw(st.sampled_from(["officer", "senior"]))
            self._attempt(action, who)

        @rule(action=st.sampled_from([str(a) for a in Action]), who=st.sampled_from(ACTORS))
        def try_anything(self, action: str, who: str) -> None:
            self._attempt(action, who)

        @invariant()
        def status_is_a_state_of_the_table_and_the_one_predicted(self) -> None:
            application = self._reload()
            assert application.status in ApplicationStatus.values
            assert application.status == self.expected_status

        @invariant()
        def every_transition_is_audited_once(self) -> None:
            # The submit, withdraw, approve and refuse transitions share a verb; every transition event carries
            # its action in the payload.
            events = AuditEvent.objects.filter(
                target_type="licensing.application", target_id=str(self.application.pk), payload__has_key="action"
            )
            assert events.count() == self.transitions_made

        @invariant()
        def a_case_has_at_most_one_final_decision(self) -> None:
            application = self._reload()
            finals = list(Decision.objects.filter(application=application, status=DecisionStatus.FINAL))
            assert len(finals) <= 1
            if application.status == ApplicationStatus.APPROVED:
                assert [d.outcome for d in finals] == ["approve"]
                assert Licence.objects.filter(application=application).count() == 1
            elif application.status == ApplicationStatus.REFUSED:
                assert [d.outcome for d in finals] == ["refuse"]
            else:
                assert finals == []
                assert not Licence.objects.filter(application=application).exists()

        @invariant()
        def decided_cases_never_change_again(self) -> None:
            application = self._reload()
            if application.status not in TERMINAL_APPLICATION_STATUSES:
                assert self.decided is None
                return
            decisions = tuple(
                Decision.objects.filter(application=application).order_by("pk").values_list("pk", "status")
            )
            snapshot = (application.status, application.decided_at, decisions)
            if self.decided is None:
                self.decided = snapshot
            assert snapshot == self.decided

        @invariant()
        def audit_chain_verifies(self) -> None:
            result = verify_chain()
            assert result.ok, result.problem

    run_state_machine_as_test(CaseWalk, settings=WALK_SETTINGS)
