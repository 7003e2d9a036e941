"""Auditor pages, included by config/urls.py at /audit/ (namespace `audit`). Views: audit/views.py."""

from django.urls import path

from .views import AsOfView, HistoryCsvView, HistoryPdfView, HistoryView

app_name = "audit"
urlpatterns = [
    # <label> is "app_label.model" from the allowlist audit.timeline.TIMELINE_SOURCES, e.g. licensing.application.
    path("<str:label>/<str:pk>/", HistoryView.as_view(), name="history"),
    path("<str:label>/<str:pk>/history.csv", HistoryCsvView.as_view(), name="history_csv"),
    path("<str:label>/<str:pk>/history.pdf", HistoryPdfView.as_view(), name="history_pdf"),
    path("<str:label>/<str:pk>/as-of/", AsOfView.as_view(), name="as_of"),
]
