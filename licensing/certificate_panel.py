"""The case-page panel of certificates: the end-user certificate the case relies on and, for treaty component
transfers, the certificates of integration asked and received (with the form to ask one)."""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext_lazy as _

from core.access import can

from .case_panels import CasePanel, register_panel
from .certificate_selectors import certificate_use_of, integration_requests_of
from .models import OPEN_STATUSES, Application, LicenceType


def _certificates_panel(application: Application, user: Any) -> dict[str, Any]:
    treaty = application.licence_type == LicenceType.TREATY_COMPONENT
    requests = integration_requests_of(application) if treaty else []
    return {
        "application": application,
        "use": certificate_use_of(application),
        "treaty": treaty,
        "requests": requests,
        "can_request": treaty
        and can(user, "casework.use")
        and application.status in OPEN_STATUSES
        and all(r.received_at for r in requests),
    }


register_panel(
    CasePanel(
        "certificates",
        cast(str, _("Certificates")),
        "licensing/casework/case/_certificates_panel.html",
        _certificates_panel,
        order=30,
    )
)
