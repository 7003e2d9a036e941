"""The case-page panel for the Awb decision term: the 4:14(3) notices sent, and a prompt to send one when the
legal term is about to run out (licensing.services.awb)."""

from __future__ import annotations

from typing import Any, cast

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import can

from .case_panels import CasePanel, register_panel
from .models import Application
from .selectors import delay_notices_of
from .services.awb import DELAY_NOTICE_PROMPT_DAYS, delay_notice_due


def awb_panel_context(application: Application, user: Any) -> dict[str, Any]:
    notices = delay_notices_of(application)
    today = timezone.localdate()
    return {
        "application_id": application.pk,
        "notices": notices,
        "prompt": delay_notice_due(application, today=today, notices=notices),
        "prompt_days": DELAY_NOTICE_PROMPT_DAYS,
        "legal_deadline": application.legal_deadline,
        "can_send": can(user, "casework.use"),
    }


register_panel(
    CasePanel(
        "awb_term",
        cast(str, _("Decision term (Awb)")),
        "licensing/casework/awb/panel.html",
        awb_panel_context,
        order=5,
    )
)
