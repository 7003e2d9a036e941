"""Reports over the API (/api/v1/reports/; issue 18): every report the user may open, as JSON, with the moment
the figures stand for ("as of"). The same definitions, forms and selector as the report pages
(reports/views/ministry.py), so a figure is the same in the browser, the exports and here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_auth import ScopedTokenAuthentication

from .definitions import AGGREGATES, DEFINITIONS
from .selectors import report_compute_for, report_definitions_for
from .tables import Report

_DENIED = {
    401: OpenApiResponse(description="Not logged in, or the token is unknown or revoked."),
    403: OpenApiResponse(description="Your role has no reports."),
}
REPORT_EXAMPLE = {
    "slug": "monthly",
    "title": "Monthly overview",
    "as_of": "2026-11-30T23:59:59.999999+01:00",
    "live": False,
    "parameters": {"Month": "November 2026"},
    "tables": [
        {
            "key": "by_destination",
            "caption": "Licences issued by destination",
            "columns": [{"key": "destination", "label": "Destination", "kind": "text"}],
            "rows": [{"destination": "Norway", "count": 3}],
            "footer": [],
            "note": "",
        }
    ],
    "notes": [],
}


class _ReportsApi(APIView):
    capability = AGGREGATES
    authentication_classes: Sequence[type[BaseAuthentication]] = [ScopedTokenAuthentication, SessionAuthentication]


class ReportListApi(_ReportsApi):
    @extend_schema(
        tags=["Reports"],
        summary="The reports you may open, with their parameters",
        operation_id="reports_list",
        responses={200: OpenApiTypes.OBJECT, **_DENIED},
    )
    def get(self, request: Request) -> Response:
        return Response(
            [
                {
                    "slug": d.slug,
                    "title": d.title,
                    "summary": str(d.summary),
                    "parameters": list(d.form.base_fields),
                }
                for d in report_definitions_for(user=request.user)
            ]
        )


class ReportDetailApi(_ReportsApi):
    @extend_schema(
        tags=["Reports"],
        summary="One report as JSON",
        operation_id="report_retrieve",
        description=(
            "Parameters as in GET /api/v1/reports/ (e.g. `year`, `month`), each optional: the defaults are the "
            "report page's. `as_of` (a date) gives the register as it stood at the end of that day; without it the "
            "figures are live and `as_of` in the answer is the moment they were computed."
        ),
        parameters=[OpenApiParameter("as_of", OpenApiTypes.DATE, required=False)],
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT, examples=[OpenApiExample("Monthly overview", value=REPORT_EXAMPLE)]
            ),
            400: OpenApiResponse(description="Invalid parameters: `errors` names each."),
            404: OpenApiResponse(description="No such report, or not one your role may open."),
            **_DENIED,
        },
    )
    def get(self, request: Request, slug: str) -> Response:
        definition = DEFINITIONS.get(slug)
        if definition is None:
            raise Http404
        computed_at = timezone.now()
        form = definition.bind(request.query_params.dict(), today=timezone.localdate())
        if not form.is_valid():
            raise exceptions.ValidationError({field: [str(e) for e in errors] for field, errors in form.errors.items()})
        report = report_compute_for(user=request.user, definition=definition, form=form)
        return Response(_as_json(slug, report, computed_at=computed_at))


def _as_json(slug: str, report: Report, *, computed_at: Any) -> dict[str, Any]:
    return {
        "slug": slug,
        "title": report.title,
        "subtitle": report.subtitle,
        "as_of": (report.as_of or computed_at).isoformat(),
        "live": report.as_of is None,
        "parameters": dict(report.parameters),
        "confidential": report.confidential,
        "tables": [
            {
                "key": table.key,
                "caption": table.caption,
                "columns": [{"key": c.key, "label": c.label, "kind": c.kind.value} for c in table.columns],
                "rows": table.rows,
                "footer": table.footer,
                "note": table.note,
            }
            for table in report.tables
        ],
        "notes": list(report.notes),
    }
