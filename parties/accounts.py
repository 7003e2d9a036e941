"""allauth's adapter for the register: core's rules (no open sign-up), plus the sign-in policy that parties owns."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from core.auth import AccountAdapter as CoreAccountAdapter

from .saml import sign_in_refused
from .sign_in import ERR_PASSWORDS_OFF, exporter_passwords_enabled


class AccountAdapter(CoreAccountAdapter):
    def pre_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse | None:
        # allauth signs in with a password (or a password reset) only; eHerkenning and staff SSO log in through
        # their own views. Once the administrator switches exporters' passwords off, the password is refused
        # even when it is right, and the page points to eHerkenning.
        if user.organisation_id is not None and not exporter_passwords_enabled():
            request.sign_in_refusal = ERR_PASSWORDS_OFF  # type: ignore[attr-defined]
            return sign_in_refused(request)
        return super().pre_login(request, user, **kwargs)
