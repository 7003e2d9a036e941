"""Staff sign-in through the ministry's OpenID Connect provider (issue 18), with mozilla-django-oidc.

mozilla-django-oidc rather than allauth's openid_connect provider: it is one authentication backend and two views
without tables of its own, and it hands us the verified ID token's claims (`acr`, `amr`) next to the userinfo
in one call, which is all the role mapping and the MFA rule need; allauth's provider would add its social-account
tables and sign-up flow, which the register (no open sign-up) would have to switch off again.

The library runs the authorisation-code flow (state, nonce, PKCE), fetches the tokens and verifies the ID
token's signature against the provider's JWKS; this module hands the claims to parties.sign_in, and records on
the session when the provider attested multi-factor authentication (core.mfa accepts that as the second factor).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from core.mfa import SSO_MFA_SESSION_KEY

from .saml import public_when, sign_in_refused
from .sign_in import ERR_NO_SUBJECT, SignInRefused, multi_factor_attested, staff_sso_sign_in

ERR_OIDC_FAILED = _(
    "We could not complete your sign-in through the ministry's sign-in service. Please try again; if it keeps "
    "failing, contact the register's administrator."
)


def staff_sso_enabled() -> bool:
    return bool(getattr(settings, "OIDC_OP_AUTHORIZATION_ENDPOINT", ""))


class StaffOIDCBackend(OIDCAuthenticationBackend):
    """Authentication backend for the OIDC callback. Inert (answers None) while staff SSO is not configured,
    since Django asks every backend on every password login too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.enabled = staff_sso_enabled()
        if self.enabled:
            super().__init__(*args, **kwargs)

    def authenticate(self, request: Any, **kwargs: Any) -> Any:
        if not self.enabled:
            return None
        return super().authenticate(request, **kwargs)

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        userinfo = self.get_userinfo(access_token, id_token, payload)
        # The userinfo must be about the ID token's subject (OpenID Connect Core 1.0 §5.3.2).
        if userinfo.get("sub") != payload.get("sub"):
            self.request.sign_in_refusal = ERR_NO_SUBJECT
            return None
        # Profile and groups from either; how the person authenticated only from the signed ID token.
        claims = {**payload, **userinfo, "acr": payload.get("acr"), "amr": payload.get("amr")}
        try:
            user = staff_sso_sign_in(claims=claims)
        except SignInRefused as refusal:
            self.request.sign_in_refusal = refusal.message
            return None
        self.request.sso_multi_factor = multi_factor_attested(claims)
        return user


class StaffSignInCallbackView(OIDCAuthenticationCallbackView):
    def login_success(self) -> HttpResponse:
        response: HttpResponse = super().login_success()
        # After login(), which may have started a new session: the mark belongs to this sign-in's session.
        if getattr(self.request, "sso_multi_factor", False):
            self.request.session[SSO_MFA_SESSION_KEY] = self.user.pk
        return response

    def login_failure(self) -> HttpResponse:
        return sign_in_refused(self.request, default=ERR_OIDC_FAILED)


urlpatterns = [
    path(
        "authenticate/",
        public_when(staff_sso_enabled, OIDCAuthenticationRequestView.as_view()),
        name="oidc_authentication_init",
    ),
    path(
        "callback/",
        public_when(staff_sso_enabled, StaffSignInCallbackView.as_view()),
        name="oidc_authentication_callback",
    ),
]
