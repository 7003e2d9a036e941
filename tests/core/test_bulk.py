"""core.bulk.copy_insert and audit.services.record_many: the fast paths of bulk loads write what the slow ones do."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import transaction

from audit.models import AuditEvent, Verb
from audit.services import PendingEvent, record, record_many, verify_chain
from core.bulk import copy_insert
from parties.models import Organisation, OrganisationStatus

pytestmark = pytest.mark.django_db


def test_copy_insert_gives_rows_their_keys_and_a_history_row_dated_at_the_event() -> None:
    registered = datetime(2019, 5, 6, 9, 30, tzinfo=UTC)
    orgs = [
        Organisation(name=f"Copy {i} B.V.", kvk_number=f"7700000{i}", status=OrganisationStatus.APPROVED)
        for i in range(3)
    ]

    with transaction.atomic():
        created = copy_insert(Organisation, orgs, history_at=lambda o: registered, history_reason="bulk load")

    assert all(o.pk for o in created)
    stored = Organisation.objects.filter(pk__in=[o.pk for o in created]).order_by("kvk_number")
    assert [o.name for o in stored] == ["Copy 0 B.V.", "Copy 1 B.V.", "Copy 2 B.V."]
    history = Organisation.history.filter(id__in=[o.pk for o in created])
    assert history.count() == 3
    assert {(h.history_type, h.history_date, h.history_change_reason) for h in history} == {
        ("+", registered, "bulk load")
    }
    # The sequence moved past the reserved keys: the next ordinary save does not collide.
    later = Organisation.objects.create(name="Saved later", kvk_number="77000099")
    assert later.pk > max(o.pk for o in created)


def test_record_many_extends_the_chain_exactly_as_one_by_one_appends_do() -> None:
    with transaction.atomic():
        record(actor=None, verb=Verb.APPLICATION_CREATED, target=("licensing.application", "1"))
    with transaction.atomic():
        written = record_many(
            [
                PendingEvent(verb=Verb.APPLICATION_CREATED, target=("licensing.application", str(n)), payload={"n": n})
                for n in range(2, 6)
            ]
        )
    with transaction.atomic():
        record(actor=None, verb=Verb.APPLICATION_CREATED, target=("licensing.application", "6"))

    assert written == 4
    assert list(AuditEvent.objects.order_by("sequence").values_list("target_id", flat=True))[-6:] == [
        "1", "2", "3", "4", "5", "6"
    ]  # fmt: skip
    result = verify_chain()
    assert result.ok, result.problem


@pytest.mark.django_db(transaction=True)
def test_record_many_refuses_to_run_outside_a_transaction() -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError):
        record_many([PendingEvent(verb=Verb.APPLICATION_CREATED, target=("licensing.application", "1"))])
    assert AuditEvent.objects.count() == before
