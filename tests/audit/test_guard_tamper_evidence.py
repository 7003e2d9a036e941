"""Tamper evidence on the demo data: verify_audit_trail passes on a freshly seeded database and, after a row is
altered directly in SQL (as a database superuser could), fails naming that event. Seeding takes seconds, so
these tests are few, and they share one seeded demo (tests/module_data.py): each test's own change to it is rolled
back after that test."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit.models import AuditEvent, Verb
from tests.module_data import built_for_the_module

pytestmark = pytest.mark.django_db


def _seed_demo() -> AuditEvent:
    call_command("seed_demo", stdout=io.StringIO())
    return AuditEvent.objects.filter(verb=Verb.ORGANISATION_APPROVED).order_by("sequence").first()  # type: ignore[return-value]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[AuditEvent]:  # type: ignore[no-untyped-def]
    """The demo, seeded once for this module; the event recording the approval of the first demo company."""
    yield from built_for_the_module(django_db_blocker, _seed_demo)


def _as_superuser(sql: str, params: list[object]) -> None:
    """What the trigger cannot stop: a superuser switching triggers off (replication mode) and editing rows."""
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(sql, params)
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")


def _verify() -> str:
    out = io.StringIO()
    call_command("verify_audit_trail", stdout=out)
    return out.getvalue()


def test_verify_audit_trail_passes_and_prints_the_head_hash_when_run_on_the_seeded_demo(demo):
    assert demo is not None
    count = AuditEvent.objects.count()
    head = AuditEvent.objects.order_by("-sequence").first()
    output = _verify()
    assert f"Audit trail OK: {count} events verified" in output
    assert f"Head hash (keep a copy outside the database): {head.hash}" in output  # type: ignore[union-attr]


def test_verify_audit_trail_names_the_event_when_its_reason_is_altered_in_sql(demo):
    _as_superuser("UPDATE audit_auditevent SET reason = 'approved without checks' WHERE id = %s", [demo.pk])
    with pytest.raises(CommandError, match=rf"BROKEN at event #{demo.sequence}: content altered"):
        _verify()


def test_verify_audit_trail_names_the_gap_when_an_event_is_deleted_in_sql(demo):
    _as_superuser("DELETE FROM audit_auditevent WHERE id = %s", [demo.pk])
    with pytest.raises(CommandError, match=rf"#{demo.sequence}: event missing"):
        _verify()
