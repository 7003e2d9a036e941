"""Shared set-up for the exporter portal tests: applications and licences in the states a page shows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from licensing.models import Application, DecisionOutcome, DocumentKind, Licence
from licensing.services import applications as apps
from licensing.services import casework
from tests.factories import complete_draft, criteria_clear
from tests.licensing.services.pdfs import pdf_upload


def portal_url(name: str, *args: Any) -> str:
    return reverse(f"portal:{name}", args=args)


def draft_for(exporter: Any, *, goods: int = 1, **kwargs: Any) -> Application:
    """A draft with goods, consignee and end user, but no end-user certificate yet."""
    return complete_draft(organisation=exporter.organisation, created_by=exporter, goods=goods, **kwargs)


def ready_draft(exporter: Any, **kwargs: Any) -> Application:
    application = draft_for(exporter, **kwargs)
    apps.document_upload(
        actor=exporter, application_id=application.pk, kind=DocumentKind.END_USER_CERTIFICATE, upload=pdf_upload()
    )
    application.refresh_from_db()
    return application


def submitted_for(exporter: Any) -> Application:
    application = ready_draft(exporter)
    return apps.application_submit(actor=exporter, application_id=application.pk)


def under_review_for(exporter: Any, officer: Any) -> Application:
    application = submitted_for(exporter)
    return casework.application_assign(actor=officer, application_id=application.pk, assignee=officer)


def licence_for(
    exporter: Any, officer: Any, *, valid_from: dt.date | None = None, valid_until: dt.date | None = None
) -> Licence:
    """An issued licence on a one-line application: 10 pieces at EUR 1,000 (the goods factory's default)."""
    application = under_review_for(exporter, officer)
    criteria_clear(application, assessor=officer)
    start, end = casework.default_validity()
    casework.decision_propose(
        actor=officer,
        application_id=application.pk,
        outcome=DecisionOutcome.APPROVE,
        justification="No concerns.",
        valid_from=valid_from or start,
        valid_until=valid_until or end,
    )
    return Licence.objects.get(application=application)


def goods_post(**overrides: Any) -> dict[str, Any]:
    data = {
        "description": "Thermal imaging camera core",
        "ml_category": "ML15",
        "ml_sub_item": "ML15.c",
        "quantity": "3",
        "unit": "pcs",
        "unit_value": "2500.00",
        "currency": "EUR",
        "part_numbers": "TIC-640",
    }
    data.update(overrides)
    return data


def party_post(**overrides: Any) -> dict[str, Any]:
    data = {
        "role": "end_user",
        "name": "Royal Australian Navy",
        "address": "Fleet Base West, Rockingham WA",
        "country": "AU",
        "party_type": "armed_forces",
    }
    data.update(overrides)
    return data
