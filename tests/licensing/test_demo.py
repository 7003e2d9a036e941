"""The demo applications: created through the services, in every state the portal shows, and only once.

Seeded once for the module (tests/module_data.py); what a test adds to it is rolled back after that test."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator

import pytest
from django.utils import timezone

from licensing.models import (
    OPEN_STATUSES,
    Application,
    ApplicationStatus,
    DocumentKind,
    InformationRequest,
    Licence,
    Shipment,
)
from licensing.models.assessment import AdviceRequest, AdviceStatus
from parties.models import User
from seeding import demo_licensing as demo
from seeding.demo import _seed_people
from tests.module_data import built_for_the_module

pytestmark = pytest.mark.django_db


def _seed() -> str:
    """The demo people, then the demo applications; what seeding the applications printed."""
    _seed_people(io.StringIO())
    out = io.StringIO()
    demo.seed_demo(stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> Iterator[str]:  # type: ignore[no-untyped-def]
    yield from built_for_the_module(django_db_blocker, _seed)


def test_demo_creates_applications_in_every_state_when_seeded(seeded):
    assert "stopped early" not in seeded
    statuses = Counter(Application.objects.values_list("status", flat=True))
    assert statuses == {
        ApplicationStatus.DRAFT: 3,
        ApplicationStatus.SUBMITTED: 3,
        ApplicationStatus.UNDER_REVIEW: 4,
        ApplicationStatus.INFORMATION_REQUESTED: 1,
        ApplicationStatus.APPROVED: 1,
        ApplicationStatus.REFUSED: 1,
    }
    officer = User.objects.get(email=demo.OFFICER)
    reviewed = Application.objects.filter(status=ApplicationStatus.UNDER_REVIEW)
    assert all(a.assigned_to == officer for a in reviewed)
    licence = Licence.objects.get()
    assert Shipment.objects.get(licence=licence).quantity == 2
    refused = Application.objects.get(status=ApplicationStatus.REFUSED)
    assert refused.decisions.get().countersigned_by.email == demo.SENIOR
    assert set(Application.objects.values_list("destination_id", flat=True)) >= {"NO", "US", "GB", "AU", "SA", "IN"}


def test_demo_cases_have_different_ages_and_deadlines_when_seeded(seeded):
    """The queue sorted by deadline shows an order: arrivals from 3 to 63 days ago, deadlines recomputed from them
    (Awb 4:13 eight weeks: the 63-day-old case is past it; the 45-day-old one past its 20-working-day target)."""
    today = timezone.localdate()
    open_cases = Application.objects.filter(status__in=sorted(OPEN_STATUSES))
    ages = {a.title: (today - a.received_on).days for a in open_cases if a.received_on}
    assert ages["Naval fire control radar upgrade for the Indonesian Navy"] == 63
    assert ages["Radar antenna tiles for a German frigate programme"] == 3
    overdue = open_cases.get(title="Naval fire control radar upgrade for the Indonesian Navy")
    assert overdue.legal_deadline < today
    late = open_cases.get(title="Night vision goggles for the Egyptian Army")
    assert late.target_date < today < late.legal_deadline
    assert len({a.legal_deadline for a in open_cases if a.legal_deadline}) >= 6
    asked = AdviceRequest.objects.filter(status=AdviceStatus.OPEN, adviser__email=demo.ADVISER)
    assert asked.count() == 2
    answered = InformationRequest.objects.filter(answered_on__isnull=False, application__in=open_cases).get()
    assert answered.requested_on < answered.answered_on < today


def test_demo_end_user_certificates_are_real_pdfs(seeded):
    certificates = Application.objects.get(status=ApplicationStatus.APPROVED).documents.filter(
        kind=DocumentKind.END_USER_CERTIFICATE
    )
    document = certificates.get()
    assert document.content_type == "application/pdf"
    with document.file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-1.4") and content.rstrip().endswith(b"%%EOF")
    assert b"END-USER CERTIFICATE" in content


def test_demo_adds_nothing_when_run_twice(seeded):
    count = Application.objects.count()
    out = io.StringIO()

    demo.seed_demo(stdout=out)

    assert Application.objects.count() == count
    assert "exist already" in out.getvalue()
