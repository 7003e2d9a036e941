"""Test URLconf: the project's URLs, plus the audit pages (until config/urls.py includes them), a probe API view
with the project's default throttle, and an admin site whose admins use audit.admin_guard."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from simple_history.admin import SimpleHistoryAdmin

from audit.admin_guard import ProtectedRecordAdminMixin
from config.urls import urlpatterns as project_urlpatterns
from licensing.models import Application, Licence


class ThrottleProbeApi(APIView):
    """Any exporter may call it; authentication, permission and throttling are the project's defaults."""

    capability = "portal.use"

    def get(self, request: Request) -> Response:
        return Response({"ok": True})


class GuardedApplicationAdmin(ProtectedRecordAdminMixin, SimpleHistoryAdmin):
    list_display = ["reference", "status"]


class GuardedLicenceAdmin(ProtectedRecordAdminMixin, SimpleHistoryAdmin):
    list_display = ["number", "status"]


guarded_admin_site = admin.AdminSite(name="guarded_admin")
guarded_admin_site.register(Application, GuardedApplicationAdmin)
guarded_admin_site.register(Licence, GuardedLicenceAdmin)

_has_audit = any(getattr(p, "namespace", None) == "audit" for p in project_urlpatterns)
extra: list[Any] = [] if _has_audit else [path("audit/", include("audit.urls"))]

urlpatterns = [
    *project_urlpatterns,
    *extra,
    path("api/v1/test-throttle-probe/", login_not_required(ThrottleProbeApi.as_view()), name="throttle_probe"),
    path("guarded-admin/", guarded_admin_site.urls),
]
