"""Builders shared by the case-work view tests (this module holds no tests itself)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from audit.models import AuditEvent
from licensing.models import Application, ApplicationStatus, PartyRole, PartyType
from licensing.services import applications as apps
from tests.factories import submitted_application
from tests.licensing.services.pdfs import pdf_upload

QUEUE_URL = "/casework/"


def case_url(application: Application) -> str:
    return f"/casework/cases/{application.pk}/"


def under_review(*, officer: Any = None, goods: int = 1, **kwargs: Any) -> Application:
    """A case an officer is working on (built directly, as tests of case work do); the officer has assessed the
    eight criteria with no concerns, as the decision gate asks before an ordinary approval."""
    kwargs.setdefault("criteria_cleared_by", officer)
    return submitted_application(status=ApplicationStatus.UNDER_REVIEW, assigned_to=officer, goods=goods, **kwargs)


def case_via_services(
    exporter: Any,
    *,
    title: str,
    end_user: str,
    goods: str,
    ml: str = "ML5",
    country: str = "NO",
    unit_value: str = "25000",
) -> Application:
    """A case built and submitted through the exporter's services, so its search text is the real one."""
    application = apps.application_create(
        actor=exporter, licence_type="individual_export", title=title, end_use="Naval air defence"
    )
    apps.goods_line_save(
        actor=exporter,
        application_id=application.pk,
        description=goods,
        ml_category_id=ml,
        quantity=Decimal("4"),
        unit="pcs",
        unit_value=Decimal(unit_value),
        currency="EUR",
    )
    apps.party_save(
        actor=exporter,
        application_id=application.pk,
        role=PartyRole.CONSIGNEE,
        name=f"{end_user} logistics",
        address="Harbour 1",
        country_id=country,
        party_type=PartyType.COMMERCIAL,
    )
    apps.party_save(
        actor=exporter,
        application_id=application.pk,
        role=PartyRole.END_USER,
        name=end_user,
        address="Base 2",
        country_id=country,
        party_type=PartyType.ARMED_FORCES,
    )
    apps.document_upload(actor=exporter, application_id=application.pk, kind="euc", upload=pdf_upload())
    apps.application_submit(actor=exporter, application_id=application.pk)
    application.refresh_from_db()
    return application


def events_of(application: Application, verb: str) -> int:
    return AuditEvent.objects.filter(
        target_type="licensing.application", target_id=str(application.pk), verb=verb
    ).count()
