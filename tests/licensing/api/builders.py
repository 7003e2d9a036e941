"""Records the API tests start from, made through the real services (no shortcuts past the rules)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from licensing.models import ApplicationStatus, Document, Licence
from licensing.services import applications, casework
from tests.factories import submitted_application
from tests.licensing.services.pdfs import pdf_upload


def issued_licence(*, organisation: Any, officer: Any, **kwargs: Any) -> Licence:
    """An application of `organisation` under review, approved by `officer`: its licence (valid one year)."""
    application = submitted_application(
        organisation=organisation,
        status=ApplicationStatus.UNDER_REVIEW,
        assigned_to=officer,
        criteria_cleared_by=officer,
        **kwargs,
    )
    today = timezone.localdate()
    casework.decision_propose(
        actor=officer,
        application_id=application.pk,
        outcome="approve",
        justification="No concerns under the eight criteria.",
        valid_from=today,
        valid_until=today + timedelta(days=365),
    )
    return Licence.objects.get(application=application)


def uploaded_euc(*, exporter: Any, application_id: int) -> Document:
    return applications.document_upload(actor=exporter, application_id=application_id, kind="euc", upload=pdf_upload())
