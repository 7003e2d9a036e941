"""Zero-setup settings for `make run`: SQLite, in-process cache, Celery tasks run eagerly."""

from .base import *
from .base import env

DEBUG = env.bool("DEBUG", default=True)
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
