from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse


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
