"""Races on real PostgreSQL with real threads: each thread has its own connection and transaction, all start
together at a barrier, and each closes its connection when done.

Where a race window is only milliseconds wide, a step is plugged into the service where it holds its lock,
and waits there until PostgreSQL shows the other thread blocked on that lock: the race really happens, however
busy the machine is.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from audit.models import AuditEvent, Verb
from audit.services import record, verify_chain
from core.exceptions import DomainValidationError, StaleVersion, TransitionNotAllowed
from core.roles import Role
from licensing.models import Application, Decision, Licence, LicenceStatus, ReferenceSequence, Shipment
from licensing.services import casework
from licensing.services.numbering import LICENCE_SERIES
from tests.factories import UserFactory, criteria_clear
from tests.licensing.services.test_transitions import (
    APPROVAL,
    REFUSAL,
    Cast,
    application_in,
    ensure_reference_data,
    licence_in,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def reference_data(transactional_db):  # type: ignore[no-untyped-def]
    ensure_reference_data()


@pytest.fixture
def cast(exporter_a, officer, senior) -> Cast:  # type: ignore[no-untyped-def]
    return Cast(exporter=exporter_a, officer=officer, senior=senior)


@dataclass
class Outcome:
    value: Any = None
    error: BaseException | None = None


def at_once(*calls: Callable[[], Any]) -> list[Outcome]:
    """Run each call in its own thread, released together by a barrier."""
    barrier = threading.Barrier(len(calls))
    outcomes = [Outcome() for _ in calls]

    def worker(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[index].value = call()
        except BaseException as exc:
            outcomes[index].error = exc
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung: deadlock?"
    return outcomes


def another_transaction_waits_for_a_lock(timeout: float = 10.0) -> bool:
    """Poll PostgreSQL until some other session of this database is blocked on a lock (or time runs out).

    Called while the calling thread holds its lock, it makes sure the other thread reached the lock before the
    holder commits, however the threads are scheduled on a busy machine.
    """
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            # Inside a transaction PostgreSQL keeps showing the first snapshot of pg_stat_activity: drop it.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)
    return False


class HoldTheLock:
    """A step plugged into a service where it holds its row lock: it waits there until the other thread is
    blocked on that lock, and remembers whether it saw that happen."""

    def __init__(self) -> None:
        self.saw_a_waiter = False
        self._first = threading.Lock()

    def __call__(self) -> None:
        if self._first.acquire(blocking=False):  # only the first thread in holds on; the second runs through
            self.saw_a_waiter = another_transaction_waits_for_a_lock()


def _approve(actor: Any, application: Application, expected_version: int | None = None) -> Any:
    today = timezone.localdate()
    return casework.decision_propose(
        actor=actor,
        application_id=application.pk,
        outcome="approve",
        justification=APPROVAL,
        valid_from=today,
        valid_until=today + timedelta(days=365),
        expected_version=expected_version,
    )


def _refuse(actor: Any, application: Application, expected_version: int | None = None) -> Any:
    return casework.decision_propose(
        actor=actor,
        application_id=application.pk,
        outcome="refuse",
        justification=REFUSAL,
        criteria=[7],
        expected_version=expected_version,
    )


@pytest.mark.parametrize(
    ("propose", "with_version", "loser_error"),
    [
        pytest.param(_approve, False, TransitionNotAllowed, id="approve: second sees a decided case"),
        pytest.param(_refuse, False, TransitionNotAllowed, id="refuse: second sees a pending decision"),
        pytest.param(_approve, True, StaleVersion, id="approve from the same page version: second is stale"),
    ],
)
def test_exactly_one_decision_is_taken_when_two_officers_decide_the_same_case_at_once(
    propose, with_version, loser_error, cast, officer2, monkeypatch
):
    application = application_in("under_review", cast)
    criteria_clear(application, assessor=cast.officer)
    application.refresh_from_db()
    version = application.version if with_version else None
    hold = HoldTheLock()

    real_checks_run = casework.checks_run

    def holding_checks_run(**kwargs: Any) -> Any:
        hold()  # runs inside decision_propose, after the case row is locked
        return real_checks_run(**kwargs)

    monkeypatch.setattr(casework, "checks_run", holding_checks_run)

    outcomes = at_once(
        lambda: propose(cast.officer, application, version), lambda: propose(officer2, application, version)
    )

    winners = [o for o in outcomes if o.error is None]
    losers = [o for o in outcomes if o.error is not None]
    assert hold.saw_a_waiter, "the second officer never reached the lock while the first held it"
    assert len(winners) == 1, [o.error for o in outcomes]
    assert len(losers) == 1 and isinstance(losers[0].error, loser_error), losers[0].error
    assert Decision.objects.filter(application=application).count() == 1
    proposed = AuditEvent.objects.filter(
        verb=Verb.DECISION_PROPOSED, target_type="licensing.application", target_id=str(application.pk)
    )
    assert proposed.count() == 1
    assert Decision.history.filter(application_id=application.pk).values("id").distinct().count() == 1
    assert verify_chain().ok


def test_licences_get_consecutive_numbers_when_two_are_issued_at_once(cast, officer2):
    first = application_in("under_review", cast)
    second = application_in("under_review", cast)
    criteria_clear(first, assessor=cast.officer)
    criteria_clear(second, assessor=cast.officer)
    year = timezone.localdate().year
    taken = ReferenceSequence.objects.filter(series=LICENCE_SERIES, year=year).values_list("last", flat=True).first()
    start = taken or 0  # 0 on the emptied test database: the numbers are then -000001 and -000002

    outcomes = at_once(lambda: _approve(cast.officer, first), lambda: _approve(officer2, second))

    assert [o.error for o in outcomes] == [None, None]
    numbers = sorted(Licence.objects.filter(application__in=[first, second]).values_list("number", flat=True))
    assert numbers == [f"NL-ML-{year}-{start + 1:06d}", f"NL-ML-{year}-{start + 2:06d}"]


def test_only_one_shipment_takes_the_last_quantity_when_two_are_recorded_at_once(cast, org_a, monkeypatch):
    # The licence: 10 pcs at EUR 1,000 (tests.factories.complete_draft); 8 are shipped first, 2 remain.
    licence = licence_in(LicenceStatus.ISSUED, cast)
    goods = licence.goods.get()
    colleague = UserFactory(username="anna", organisation=org_a, roles=[Role.EXPORTER])
    today = timezone.localdate()

    def ship(actor: Any, quantity: str) -> Shipment:
        return casework.shipment_record(
            actor=actor,
            licence_id=licence.pk,
            licensed_goods_id=goods.pk,
            shipped_on=today,
            quantity=Decimal(quantity),
            value_eur=Decimal("100"),
        )

    ship(cast.exporter, "8")

    hold = HoldTheLock()

    def holding_record(**kwargs: Any) -> AuditEvent:
        hold()  # still inside shipment_record's transaction, holding the licence lock
        return record(**kwargs)

    monkeypatch.setattr(casework, "record", holding_record)
    outcomes = at_once(lambda: ship(cast.exporter, "2"), lambda: ship(colleague, "2"))

    assert hold.saw_a_waiter, "the second shipment never reached the lock while the first held it"
    errors = [o.error for o in outcomes if o.error is not None]
    assert len(errors) == 1
    assert isinstance(errors[0], DomainValidationError)
    assert errors[0].field_errors == {"quantity": ["Only 0 pcs of this item remain on the licence."]}
    goods.refresh_from_db()
    assert goods.shipped_quantity == Decimal("10")
    assert sorted(Shipment.objects.filter(licence=licence).values_list("quantity", flat=True)) == [
        Decimal("2"),
        Decimal("8"),
    ]


def test_audit_chain_stays_linear_when_two_writers_append_at_once(officer, senior):
    start = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0

    def append(actor: Any, name: str) -> None:
        for i in range(20):
            with transaction.atomic():
                record(actor=actor, verb=Verb.APPLICATION_NOTE_ADDED, target=("test", f"{name}-{i}"), payload={"i": i})

    outcomes = at_once(lambda: append(officer, "a"), lambda: append(senior, "b"))

    assert [o.error for o in outcomes] == [None, None]
    events = list(AuditEvent.objects.filter(sequence__gt=start).order_by("sequence"))
    assert [e.sequence for e in events] == list(range(start + 1, start + 41))
    for previous, event in pairwise(events):
        assert event.prev_hash == previous.hash
    assert sorted(e.target_id for e in events) == sorted([f"a-{i}" for i in range(20)] + [f"b-{i}" for i in range(20)])
    result = verify_chain()
    assert result.ok, result.problem
    assert result.head_hash == events[-1].hash
