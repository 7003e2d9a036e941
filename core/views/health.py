from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from health_check.views import HealthCheckView


def _checks() -> tuple[Any, ...]:
    checks: list[Any] = ["health_check.checks.Database"]
    if settings.REDIS_URL:
        from health_check.contrib.redis import Redis
        from redis.asyncio import Redis as RedisClient

        checks.append((Redis, {"client_factory": lambda: RedisClient.from_url(settings.REDIS_URL)}))
    return tuple(checks)


@method_decorator(login_not_required, name="dispatch")
class HealthzView(HealthCheckView):
    """Load balancers ask /healthz: 200 when the database (and Redis, where configured) answer."""

    def get_checks(self):  # type: ignore[no-untyped-def]
        self.checks = _checks()
        return super().get_checks()
