from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from .forms_templates import make_form_templates_available

MFA_MIDDLEWARE = "core.mfa.StaffMFARequiredMiddleware"


@pytest.fixture(autouse=True)
def _form_templates(settings):  # type: ignore[no-untyped-def]
    make_form_templates_available(settings)


@pytest.fixture(autouse=True)
def _axes_username(settings):  # type: ignore[no-untyped-def]
    """Until config/settings/base.py sets AXES_USERNAME_CALLABLE = "core.mfa.axes_username" (see core.mfa)."""
    if not getattr(settings, "AXES_USERNAME_CALLABLE", None):
        settings.AXES_USERNAME_CALLABLE = "core.mfa.axes_username"


@pytest.fixture(autouse=True)
def _staff_mfa_off(settings):  # type: ignore[no-untyped-def]
    """Tests here opt out of the staff MFA requirement, except those that ask for `staff_mfa_required`."""
    settings.REGISTER_STAFF_MFA_REQUIRED = False


@pytest.fixture
def staff_mfa_required(settings):  # type: ignore[no-untyped-def]
    """Switch the requirement on, with the middleware where it belongs (after allauth's AccountMiddleware)."""
    middleware = list(django_settings.MIDDLEWARE)
    if MFA_MIDDLEWARE not in middleware:
        middleware.insert(middleware.index("allauth.account.middleware.AccountMiddleware") + 1, MFA_MIDDLEWARE)
    settings.MIDDLEWARE = middleware
    settings.REGISTER_STAFF_MFA_REQUIRED = True


@pytest.fixture(autouse=True)
def _fresh_rate_limits():  # type: ignore[no-untyped-def]
    """allauth's login rate limits, used TOTP codes and DRF's throttle live in the cache (this run's own Redis
    database), which a test's rollback does not undo."""
    cache.clear()
    yield
    cache.clear()
