"""The treaty demo: notifications close to their deadlines, a consultation, and the two transfers; idempotent."""

from __future__ import annotations

import io
from datetime import date, timedelta
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
    assert len(transfers) == 3
    shares = sorted((t.share_percent, t.de_minimis, t.application.status) for t in transfers.values())
    assert shares == [
        (Decimal("14.00"), True, ApplicationStatus.APPROVED),
        # 100,000 + the approved 350,000 of 2,500,000: the final system's two transfers add up.
        (Decimal("18.00"), True, ApplicationStatus.SUBMITTED),
        (Decimal("32.00"), False, ApplicationStatus.SUBMITTED),
    ]
    second = transfers["Sonar window optics for the same French submarine sonar (demo)"]
    assert (second.final_system.identifier, second.earlier_decided_eur) == (
        "FR-SUBMARINE BOW SONAR",
        Decimal("350000.00"),
    )
    assert Programme.objects.count() == 1
    assert "Treaty demo ready" in out.getvalue()


@time_machine.travel(date(2026, 11, 23), tick=False)
def test_demo_shows_a_partners_open_window_and_a_notice_of_delay_when_the_cases_are_seeded_first():
    from licensing.models.awb import DelayNotice
    from seeding import demo_licensing as licensing_demo

    out = io.StringIO()
    _seed_people(out)
    licensing_demo.seed_demo(stdout=out)
    demo.seed_demo(stdout=out)
    demo.seed_demo(stdout=out)
    [window] = TreatyNotification.objects.filter(application__title=demo.WINDOW_CASE)
    # Received 13 Nov 2026 (ten days ago): France may object until 13 Jan 2027.
    assert (window.counterpart_id, window.received_on, window.objection_deadline) == (
        "FR",
        date(2026, 11, 13),
        date(2027, 1, 13),
    )
    [notice] = DelayNotice.objects.filter(application__title=demo.WINDOW_CASE)
    assert notice.new_expected_on == max(date(2027, 1, 13), notice.legal_deadline) + timedelta(days=14)
