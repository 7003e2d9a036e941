"""eHerkenning: SAML 2.0 sign-in of exporters through an accredited broker (issue 18), with djangosaml2 and pysaml2.

djangosaml2 + pysaml2 rather than allauth's SAML provider: pysaml2 signs and verifies with Debian's `xmlsec1`
command, where allauth's provider needs python3-saml and the compiled `xmlsec` binding, which must be built
against the very libxml2 that lxml was built with (a known source of crashes); and pysaml2 also gives the tests a
real identity provider (tests/sso/saml_idp.py) from the same, well-kept library.

djangosaml2 checks the signature, the audience, the time window and that the response answers a request this
browser made (InResponseTo); this module reads the attributes and leaves the decision to parties.sign_in.
Settings (README, "Signing in through eHerkenning and the ministry's SSO"): REGISTER_EHERKENNING_IDP_METADATA,
REGISTER_EHERKENNING_SP_KEY_FILE / _CERT_FILE, REGISTER_EHERKENNING_LEVEL, the attribute names.
"""

from __future__ import annotations

import functools
import shutil
from collections.abc import Callable
from typing import Any

import saml2
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from djangosaml2 import views as saml_views
from djangosaml2.backends import Saml2Backend
from saml2.config import SPConfig

from .sign_in import SignInRefused, eherkenning_sign_in

ERR_SAML_FAILED = _(
    "We could not complete your sign-in with eHerkenning. Please try again; if it keeps failing, contact the "
    "licensing authority."
)
REFUSAL_TEMPLATE = "parties/sign_in_refused.html"


def eherkenning_enabled() -> bool:
    return bool(settings.REGISTER_EHERKENNING_IDP_METADATA)


def sp_config(request: HttpRequest | None = None) -> SPConfig:
    """The service provider's configuration, from settings (SAML_CONFIG_LOADER): built per request because the
    assertion consumer service's address is this site's own."""
    base = settings.REGISTER_SITE_URL.rstrip("/") if settings.REGISTER_SITE_URL else ""
    if not base and request is not None:
        base = request.build_absolute_uri("/").rstrip("/")
    metadata = settings.REGISTER_EHERKENNING_IDP_METADATA
    source = {"remote": [{"url": metadata}]} if metadata.startswith(("https://", "http://")) else {"local": [metadata]}
    key, cert = settings.REGISTER_EHERKENNING_SP_KEY_FILE, settings.REGISTER_EHERKENNING_SP_CERT_FILE
    config = SPConfig()
    config.load(
        {
            "entityid": settings.REGISTER_EHERKENNING_SP_ENTITY_ID or f"{base}{reverse('saml2_metadata')}",
            "xmlsec_binary": shutil.which("xmlsec1"),
            "metadata": source,
            "key_file": key,
            "cert_file": cert,
            "encryption_keypairs": [{"key_file": key, "cert_file": cert}],
            "allow_unknown_attributes": True,  # the etoegang attribute names have no pysaml2 converter
            "service": {
                "sp": {
                    "name": "Export licence register",
                    "endpoints": {
                        "assertion_consumer_service": [(f"{base}{reverse('saml2_acs')}", saml2.BINDING_HTTP_POST)],
                    },
                    "authn_requests_signed": True,
                    "want_assertions_signed": True,
                    "want_response_signed": False,
                    "allow_unsolicited": False,
                    # Ask the broker for at least the required level; parties.sign_in checks what it answered.
                    "requested_authn_context": {
                        "authn_context_class_ref": [settings.REGISTER_EHERKENNING_LEVEL],
                        "comparison": "minimum",
                    },
                }
            },
        }
    )
    return config


def _first(attributes: dict[str, Any], name: str) -> str:
    values = attributes.get(name) or []
    return str(values[0]).strip() if values else ""


class EHerkenningBackend(Saml2Backend):
    """Django authentication backend for djangosaml2's assertion consumer service. Returns None (and leaves
    the reason on the request for `sign_in_refused`) when the person may not sign in."""

    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        session_info: dict[str, Any] | None = None,
        attribute_mapping: Any = None,
        create_unknown_user: bool = True,
        assertion_info: Any = None,
        **kwargs: Any,
    ) -> Any:
        if request is None or session_info is None or "ava" not in session_info:
            return None
        attributes = session_info["ava"]
        name_id = session_info.get("name_id")
        levels = [info[0] for info in session_info.get("authn_info") or []]
        try:
            return eherkenning_sign_in(
                kvk_number=_first(attributes, settings.REGISTER_EHERKENNING_KVK_ATTRIBUTE),
                pseudonym=_first(attributes, settings.REGISTER_EHERKENNING_PSEUDONYM_ATTRIBUTE)
                or str(getattr(name_id, "text", "") or ""),
                assurance_level=levels[0] if levels else "",
            )
        except SignInRefused as refusal:
            request.sign_in_refusal = refusal.message  # type: ignore[attr-defined]
            return None


def sign_in_refused(
    request: HttpRequest, exception: Exception | None = None, status: int = 403, **kwargs: Any
) -> HttpResponse:
    """The page a refused or failed sign-in shows (SAML_ACS_FAILURE_RESPONSE_FUNCTION, and the OIDC callback)."""
    message = getattr(request, "sign_in_refusal", None) or kwargs.get("default") or ERR_SAML_FAILED
    return render(request, REFUSAL_TEMPLATE, {"message": message}, status=status)


def public_when(enabled: Callable[[], bool], view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A sign-in view: public by nature (the person is not signed in yet; LoginRequiredMiddleware would send them
    in circles), and 404 while its provider is not configured."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not enabled():
            raise Http404("This way of signing in is not configured.")
        return view(request, *args, **kwargs)

    return login_not_required(wrapped)


urlpatterns = [
    path("login/", public_when(eherkenning_enabled, saml_views.LoginView.as_view()), name="saml2_login"),
    path("acs/", public_when(eherkenning_enabled, saml_views.AssertionConsumerServiceView.as_view()), name="saml2_acs"),
    path("metadata/", public_when(eherkenning_enabled, saml_views.MetadataView.as_view()), name="saml2_metadata"),
]
