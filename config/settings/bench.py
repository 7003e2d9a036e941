"""Benchmark settings (bench/README.md): production-like (DEBUG off, Redis cache) on a separate PostgreSQL
database, so the 1,000,000-application register never mixes with the demo or the test databases."""

import os

# Quiet logs: a request log line per benchmark request would be measured too.
os.environ.setdefault("LOG_LEVEL", "WARNING")

from .base import *
from .base import env, redis_cache, with_prepared_reads

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
DATABASES["default"] = env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/register_bench")
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = 60
with_prepared_reads(DATABASES["default"])
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/14")
CACHES = {"default": redis_cache(REDIS_URL, key_prefix="bench")}
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = True  # the runner calls task bodies in-process and times them
# The runner logs staff in without a second factor, and drives the API far above the per-user rate limit.
REGISTER_STAFF_MFA_REQUIRED = False
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": [], "DEFAULT_THROTTLE_RATES": {}}
AXES_ENABLED = False
# The register's URLs plus the trivial JSON view the API throughput is compared with (bench/urls.py).
ROOT_URLCONF = "bench.urls"
# Static files are served from the source tree, as in the tests: production's manifest storage needs a
# collectstatic run, and a static URL costs a page the same either way (a dictionary lookup or a join).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
