"""Quotas (issue 14): a company still awaiting approval drafts but uploads nothing and gets no API token; an
approved company uploads at most its daily file count and bytes; an application has a capped number of goods
lines, with a field error."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.api_tokens import ERR_TOKEN_NOT_APPROVED, api_token_issue
from core.exceptions import DomainValidationError, NotAllowed
from core.roles import Role
from licensing.models import Document, LicenceType
from licensing.services.applications import (
    ERR_GOODS_LINES_CAP,
    ERR_UPLOAD_NOT_APPROVED,
    application_create,
    document_upload,
    goods_line_save,
)
from tests.factories import UserFactory
from tests.licensing.services.pdfs import MINIMAL_PDF

pytestmark = pytest.mark.django_db


def _pdf(name: str = "euc.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


def _line(actor, application) -> None:  # type: ignore[no-untyped-def]
    goods_line_save(
        actor=actor,
        application_id=application.pk,
        description="Radar spare parts",
        ml_category_id="ML5",
        quantity=Decimal("1"),
        unit="pcs",
        unit_value=Decimal("100.00"),
        currency="EUR",
    )


@pytest.fixture
def pending_exporter(pending_org):  # type: ignore[no-untyped-def]
    return UserFactory(username="carl", organisation=pending_org, is_org_admin=True, roles=[Role.EXPORTER])


def test_pending_company_drafts_but_cannot_upload_when_not_yet_approved(pending_exporter):
    draft = application_create(actor=pending_exporter, licence_type=LicenceType.INDIVIDUAL_EXPORT, title="Radar")
    _line(pending_exporter, draft)  # drafting works

    with pytest.raises(NotAllowed, match="not been approved"):
        document_upload(actor=pending_exporter, application_id=draft.pk, kind="euc", upload=_pdf())
    assert str(ERR_UPLOAD_NOT_APPROVED).startswith("Your company's registration")
    assert not Document.objects.exists()


def test_pending_company_gets_no_api_token_over_the_api(client_for, pending_exporter):
    response = client_for(pending_exporter).post("/api/v1/tokens/")
    assert response.status_code == 403
    assert str(ERR_TOKEN_NOT_APPROVED) in response.content.decode()
    with pytest.raises(NotAllowed):
        api_token_issue(actor=pending_exporter)


def test_upload_is_refused_with_a_field_error_when_the_daily_file_count_is_used(exporter_a, settings):
    settings.ORGANISATION_UPLOADS_PER_DAY = 3
    draft = application_create(actor=exporter_a, licence_type=LicenceType.INDIVIDUAL_EXPORT, title="Radar")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(3):
            document_upload(actor=exporter_a, application_id=draft.pk, kind="euc", upload=_pdf())
        with pytest.raises(DomainValidationError) as refused:
            document_upload(actor=exporter_a, application_id=draft.pk, kind="euc", upload=_pdf())
        assert "today's upload limit (3 files" in refused.value.field_errors["file"][0]

        traveller.shift(timedelta(days=1, seconds=1))  # a rolling day later the quota is free again
        document_upload(actor=exporter_a, application_id=draft.pk, kind="euc", upload=_pdf())
    assert Document.objects.count() == 4


def test_upload_is_refused_when_it_would_pass_the_daily_bytes(exporter_a, settings):
    settings.ORGANISATION_UPLOAD_BYTES_PER_DAY = len(MINIMAL_PDF) * 2
    draft = application_create(actor=exporter_a, licence_type=LicenceType.INDIVIDUAL_EXPORT, title="Radar")
    document_upload(actor=exporter_a, application_id=draft.pk, kind="euc", upload=_pdf())
    document_upload(actor=exporter_a, application_id=draft.pk, kind="euc", upload=_pdf())  # exactly at the limit
    with pytest.raises(DomainValidationError, match="upload limit"):
        document_upload(actor=exporter_a, application_id=draft.pk, kind="euc", upload=_pdf())


def test_quota_counts_per_company_when_another_company_uploads(exporter_a, exporter_b, settings):
    settings.ORGANISATION_UPLOADS_PER_DAY = 1
    mine = application_create(actor=exporter_a, licence_type=LicenceType.INDIVIDUAL_EXPORT, title="A")
    theirs = application_create(actor=exporter_b, licence_type=LicenceType.INDIVIDUAL_EXPORT, title="B")
    document_upload(actor=exporter_a, application_id=mine.pk, kind="euc", upload=_pdf())
    document_upload(actor=exporter_b, application_id=theirs.pk, kind="euc", upload=_pdf())
    assert Document.objects.count() == 2


def test_goods_line_past_the_cap_gets_a_field_error_when_added(exporter_a, settings):
    settings.APPLICATION_MAX_GOODS_LINES = 3
    draft = application_create(actor=exporter_a, licence_type=LicenceType.INDIVIDUAL_EXPORT, title="Radar")
    for _ in range(3):
        _line(exporter_a, draft)
    with pytest.raises(DomainValidationError) as refused:
        _line(exporter_a, draft)
    assert refused.value.field_errors == {"goods": [str(ERR_GOODS_LINES_CAP).format(limit=3)]}
    assert draft.goods.count() == 3


def test_goods_line_cap_answers_400_over_the_api(client_for, exporter_a, settings):
    settings.APPLICATION_MAX_GOODS_LINES = 1
    draft = application_create(actor=exporter_a, licence_type=LicenceType.INDIVIDUAL_EXPORT, title="Radar")
    _line(exporter_a, draft)
    body = {
        "description": "Second line",
        "ml_category": "ML5",
        "quantity": "1",
        "unit": "pcs",
        "unit_value": "10.00",
        "currency": "EUR",
    }
    response = client_for(exporter_a).post(
        f"/api/v1/applications/{draft.pk}/goods/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "at most 1 goods lines" in response.content.decode()
