"""The audit chain: appends link by SHA-256, verification names the first broken event."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError

from audit.models import AuditEvent, Verb
from audit.services import record, verify_chain

pytestmark = pytest.mark.django_db


def _append(actor, n: int) -> list[AuditEvent]:
    events = []
    for i in range(n):
        with transaction.atomic():
            events.append(
                record(
                    actor=actor,
                    verb=Verb.APPLICATION_NOTE_ADDED,
                    target=("test", str(i)),
                    payload={"i": i, "amount": "12.50"},
                    reason=f"reason {i}",
                )
            )
    return events


def test_chain_verifies_and_links_each_event_to_the_previous_when_untouched(officer):
    events = _append(officer, 3)
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    result = verify_chain()
    assert result.ok
    assert result.head_hash == events[-1].hash


@pytest.mark.django_db(transaction=True)
def test_record_refuses_to_run_when_outside_a_transaction(officer):
    with pytest.raises(RuntimeError):
        record(actor=officer, verb=Verb.APPLICATION_NOTE_ADDED, target=("test", "x"))


def test_database_refuses_update_and_delete_when_an_event_is_altered(officer):
    event = _append(officer, 1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_verification_names_the_altered_event_when_a_row_is_changed_in_sql(officer):
    events = _append(officer, 4)
    target = events[2]
    # A database superuser can bypass the trigger (replica mode); the hash chain still shows the edit.
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("UPDATE audit_auditevent SET reason = 'nothing to see' WHERE id = %s", [target.pk])
        cursor.execute("SET session_replication_role = DEFAULT")
    result = verify_chain()
    assert not result.ok
    assert result.first_broken_sequence == target.sequence
    assert result.problem == "content altered"
    with pytest.raises(CommandError, match=f"#{target.sequence}"):
        call_command("verify_audit_trail")
