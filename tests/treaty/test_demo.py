"""The treaty demo: notifications close to their deadlines, a consultation, and the two transfers; idempotent."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine

from consultations.models.treaty import NotificationStatus, Programme, TreatyNotification
from licensing.models import ApplicationStatus
from licensing.models.consultation import Consultation, ConsultationKind, ConsultationStatus
from licensing.models.treaty import TreatyTransfer
from seeding import demo_consultations as demo
from seeding.demo import _seed_people

pytestmark = pytest.mark.django_db


@time_machine.travel(date(2026, 11, 23), tick=False)
def test_demo_shows_deadlines_close_by_and_both_transfers_when_seeded_twice():
    out = io.StringIO()
    _seed_people(out)
    demo.seed_demo(stdout=out)
    demo.seed_demo(stdout=out)
    today = date(2026, 11, 23)
    days_left = {
        n.their_reference: n.days_left(today) for n in TreatyNotification.objects.filter(status=NotificationStatus.OPEN)
    }
    assert days_left == {"DEMO-FR-2026-031": 3, "DEMO-DE-2026-112": 12, "DEMO-ES-2026-007": 40}
    objected = TreatyNotification.objects.get(their_reference=demo.OBJECTION_REFERENCE)
    assert objected.status == NotificationStatus.OBJECTED
    consultation = Consultation.objects.get(kind=ConsultationKind.HIGH_LEVEL)
    assert (consultation.status, consultation.meetings.count()) == (ConsultationStatus.OPEN, 1)
    transfers = {t.application.title: t for t in TreatyTransfer.objects.select_related("application")}
    assert len(transfers) == 2
    shares = sorted((t.share_percent, t.de_minimis, t.application.status) for t in transfers.values())
    assert shares == [
        (Decimal("14.00"), True, ApplicationStatus.SUBMITTED),
        (Decimal("32.00"), False, ApplicationStatus.SUBMITTED),
    ]
    assert Programme.objects.count() == 1
    assert "Treaty demo ready" in out.getvalue()
