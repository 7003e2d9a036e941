"""PDF documents the register issues (licence, refusal letter), rendered with WeasyPrint from templates."""

from __future__ import annotations

from core.documents import render_pdf

from .models import Licence


def licence_pdf(licence: Licence) -> bytes:
    goods = list(licence.goods.select_related("ml_category"))
    application = licence.application
    parties = list(application.parties.select_related("country"))
    return render_pdf(
        "licensing/pdf/licence.html",
        {
            "licence": licence,
            "goods": goods,
            "application": application,
            "parties": parties,
            "organisation": licence.organisation,
        },
    )
