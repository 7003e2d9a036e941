from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .oidc import staff_sso_enabled
from .saml import eherkenning_enabled
from .sign_in import exporter_passwords_enabled


def sign_in_options(request: HttpRequest) -> dict[str, Any]:
    """Which ways in the log-in page offers. Callables: a template calls one only where it is used (the log-in
    page), so other pages pay nothing."""
    return {
        "eherkenning_enabled": eherkenning_enabled,
        "staff_sso_enabled": staff_sso_enabled,
        "exporter_passwords_enabled": exporter_passwords_enabled,
    }
