"""Reference and licence numbers: per series and year, gap-free (a rolled-back transaction gives its number
back) and distinct under concurrency."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone

from audit.models import AuditEvent, Verb
from licensing.models import Licence
from licensing.services import applications as apps
from licensing.services import casework
from licensing.services.numbering import application_reference, licence_number, next_number
from tests.factories import criteria_clear
from tests.licensing.services.test_concurrency import another_transaction_waits_for_a_lock, at_once
from tests.licensing.services.test_transitions import (
    APPROVAL,
    Cast,
    application_in,
    ensure_reference_data,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# A year no other test issues numbers in, so the expected numbers do not depend on test order.
YEAR = 2091


@pytest.fixture
def cast(exporter_a, officer, senior) -> Cast:  # type: ignore[no-untyped-def]
    return Cast(exporter=exporter_a, officer=officer, senior=senior)


@pytest.mark.django_db
def test_numbers_run_per_series_and_year_when_taken_one_after_another():
    with transaction.atomic():
        taken = [
            licence_number(YEAR),
            licence_number(YEAR),
            application_reference(YEAR),
            licence_number(YEAR + 1),
            licence_number(YEAR),
        ]
    assert taken == [
        f"NL-ML-{YEAR}-000001",
        f"NL-ML-{YEAR}-000002",
        f"APP-{YEAR}-000001",
        f"NL-ML-{YEAR + 1}-000001",
        f"NL-ML-{YEAR}-000003",
    ]


@pytest.mark.django_db
def test_number_is_given_back_when_the_transaction_that_took_it_rolls_back():
    with transaction.atomic():
        assert licence_number(YEAR) == f"NL-ML-{YEAR}-000001"
    with pytest.raises(RuntimeError), transaction.atomic():
        assert licence_number(YEAR) == f"NL-ML-{YEAR}-000002"
        raise RuntimeError("the issue failed after the number was taken")
    with transaction.atomic():
        assert licence_number(YEAR) == f"NL-ML-{YEAR}-000002"


@pytest.mark.django_db
def test_failed_approval_leaves_no_gap_in_the_licence_numbers(cast, monkeypatch):
    failing, succeeding = application_in("under_review", cast), application_in("under_review", cast)
    criteria_clear(failing, assessor=cast.officer)
    criteria_clear(succeeding, assessor=cast.officer)
    real_record = casework.record

    def fail_on_licence(**kwargs: Any) -> AuditEvent:
        if kwargs["verb"] == Verb.LICENCE_ISSUED:
            raise RuntimeError("licence register unavailable")
        return real_record(**kwargs)

    today = timezone.localdate()
    validity: dict[str, Any] = {"valid_from": today, "valid_until": today + timedelta(days=365)}
    with time_machine.travel(datetime(YEAR, 3, 2, 10, 0, tzinfo=AMSTERDAM), tick=False):
        with monkeypatch.context() as patch:
            patch.setattr(casework, "record", fail_on_licence)
            with pytest.raises(RuntimeError):
                casework.decision_propose(
                    actor=cast.officer, application_id=failing.pk, outcome="approve", justification=APPROVAL, **validity
                )
        casework.decision_propose(
            actor=cast.officer, application_id=succeeding.pk, outcome="approve", justification=APPROVAL, **validity
        )
    assert Licence.objects.get(application=succeeding).number == f"NL-ML-{YEAR}-000001"
    assert not Licence.objects.filter(application=failing).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "year"),
    [
        # 23:30 on 31 December in Amsterdam is 22:30 UTC: still the old year.
        (datetime(YEAR, 12, 31, 23, 30, tzinfo=AMSTERDAM), YEAR),
        # 00:30 on 1 January in Amsterdam is 23:30 UTC on 31 December: already the new year here.
        (datetime(YEAR + 1, 1, 1, 0, 30, tzinfo=AMSTERDAM), YEAR + 1),
    ],
)
def test_reference_takes_the_dutch_calendar_year_when_created_around_midnight_on_new_year(moment, year, cast):
    with time_machine.travel(moment, tick=False):
        application = apps.application_create(actor=cast.exporter, licence_type="individual_export", title="X")
    assert application.reference == f"APP-{year}-000001"


# --- Concurrency ---------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_first_numbers_of_a_new_year_are_distinct_when_taken_at_the_same_moment():
    # Neither thread finds the year's sequence row: both try to create it, one insert waits for the other.
    ensure_reference_data()

    def take() -> int:
        with transaction.atomic():
            return next_number(series="RACE", year=YEAR)

    outcomes = at_once(take, take)
    assert [o.error for o in outcomes] == [None, None]
    assert sorted(o.value for o in outcomes) == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_second_number_waits_for_the_first_transaction_when_it_holds_the_sequence():
    ensure_reference_data()
    with transaction.atomic():
        next_number(series="WAIT", year=YEAR)  # the row exists from here on
    first_has_number = threading.Event()
    taken: dict[str, int] = {}
    seen: dict[str, bool] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                taken["first"] = next_number(series="WAIT", year=YEAR)
                first_has_number.set()
                # Commit only once the second transaction is blocked on the sequence row.
                seen["waiter"] = another_transaction_waits_for_a_lock()
        finally:
            connection.close()

    def second() -> None:
        try:
            first_has_number.wait(timeout=10)
            with transaction.atomic():
                taken["second"] = next_number(series="WAIT", year=YEAR)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert seen == {"waiter": True}, "the second transaction never waited for the sequence row"
    assert taken == {"first": 2, "second": 3}
