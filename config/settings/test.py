"""Settings for the test suite: real PostgreSQL and Redis (see README, `make test`)."""

import os
import uuid

from .base import *
from .base import BASE_DIR, env, redis_cache, with_prepared_reads

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/exportregister"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = 0
with_prepared_reads(DATABASES["default"])
if env.bool("TEST_SQLITE", default=False):  # the demo smoke test re-runs a slice of the suite on SQLite
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(BASE_DIR / "var" / "t.sqlite3")}}

# One Redis database per pytest-xdist worker (gw0 → 14, gw1 → 13, …; a single run uses 15): the workers share one
# Redis server, and django-redis' cache.clear() empties the whole database, throttle counts included.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_REDIS_DB = 14 - int(_WORKER[2:]) if _WORKER.startswith("gw") and _WORKER[2:].isdigit() else 15
REDIS_URL = env("REDIS_URL", default=f"redis://127.0.0.1:6379/{_REDIS_DB}")
CACHES = {"default": redis_cache(REDIS_URL, key_prefix="test")}
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
# Unit tests run tasks in-process; tests marked celery_worker switch this off and start a real worker.
CELERY_TASK_ALWAYS_EAGER = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Files of one run in their own folder: a stored PDF left by an earlier run would otherwise be served where a test
# expects a fresh one. xdist's workers share the controller's run id; a lone run (and what it starts) makes its own.
_RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID") or os.environ.setdefault("REGISTER_TEST_RUN", uuid.uuid4().hex)
MEDIA_ROOT = BASE_DIR / "var" / "test-media" / _RUN[:12]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_FAILURE_LIMIT = 5
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "10000/minute"}}
# Most tests log staff in without TOTP; tests/security switch the requirement on to test it.
REGISTER_STAFF_MFA_REQUIRED = False
# The suite asserts the English wording of pages and messages; tests of the Dutch default switch LANGUAGE_CODE
# back to "nl" (tests/core/test_translations.py, tests/licensing/test_documents_dutch.py).
LANGUAGE_CODE = "en"

# The suite's webhook receiver listens on http://127.0.0.1.
WEBHOOK_ALLOW_INSECURE = True
