from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from audit.models import AuditEvent, Verb
from audit.services import verify_chain
from licensing.models import Application, ApplicationStatus, Licence

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = StringIO()
    call_command("seed_bulk", "--applications", "60", "--seed", "7", "--batch", "25", stdout=out)
    return out.getvalue()


def test_seed_bulk_fills_a_complete_register_when_run_once() -> None:
    output = _seed()

    apps = Application.objects.filter(reference__startswith="BULK-7-")
    assert apps.count() == 60
    assert set(apps.values_list("status", flat=True)) == set(ApplicationStatus.values)
    assert not apps.filter(goods__isnull=True).exists()
    assert not apps.filter(parties__isnull=True).exists()
    approved = apps.filter(status=ApplicationStatus.APPROVED)
    assert Licence.objects.filter(application__in=approved).count() == approved.count()
    assert Application.history.filter(reference__startswith="BULK-7-", history_type="+").count() == 60
    assert "bulk-7" in Application.objects.get(reference="BULK-7-1").search_document
    # Every case has its audit trail: created, and decided where it was; the chain still verifies.
    assert AuditEvent.objects.filter(verb=Verb.APPLICATION_CREATED).count() == 60
    decided = apps.filter(decided_at__isnull=False)
    assert decided.exists()
    assert AuditEvent.objects.filter(verb=Verb.APPLICATION_TRANSITIONED).count() == decided.count()
    assert verify_chain().ok
    # COPY leaves nothing half-done: history rows are dated at the submission, not at the load.
    first = apps.exclude(submitted_at=None).order_by("reference").first()
    assert first is not None
    created = Application.history.get(id=first.pk, history_type="+")
    assert created.history_date == first.submitted_at
    assert first.created_at == first.submitted_at
    assert "60 new" in output
    assert "rows/s" in output


def test_seed_bulk_adds_nothing_when_rerun_with_the_same_seed() -> None:
    _seed()
    first = list(Application.objects.order_by("reference").values_list("reference", "status", "total_value_eur"))

    output = _seed()

    assert "0 new" in output
    assert (
        list(Application.objects.order_by("reference").values_list("reference", "status", "total_value_eur")) == first
    )
    assert AuditEvent.objects.filter(verb=Verb.APPLICATION_CREATED).count() == 60
