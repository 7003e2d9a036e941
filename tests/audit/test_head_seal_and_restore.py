"""Tamper evidence for the tail (issue 14): the hash chain alone cannot notice its newest events deleted together
with the head; a signed head published outside the database can. And a backup restored into a fresh database
verifies: the whole chain, and the head against the seal published before the backup."""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from audit.head_seal import chain_head_check, chain_head_publish
from audit.models import AuditEvent
from audit.services import verify_chain
from parties.models import OrganisationStatus
from parties.services import organisation_approve
from tests.factories import OrganisationFactory

ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def seal_file(tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.AUDIT_HEAD_FILE = str(tmp_path / "audit-heads.jsonl")
    return Path(settings.AUDIT_HEAD_FILE)


def _events(officer, count: int) -> None:  # type: ignore[no-untyped-def]
    for i in range(count):
        org = OrganisationFactory(kvk_number=f"{70000000 + i}", status=OrganisationStatus.PENDING)
        organisation_approve(actor=officer, organisation_id=org.pk, reason="checked")


def _delete_newest_as_superuser(keep: int) -> None:
    """What the append-only trigger cannot stop: a superuser with triggers off, removing the tail and the head."""
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute("DELETE FROM audit_auditevent WHERE sequence > %s", [keep])
            cursor.execute(
                "UPDATE audit_auditchainhead SET sequence = %s, hash = (SELECT hash FROM audit_auditevent "
                "WHERE sequence = %s)",
                [keep, keep],
            )
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")


@pytest.mark.django_db
def test_deleting_the_newest_events_with_the_head_is_detected_when_a_seal_was_published(
    seal_file, officer, mailoutbox, settings
):
    settings.AUDIT_HEAD_RECIPIENTS = ["auditor@example.org"]
    _events(officer, 3)
    newest = AuditEvent.objects.order_by("-sequence").first()
    seal = chain_head_publish()
    assert (seal["sequence"], seal["hash"]) == (newest.sequence, newest.hash)
    assert json.loads(seal_file.read_text().splitlines()[-1]) == seal
    assert [m.to for m in mailoutbox] == [["auditor@example.org"]]
    assert chain_head_check() == []

    _delete_newest_as_superuser(keep=newest.sequence - 2)

    assert verify_chain().ok  # the chain that is left is consistent: only the seal shows the loss
    problems = chain_head_check()
    assert problems[0] == f"Event #{newest.sequence}, published as the head on {seal['published_at']}, is missing."
    assert problems[1] == f"The chain ends at #{newest.sequence - 2}, before the published head #{newest.sequence}."


@pytest.mark.django_db
def test_a_seal_edited_by_hand_is_refused_when_checked(seal_file, officer):
    _events(officer, 1)
    seal = chain_head_publish()
    seal["sequence"] = seal["sequence"] - 1
    seal_file.write_text(json.dumps(seal) + "\n")
    assert chain_head_check() == ["The published chain head's signature does not match: the seal file was altered."]


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_fresh_database_with_the_chain_and_head_verified(seal_file, officer, tmp_path):
    _events(officer, 3)
    chain_head_publish()
    events = AuditEvent.objects.count()  # the reference data's events and the three approvals
    source = connection.settings_dict
    url = f"postgres://{source['USER']}@{source['HOST'] or '127.0.0.1'}:{source['PORT'] or 5432}"
    restored_name = f"restore_{uuid.uuid4().hex[:8]}"
    dump = tmp_path / "register.dump"
    subprocess.run([ROOT / "scripts" / "backup.sh", f"{url}/{source['NAME']}", dump], check=True, capture_output=True)
    subprocess.run(["createdb", "-h", source["HOST"] or "127.0.0.1", "-U", source["USER"], restored_name], check=True)
    try:
        subprocess.run(
            [ROOT / "scripts" / "restore.sh", dump, f"{url}/{restored_name}"], check=True, capture_output=True
        )
        env = {
            **os.environ,
            "DATABASE_URL": f"{url}/{restored_name}",
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "AUDIT_HEAD_FILE": str(seal_file),
        }
        manage = [str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "manage.py")]
        verified = subprocess.run([*manage, "verify_audit_trail"], env=env, capture_output=True, text=True)
        head = subprocess.run([*manage, "check_audit_head"], env=env, capture_output=True, text=True)
        assert verified.returncode == 0, verified.stderr
        assert f"Audit trail OK: {events} events verified" in verified.stdout
        assert head.returncode == 0, head.stderr
        assert "matches the last published seal" in head.stdout
        # The restore refuses a database that is not empty.
        again = subprocess.run(
            [ROOT / "scripts" / "restore.sh", dump, f"{url}/{restored_name}"], capture_output=True, text=True
        )
        assert again.returncode == 1 and "is not empty" in again.stderr
    finally:
        subprocess.run(["dropdb", "-h", source["HOST"] or "127.0.0.1", "-U", source["USER"], restored_name], check=True)
