"""The register's URLs plus two trivial JSON views, the ceilings the API throughput is compared with
(bench/api_load.py):

- `/bench/trivial/`: a plain Django view, no authentication, `{"ok": true}` (the framework's ceiling);
- `/bench/trivial-api/<capability>/?rows=N`: a DRF view that authenticates exactly as the API does (the
  browser session or `Authorization: Token`, core.api_auth), checks the capability the endpoint declares, and
  answers a constant keyset page of N rows rendered by DRF's JSON renderer. Compared with it, the ratio is what
  the endpoint's own work costs: its queries, serialising its rows and paging.

Only config.settings.bench names this module (ROOT_URLCONF), so the views exist on a benchmark server alone.
"""

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

MAX_ROWS = 100
# One row the size of a list endpoint's row (licensing.serializers.CaseListOutput): about a dozen short fields.
ROW = {
    "id": 1000000,
    "reference": "BULK-1-1000000",
    "status": "submitted",
    "status_label": "Submitted",
    "licence_type": "individual",
    "destination": "SE",
    "end_user_name": "Försvarets materielverk",
    "submitted_at": "2026-01-05T10:00:00+01:00",
    "received_on": "2026-01-05",
    "version": 3,
    "organisation": 12,
    "organisation_name": "Thales Nederland B.V.",
    "assigned_to": 7,
    "assigned_to_name": "Bench Officer",
}


@login_not_required
def trivial(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


class TrivialApiPage(APIView):
    """DRF exempts its views from LoginRequiredMiddleware; it authenticates (session or token) and
    DenyUnlessDeclared checks the capability, as for the register's endpoints."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.capability = kwargs["capability"]  # read by core.api_auth.DenyUnlessDeclared
        super().initial(request, *args, **kwargs)

    def get(self, request: Request, capability: str) -> Response:
        rows = min(MAX_ROWS, int(request.query_params.get("rows", "25")))
        return Response(
            {
                "next": "http://127.0.0.1/bench/trivial-api/?cursor=cD0yMDI2LTAxLTA1KzEwJTNBMDAlM0EwMA%3D%3D",
                "previous": None,
                "results": [ROW] * rows,
            }
        )


urlpatterns = [
    path("bench/trivial/", trivial, name="bench-trivial"),
    path("bench/trivial-api/<str:capability>/", TrivialApiPage.as_view(), name="bench-trivial-api"),
    path("", include("config.urls")),
]
