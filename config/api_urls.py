"""API v1 (/api/v1/): each app contributes its own routes."""

from django.urls import include, path

from core.api_notifications import NotificationListApi
from reports.api import ReportDetailApi, ReportListApi

urlpatterns = [
    path("", include("licensing.api_urls")),
    path("general-licences/", include("general_licences.api_urls")),
    path("notifications/", NotificationListApi.as_view(), name="api-notifications"),
    path("reports/", ReportListApi.as_view(), name="api-reports"),
    path("reports/<slug:slug>/", ReportDetailApi.as_view(), name="api-report"),
]
