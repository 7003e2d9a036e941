"""The treaty panel on the officer's case page, contributed by the app that owns the treaty work."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from licensing.case_panels import CasePanel, register_panel
from licensing.models import Application

from .selectors import treaty_panel_for


def treaty_panel_context(application: Application, user: Any) -> dict[str, Any]:
    return treaty_panel_for(application=application, user=user)


register_panel(
    CasePanel(
        key="treaty",
        title=_("Treaty"),  # type: ignore[arg-type]  # lazy: translated when the page renders
        template="licensing/casework/treaty/panel.html",
        context=treaty_panel_context,
        order=60,
    )
)
