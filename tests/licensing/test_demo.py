"""The demo applications: created through the services, in every state the portal shows, and only once."""

from __future__ import annotations

import io
from collections import Counter

import pytest

from licensing.models import Application, ApplicationStatus, DocumentKind, Licence, Shipment
from parties.models import User
from seeding import demo_licensing as demo
from seeding.demo import _seed_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_people():  # type: ignore[no-untyped-def]
    _seed_people(io.StringIO())


def test_demo_creates_applications_in_every_state_when_seeded(demo_people):
    out = io.StringIO()

    demo.seed_demo(stdout=out)

    assert "stopped early" not in out.getvalue()
    statuses = Counter(Application.objects.values_list("status", flat=True))
    assert statuses == {
        ApplicationStatus.DRAFT: 3,
        ApplicationStatus.SUBMITTED: 1,
        ApplicationStatus.UNDER_REVIEW: 2,
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


def test_demo_end_user_certificates_are_real_pdfs(demo_people):
    demo.seed_demo(stdout=io.StringIO())

    certificates = Application.objects.get(status=ApplicationStatus.APPROVED).documents.filter(
        kind=DocumentKind.END_USER_CERTIFICATE
    )
    document = certificates.get()
    assert document.content_type == "application/pdf"
    with document.file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-1.4") and content.rstrip().endswith(b"%%EOF")
    assert b"END-USER CERTIFICATE" in content


def test_demo_adds_nothing_when_run_twice(demo_people):
    demo.seed_demo(stdout=io.StringIO())
    count = Application.objects.count()
    out = io.StringIO()

    demo.seed_demo(stdout=out)

    assert Application.objects.count() == count
    assert "exist already" in out.getvalue()
