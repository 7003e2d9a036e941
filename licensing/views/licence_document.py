"""The licence PDF for exporters and officers alike: the stored document, or "being prepared" (202) while Celery
renders it. Never rendered in the request (issue 14: a licence with 10,000 lines ran past the worker timeout)."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponseBase
from django.shortcuts import render

from core.enqueue import enqueue

from ..models import Licence
from ..tasks import licence_render_pdf


def licence_document_response(request: HttpRequest, licence: Licence) -> HttpResponseBase:
    response: HttpResponseBase
    if licence.document:
        response = FileResponse(
            licence.document.open("rb"),
            as_attachment=True,
            filename=f"{licence.number}.pdf",
            content_type="application/pdf",
        )
    else:
        enqueue(licence_render_pdf, licence.pk)  # idempotent: a render already under way finds the file stored
        response = render(request, "licensing/licence_pdf_preparing.html", {"licence": licence}, status=202)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
