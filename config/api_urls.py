"""API v1 (/api/v1/): each app contributes its own routes."""

from django.urls import include, path

from consultations.api import TreatyTransferApi
from core import api_events as events
from core.api_notifications import NotificationListApi
from reports.api import ReportDetailApi, ReportListApi

urlpatterns = [
    path("", include("licensing.api_urls")),
    path("general-licences/", include("general_licences.api_urls")),
    path("applications/<int:pk>/treaty-transfer/", TreatyTransferApi.as_view(), name="api-treaty-transfer"),
    path("notifications/", NotificationListApi.as_view(), name="api-notifications"),
    # Events for exporters' systems: the feed, and signed webhooks (core/api_events.py)
    path("events/", events.EventFeedApi.as_view(), name="api-events"),
    path("webhooks/", events.WebhookListCreateApi.as_view(), name="api-webhooks"),
    path("webhooks/<int:pk>/", events.WebhookDetailApi.as_view(), name="api-webhook"),
    path("webhooks/<int:pk>/rotate-secret/", events.WebhookRotateSecretApi.as_view(), name="api-webhook-rotate"),
    path("webhooks/<int:pk>/deliveries/", events.WebhookDeliveryListApi.as_view(), name="api-webhook-deliveries"),
    path("reports/", ReportListApi.as_view(), name="api-reports"),
    path("reports/<slug:slug>/", ReportDetailApi.as_view(), name="api-report"),
]
