"""The register's URLs plus one trivial JSON view, the ceiling the API throughput is compared with (bench/api_load.py).

Only config.settings.bench names this module (ROOT_URLCONF), so the view exists on a benchmark server alone.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.urls import include, path


@login_not_required
def trivial(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/trivial/", trivial, name="bench-trivial"),
    path("", include("config.urls")),
]
