"""The bulk register loaded in two processes (seeding/bulk_overlap.py): the consultations loader, forked, follows the
applications loader as it commits. It must write the rows of the serial load (ids and the audit chain's order
apart), keep the audit chain whole, add nothing when run again, and report a failure on either side.

Transactional tests: the child process has a connection of its own and sees only committed rows."""

from __future__ import annotations

import json
import multiprocessing
from collections import Counter
from datetime import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import models
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import verify_chain
from consultations.models.treaty import Objection, Programme, TreatyNotification
from core.models import DeadlineReminder
from licensing.models import (
    Application,
    ApplicationParty,
    Decision,
    GoodsLine,
    Licence,
    LicensedGoods,
    LicensedParty,
    Shipment,
)
from licensing.models.consultation import Consultation
from licensing.models.denials import DenialMatch, DenialNotification
from parties.models import Organisation, User
from seeding import bulk_consultations, bulk_licensing
from seeding.bulk_consultations import bulk_seed_consultations
from seeding.bulk_licensing import bulk_seed_run
from seeding.bulk_overlap import bulk_seed_overlapped
from tests.db_template import reference_world_restore
from tests.licensing.services.test_transitions import ensure_reference_data

pytestmark = pytest.mark.django_db(transaction=True)

SEED, APPLICATIONS, OPEN, BATCH = 13, 80, 30, 10  # small batches: the child follows through several of them

# Rows named by a unique field: a foreign key to one of them is compared by that name, not by its id.
NAMED: dict[type[models.Model], str] = {
    Application: "reference",
    Licence: "number",
    DenialNotification: "reference",
    TreatyNotification: "their_reference",
    User: "username",
    Organisation: "kvk_number",
    Programme: "name",
}
# Every table the load writes (history and audit apart), compared row by row without ids.
WRITTEN: tuple[type[models.Model], ...] = (
    Application,
    GoodsLine,
    ApplicationParty,
    Decision,
    Decision.criteria.through,
    Licence,
    LicensedGoods,
    LicensedParty,
    Shipment,
    Consultation,
    DenialNotification,
    DenialNotification.criteria.through,
    DenialMatch,
    TreatyNotification,
    Objection,
    DeadlineReminder,
)


@pytest.fixture(autouse=True)
def reference_data(transactional_db):  # type: ignore[no-untyped-def]
    ensure_reference_data()


def _register(since: datetime) -> dict[str, Counter[Any]]:
    """What the load wrote, without ids: each row with its foreign keys replaced by the row they name (its unique
    name, or its own contents), its timestamps set at load time (`since` or later) blanked; the history rows and
    audit events per kind."""
    keys: dict[tuple[type[models.Model], Any], Any] = {}

    def key(model: type[models.Model], pk: Any) -> Any:
        if pk is None or (model not in NAMED and model not in WRITTEN):
            return pk  # reference data: the same ids in both loads
        if (model, pk) not in keys:
            if model in NAMED:
                keys[model, pk] = model._default_manager.filter(pk=pk).values_list(NAMED[model], flat=True).get()
            else:
                keys[model, pk] = row(model, model._default_manager.filter(pk=pk).values().get())
        return keys[model, pk]

    def row(model: type[models.Model], values: dict[str, Any]) -> tuple[Any, ...]:
        out = []
        for field in model._meta.concrete_fields:
            value = values[field.attname]
            if field.primary_key:
                continue
            if field.is_relation:
                value = key(field.related_model, value)  # type: ignore[arg-type]
            elif isinstance(value, datetime) and value >= since:
                value = "load time"
            elif isinstance(value, dict | list):
                value = json.dumps(value, sort_keys=True, default=str)
            elif model is DeadlineReminder and field.name == "subject":
                kind, pk = value.split(":")
                value = f"{kind}:{key(TreatyNotification, int(pk))}"
            out.append((field.name, value))
        return tuple(out)

    register = {model._meta.label: Counter(row(model, v) for v in model._default_manager.values()) for model in WRITTEN}
    for model in WRITTEN:
        if hasattr(model, "history"):
            history = model.history.values_list("history_type", "history_change_reason")  # type: ignore[attr-defined]
            register[f"{model._meta.label} (history)"] = Counter(history)
    register["audit"] = Counter(AuditEvent.objects.values_list("verb", "target_type", "actor_label"))
    return register


def _serial() -> tuple[dict[str, float], dict[str, float]]:
    result = bulk_seed_run(applications=APPLICATIONS, seed=SEED, batch=BATCH)
    return dict(result.rows), bulk_seed_consultations(seed=SEED, open_notifications=OPEN)


def _overlapped() -> tuple[dict[str, float], dict[str, float]]:
    result, counts = bulk_seed_overlapped(applications=APPLICATIONS, seed=SEED, open_notifications=OPEN, batch=BATCH)
    return dict(result.rows), counts


def _without_seconds(counts: dict[str, float]) -> dict[str, float]:
    return {name: rows for name, rows in counts.items() if name != "seconds"}


def test_overlapped_load_writes_the_rows_of_the_serial_load_and_the_audit_chain_verifies() -> None:
    since = timezone.now()
    serial_rows, serial_counts = _serial()
    serial = _register(since)
    assert verify_chain().ok
    call_command("flush", interactive=False, verbosity=0)
    reference_world_restore(reset_sequences=True)
    since = timezone.now()

    overlapped_rows, overlapped_counts = _overlapped()

    assert _register(since) == serial
    assert overlapped_rows == serial_rows
    assert _without_seconds(overlapped_counts) == _without_seconds(serial_counts)
    assert serial[TreatyNotification._meta.label] and serial[DenialNotification._meta.label]
    check = verify_chain()
    assert check.ok
    assert check.checked == AuditEvent.objects.count() == sum(serial["audit"].values())
    assert multiprocessing.active_children() == []


def test_overlapped_load_adds_nothing_when_run_again() -> None:
    _overlapped()
    before = {model._meta.label: model._default_manager.count() for model in (*WRITTEN, AuditEvent)}

    rows, counts = _overlapped()

    assert [name for name, count in rows.items() if count] == []
    assert [name for name, count in _without_seconds(counts).items() if count] == []
    assert {model._meta.label: model._default_manager.count() for model in (*WRITTEN, AuditEvent)} == before
    assert verify_chain().ok


def test_seed_bulk_fails_with_the_consultations_loaders_error_when_it_fails(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(*args: Any, **kwargs: Any) -> None:
        raise ValueError("consultations went wrong")

    monkeypatch.setattr(bulk_consultations, "_consult_batch", broken)  # the forked child has it too

    with pytest.raises(CommandError, match="consultations went wrong"):
        call_command(
            "seed_bulk", "--applications", str(APPLICATIONS), "--seed", str(SEED), "--batch", str(BATCH),
            stdout=StringIO(),
        )  # fmt: skip
    assert multiprocessing.active_children() == []
    assert not Consultation.objects.exists()
    assert verify_chain().ok


def test_overlapped_load_stops_the_consultations_loader_when_the_applications_loader_fails(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    write_batch = bulk_licensing._write_batch
    batches = []

    def second_fails(*args: Any, **kwargs: Any) -> None:
        batches.append(1)
        if len(batches) == 2:
            raise ValueError("applications went wrong")
        write_batch(*args, **kwargs)

    monkeypatch.setattr(bulk_licensing, "_write_batch", second_fails)

    with pytest.raises(ValueError, match="applications went wrong"):
        _overlapped()
    assert multiprocessing.active_children() == []
    assert Application.objects.count() == BATCH  # the first batch, committed
    assert not TreatyNotification.objects.filter(their_reference__contains="-OPEN-").exists()
    assert verify_chain().ok


def test_seed_bulk_reports_the_rows_of_both_loaders() -> None:
    out = StringIO()
    events = AuditEvent.objects.count()  # the reference world's

    call_command("seed_bulk", "--applications", str(APPLICATIONS), "--seed", str(SEED), "--batch", str(BATCH),
                 "--open-notifications", str(OPEN), stdout=out)  # fmt: skip

    lines = dict(line.split()[:2] for line in out.getvalue().splitlines() if line.startswith("  ") and "(" not in line)
    assert lines[Application._meta.label] == str(APPLICATIONS)
    assert lines[TreatyNotification._meta.label] == str(TreatyNotification.objects.count())
    assert lines["audit.AuditEvent"] == str(AuditEvent.objects.count() - events)
    assert f"{APPLICATIONS} new, 0 already there" in out.getvalue()
