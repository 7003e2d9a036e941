"""API v1 (/api/v1/): each app contributes its own routes."""

from django.urls import include, path

urlpatterns = [
    path("", include("licensing.api_urls")),
]
