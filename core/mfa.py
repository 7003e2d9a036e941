"""Staff log in with a second factor (issue 7; allauth.mfa TOTP, RFC 6238).

Staff (every role but exporter, and anyone with Django's is_staff) hold the power to decide licences and read
every company's data, so a stolen password alone must not be enough. When settings.REGISTER_STAFF_MFA_REQUIRED is
True (the default; config.settings.local switches it off for the demo), a signed-in staff member without an
activated TOTP authenticator is sent to allauth's TOTP set-up page and can open nothing else but the MFA pages,
log-out and re-authentication. Once they have TOTP, allauth's login asks for the code at every login.
Exporters may enable it themselves from the account security page (allauth's `mfa_index`).

Staff who sign in through the ministry's OpenID Connect provider (parties/oidc.py) satisfy the rule with that
sign-in when the provider attests multi-factor authentication (`amr` "mfa" or a listed `acr`): the sign-in puts
SSO_MFA_SESSION_KEY on the session, for that session only. Without the attestation the TOTP rule applies as usual.

Django's own admin login form would skip allauth's second step, so with the setting on it redirects to
allauth's login (as allauth.account.decorators.secure_admin_login does).

`axes_username` (settings.AXES_USERNAME_CALLABLE) names the account for django-axes' login throttling.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from .access import roles_of
from .roles import STAFF_ROLES

MFA_REQUIRED_SETTING = "REGISTER_STAFF_MFA_REQUIRED"
# Remembers, per session, that this user has TOTP, so ordinary pages cost no query. Cleared on every visit to
# an MFA page, so removing the authenticator is noticed on the very next request.
SESSION_KEY = "register_mfa_ok_for"
# Set by the staff SSO sign-in when the provider attested multi-factor authentication (user pk).
SSO_MFA_SESSION_KEY = "register_sso_mfa_for"
# What a staff member without a second factor may still open: the MFA pages (url names "mfa_*"), and these.
ALLOWED_URL_NAMES = frozenset({"account_logout", "account_login", "account_reauthenticate", "set_language", "healthz"})
MSG_SET_UP = _("Staff accounts need two-factor authentication. Set up an authenticator app to continue.")
ERR_API_MFA_REQUIRED = _("Staff must set up two-factor authentication in the web interface before using the API.")
_STAFF_ROLE_NAMES = frozenset(r.value for r in STAFF_ROLES)


def mfa_required() -> bool:
    return bool(getattr(settings, MFA_REQUIRED_SETTING, True))


def needs_second_factor(user: Any) -> bool:
    """Staff must have a second factor; exporters may."""
    if not user.is_authenticated:
        return False
    return bool(roles_of(user) & _STAFF_ROLE_NAMES) or bool(user.is_staff) or bool(user.is_superuser)


def has_totp(user: Any) -> bool:
    return bool(is_mfa_enabled(user, [Authenticator.Type.TOTP]))


class StaffMFARequiredMiddleware:
    """Place after allauth's AccountMiddleware (it needs request.user and the session)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if not mfa_required():
            return None
        match = request.resolver_match
        user: Any = request.user
        if match is not None and match.view_name == "admin:login" and not user.is_authenticated:
            target = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
            return HttpResponseRedirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode({REDIRECT_FIELD_NAME: target})}")
        if not user.is_authenticated:
            return None
        url_name = (match.url_name if match is not None else None) or ""
        if url_name.startswith("mfa_"):
            request.session.pop(SESSION_KEY, None)
            return None
        if url_name in ALLOWED_URL_NAMES or not needs_second_factor(user):
            return None
        if user.pk in (request.session.get(SESSION_KEY), request.session.get(SSO_MFA_SESSION_KEY)):
            return None
        if has_totp(user):
            request.session[SESSION_KEY] = user.pk
            return None
        if request.path_info.startswith("/api/"):
            return JsonResponse({"code": "mfa_required", "detail": ERR_API_MFA_REQUIRED, "errors": {}}, status=403)
        messages.warning(request, MSG_SET_UP)
        return HttpResponseRedirect(reverse("mfa_activate_totp"))


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """The account a login attempt is for, the same whether axes asks while recording a failure or while checking
    a lock-out. allauth authenticates with {"email": ...}; its form posts "login"; axes by default looks for one
    key in whichever it is given, so failures were recorded without a user name and the lock-out never matched."""
    value: Any = None
    if credentials:
        value = credentials.get("email") or credentials.get("username") or credentials.get("login")
    if not value:
        data: Any = getattr(request, "data", None) or request.POST
        value = data.get("login") or data.get("username") or data.get("email")
    return str(value).strip().lower() or None if value else None
