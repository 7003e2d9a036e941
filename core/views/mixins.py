"""View helpers: declare the capability a view needs, and map domain errors to messages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from core.access import can


class CapabilityRequiredMixin:
    """Deny unless the user has `capability` (core.access). A view without one is a programming error."""

    capability: str = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.capability:
            raise PermissionDenied("This view declares no capability")
        if not can(request.user, self.capability):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
