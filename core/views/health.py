"""/healthz for load balancers and monitoring.

Anyone gets one word: `up`, `degraded` (Redis is down; pages and the API work from the database, tasks wait in
the outbox) or `down` (the database does not answer; 503). Which dependency failed, and how, is for staff or a
monitor that sends `Authorization: Bearer <HEALTHZ_TOKEN>`: host names and ports are not for the public.
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET

from core.access import can


def _database_error() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return type(exc).__name__
    return ""


def _cache_error() -> str:
    """The Redis behind the cache (sessions, rate limits); empty when it answers or there is none."""
    client_of = getattr(cache, "client", None)
    if client_of is None:  # in-process cache (zero-setup run)
        return ""
    try:
        client_of.get_client(write=True).ping()
    except Exception as exc:  # redis raises ConnectionError, TimeoutError, ...: all mean "not answering"
        return type(exc).__name__
    return ""


def _may_see_details(request: HttpRequest) -> bool:
    token = settings.HEALTHZ_TOKEN
    sent = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return True
    return can(request.user, "health.details")


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    database, redis = _database_error(), _cache_error()
    status = "down" if database else ("degraded" if redis else "up")
    body: dict[str, object] = {"status": status}
    if _may_see_details(request):
        body["checks"] = {"database": database or "ok", "redis": redis or "ok"}
    response = JsonResponse(body, status=503 if database else 200)
    add_never_cache_headers(response)
    return response
