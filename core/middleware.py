from __future__ import annotations

import time
from collections.abc import Callable
from http import HTTPStatus

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _

API_PREFIX = "/api/"


class SessionIdleTimeoutMiddleware:
    """Log a user out after SESSION_IDLE_TIMEOUT_SECONDS without a request (a shared ministry PC stays safe)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get("last_seen")
            if last_seen is not None and now - int(last_seen) > settings.SESSION_IDLE_TIMEOUT_SECONDS:
                logout(request)
            else:
                # Write at most once a minute, so most requests do not touch the session store.
                if last_seen is None or now - int(last_seen) > 60:
                    request.session["last_seen"] = now
        return self.get_response(request)


# The machine-readable codes DRF uses for these statuses (core.api.exception_handler keeps them), so a client
# sees the same `code` whether DRF or Django answered.
_API_ERROR_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    413: "request_too_large",
    500: "server_error",
}
_API_ERROR_DETAILS = {
    400: _("Bad request."),
    403: _("You do not have permission to perform this action."),
    404: _("Not found."),
    405: _("Method not allowed."),
    413: _("The request is too large."),
    500: _("Something went wrong on our side. Please try again later."),
}


class ApiJsonErrorsMiddleware:
    """Under /api/ every error is the API's JSON error body ({"code", "detail", "errors"}), never one of
    Django's HTML pages: an unknown path or an id that is not a number (the URL resolver's 404), a CSRF failure,
    a request too large, a crash (500). DRF's own views already answer JSON; this covers what happens before a
    view is reached or outside DRF. Place first, so it sees every other middleware's answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path_info.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            status = response.status_code
            code = _API_ERROR_CODES.get(status) or HTTPStatus(status).phrase.lower().replace(" ", "_")
            detail = _API_ERROR_DETAILS.get(status) or HTTPStatus(status).phrase
            json_response = JsonResponse({"code": code, "detail": str(detail), "errors": {}}, status=status)
            for header in ("Allow", "WWW-Authenticate", "Retry-After"):
                if header in response:
                    json_response[header] = response[header]
            return json_response
        return response
