"""Zero-setup settings for `make run`: SQLite, in-process cache, Celery tasks run eagerly."""

from .base import *
from .base import env

DEBUG = env.bool("DEBUG", default=True)
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# The demo logins work without an authenticator app; production keeps the second factor for staff.
REGISTER_STAFF_MFA_REQUIRED = env.bool("REGISTER_STAFF_MFA_REQUIRED", default=False)

# A developer's receiver on http://localhost.
WEBHOOK_ALLOW_INSECURE = env.bool("WEBHOOK_ALLOW_INSECURE", default=True)
