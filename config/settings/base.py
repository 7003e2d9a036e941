"""Settings shared by every environment. Everything that differs between machines comes from the environment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="insecure-local-only-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.forms",  # our FORM_RENDERER (TemplatesSetting) needs Django's own widget templates
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "djangosaml2",  # eHerkenning (SAML 2.0) for exporters: parties/saml.py
    "axes",
    "django_htmx",
    "csp",
    # Our apps: core (roles, access, calendar, UI shell), audit (event log),
    # then the domain apps in dependency order.
    "core",
    "audit",
    "parties",
    "licensing",
    "consultations",
    "general_licences",
    "reports",
    "seeding",
]

MIDDLEWARE = [
    # First, so it sees every answer: JSON error bodies under /api/, never Django's HTML pages.
    "core.middleware.ApiJsonErrorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Deny by default: every view needs a login unless it is marked login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # djangosaml2's own session (the outstanding SAML request), next to Django's.
    "djangosaml2.middleware.SamlSessionMiddleware",
    # Staff must have a second factor (TOTP) before they can use anything (REGISTER_STAFF_MFA_REQUIRED).
    "core.mfa.StaffMFARequiredMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.middleware.SessionIdleTimeoutMiddleware",
    # Axes last, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
                "parties.context_processors.sign_in_options",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False  # services own their transactions (house style)
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))


def with_prepared_reads(database: dict[str, Any]) -> dict[str, Any]:
    """PostgreSQL: psycopg prepares a statement once a connection has run its text this often
    (DATABASE_PREPARE_THRESHOLD, default 5; 0 never). Only the list reads ask for it (core.orm.
    repeated_reads_prepared); Django's own queries bind on the client and are never prepared. A connection pooler
    in transaction mode that cannot keep prepared statements (PgBouncer before 1.21) needs 0."""
    if database["ENGINE"] == "django.db.backends.postgresql":
        threshold = env.int("DATABASE_PREPARE_THRESHOLD", default=5)
        database.setdefault("OPTIONS", {}).setdefault("prepare_threshold", threshold or None)
    return database


with_prepared_reads(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "parties.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    # Sign-in through the government's identity providers (issue 18); each answers None unless it is its turn.
    "parties.saml.EHerkenningBackend",
    "parties.oidc.StaffOIDCBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: e-mail login, no open sign-up (companies register through the onboarding flow).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "parties.accounts.AccountAdapter"  # core's, plus the sign-in policy (exporters' passwords)
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Login throttling is django-axes alone (below): it counts failures per account AND address in the database, so
# it keeps working while Redis is down and nobody can lock someone else's account out from another address.
# allauth's own login limits live in the cache (they refuse every login when Redis is down) and count failures
# per account from any address (issue 14), so they are off; its other limits (password reset, ...) stay.
ACCOUNT_RATE_LIMITS = {"login": None, "login_failed": None}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Exportregister"
# Accept the code of the 30-second step before or after the server's own (RFC 6238 section 5.2 advises one step of
# network delay): otherwise a code read off the phone in a step's last seconds is refused by the time it arrives.
# allauth still refuses a code used once, over the whole window.
MFA_TOTP_TOLERANCE = 1
# allauth refuses a second factor while the account's e-mail address is unverified (against someone claiming another's
# address through open sign-up). The register has no open sign-up and verifies no addresses (accounts are made by
# administrators or through a checked company registration), so without this staff could never set up the TOTP
# that core.mfa requires of them: a loop between the set-up page and "verify your e-mail first".
MFA_ALLOW_UNVERIFIED_EMAIL = True
# Staff (every role but exporter) must set up TOTP before using the register; exporters may opt in.
REGISTER_STAFF_MFA_REQUIRED = env.bool("REGISTER_STAFF_MFA_REQUIRED", default=True)

# Signing in through eHerkenning and the ministry's SSO (README, "Signing in through eHerkenning and the
# ministry's SSO"). Either is off while its provider is not configured; passwords then remain the only way in.
REGISTER_SITE_URL = env("REGISTER_SITE_URL", default="")  # e.g. https://exportregister.example.nl; else per request
# eHerkenning (SAML 2.0 through an accredited broker; parties/saml.py).
REGISTER_EHERKENNING_IDP_METADATA = env("REGISTER_EHERKENNING_IDP_METADATA", default="")  # file path or https URL
REGISTER_EHERKENNING_SP_ENTITY_ID = env("REGISTER_EHERKENNING_SP_ENTITY_ID", default="")
REGISTER_EHERKENNING_SP_KEY_FILE = env("REGISTER_EHERKENNING_SP_KEY_FILE", default="")
REGISTER_EHERKENNING_SP_CERT_FILE = env("REGISTER_EHERKENNING_SP_CERT_FILE", default="")
REGISTER_EHERKENNING_LEVEL = env("REGISTER_EHERKENNING_LEVEL", default="urn:etoegang:core:assurance-class:loa3")
REGISTER_EHERKENNING_KVK_ATTRIBUTE = env(
    "REGISTER_EHERKENNING_KVK_ATTRIBUTE", default="urn:etoegang:core:LegalSubjectID"
)
REGISTER_EHERKENNING_PSEUDONYM_ATTRIBUTE = env(
    "REGISTER_EHERKENNING_PSEUDONYM_ATTRIBUTE", default="urn:etoegang:core:ActingSubjectID"
)
SAML_CONFIG_LOADER = "parties.saml.sp_config"
SAML_ACS_FAILURE_RESPONSE_FUNCTION = "parties.saml.sign_in_refused"
SAML_DEFAULT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
# djangosaml2 keeps the outstanding request in its own cookie, which must survive the broker's cross-site POST:
# SameSite=None (with Secure) in production; Lax where the broker is on the same site (tests on 127.0.0.1).
SAML_SESSION_COOKIE_SAMESITE = env("SAML_SESSION_COOKIE_SAMESITE", default="Lax")
# Staff SSO (OpenID Connect; parties/oidc.py, mozilla-django-oidc).
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", default="openid email profile")
OIDC_USE_PKCE = True
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
# The claim that carries the person's groups or roles, mapped to register roles by parties.StaffRoleMapping.
REGISTER_STAFF_SSO_ROLES_CLAIM = env("REGISTER_STAFF_SSO_ROLES_CLAIM", default="groups")
# `acr` values that, like `amr` "mfa", mean the provider checked more than one factor (satisfies core.mfa).
REGISTER_STAFF_SSO_MFA_ACR_VALUES = env.list("REGISTER_STAFF_SSO_MFA_ACR_VALUES", default=[])

# django-axes: lock out after repeated failures, per user name and address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# allauth posts the e-mail as `login`; axes must count failures per account, not per address only.
AXES_USERNAME_CALLABLE = "core.mfa.axes_username"

# Sessions live in the database (cached), so web processes stay stateless.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_IDLE_TIMEOUT_SECONDS = env.int("SESSION_IDLE_TIMEOUT_SECONDS", default=30 * 60)
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Dutch is the language of the authority (Awb 2:6): the interface opens in Dutch and every decision, letter and
# e-mail the register sends is rendered in LANGUAGE_CODE; English is one click away (the header's switch).
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
# One format per language everywhere: Django's formats for nl and en (dates "4 december 2026" / "4 December 2026",
# amounts through the `money` filter), set in core/formats/<language>/formats.py.
FORMAT_MODULE_PATH = ["core.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
WHITENOISE_AUTOREFRESH = DEBUG
# NL Design System CSS comes from npm (package.json, installed by `make`), served by whitenoise.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("nlds/utrecht", BASE_DIR / "node_modules" / "@utrecht" / "component-library-css" / "dist"),
    ("nlds/rhc", BASE_DIR / "node_modules" / "@rijkshuisstijl-community" / "design-tokens" / "dist"),
]
# Uploaded documents live outside the web root and are only served through permission-checked views.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
# ClamAV's clamd, which scans every upload (licensing/virus_scan.py): a Unix socket path such as
# /var/run/clamav/clamd.ctl or host:port. Empty: no scanner, documents stay "not yet scanned" (local runs).
CLAMD_ADDRESS = env("CLAMD_ADDRESS", default="")
CLAMD_TIMEOUT_SECONDS = env.int("CLAMD_TIMEOUT_SECONDS", default=60)
# Quotas per exporter organisation (rolling 24 hours) and per application (issue 14).
ORGANISATION_UPLOADS_PER_DAY = env.int("ORGANISATION_UPLOADS_PER_DAY", default=100)
ORGANISATION_UPLOAD_BYTES_PER_DAY = env.int("ORGANISATION_UPLOAD_BYTES_PER_DAY", default=250 * 1024 * 1024)
APPLICATION_MAX_GOODS_LINES = env.int("APPLICATION_MAX_GOODS_LINES", default=300)

if env("STORAGE_BACKEND", default="filesystem") == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "default_acl": None,
            "querystring_auth": True,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Redis: cache, Celery broker and results. Without REDIS_URL (the zero-setup run) the cache is
# in-process and Celery runs tasks eagerly; see README "What differs from production".
REDIS_URL = env("REDIS_URL", default="")


def redis_cache(url: str, *, key_prefix: str = "") -> dict[str, object]:
    """The Redis cache, failing open: with Redis down a read is a miss and a write is skipped (logged), so
    sessions (cached_db) load from the database and pages keep working instead of answering 500. Login
    throttling does not depend on it (django-axes counts failures in the database), so nothing security needs
    fails open. Short socket timeouts keep a hung Redis from holding a request."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": key_prefix,
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
        },
    }


DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL or "cache+memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2, "socket_timeout": 5}
# If the broker is down, publishing gives up quickly: the officer's action has committed and the outbox relay
# sends the message once the broker is back (core.notifications, core.tasks.relay_outbox).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}

# Webhooks to exporters' systems (core/webhooks.py): back-off base (doubled per failed attempt), attempts before
# giving up, the receiver's time to answer. WEBHOOK_ALLOW_INSECURE permits http:// and private addresses: never
# in production (a registered URL could otherwise reach the register's own network).
WEBHOOK_RETRY_BASE_SECONDS = env.float("WEBHOOK_RETRY_BASE_SECONDS", default=30.0)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=10)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)
WEBHOOK_ALLOW_INSECURE = False

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="exportcontrole@example.org")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "core.api_auth.ScopedTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.api_auth.DenyUnlessDeclared"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.api.DefaultPagination",
    "PAGE_SIZE": 25,
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env("API_RATE", default="600/minute")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Export licence register API",
    "DESCRIPTION": "Applications, licences and case work for military export licences.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI assets from the sidecar package: no CDN, and no inline script (CSP).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Two models have an "outcome": name each enum after its model so neither gets a numbered name.
    "ENUM_NAME_OVERRIDES": {
        "DecisionOutcomeEnum": "licensing.models.decision.DecisionOutcome",
        "ObjectionOutcomeEnum": "licensing.models.objection.ObjectionOutcome",
        # Two choice sets share the field name "kind": documents keep their component name, amendments get theirs.
        "KindEnum": "licensing.models.application.DocumentKind",
        "AmendmentKindEnum": "licensing.models.amendment.AmendmentKind",
        "CurrencyEnum": "licensing.models.application.Currency",
    },
}

# Security headers that hold in every environment; production.py tightens the rest.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "camera": [],
    "geolocation": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# The register's own settings.
# Signed chain heads (audit.head_seal), published hourly outside the database: an append-only file on another
# volume, and e-mail. The HMAC key defaults to one derived from SECRET_KEY (also not in the database).
AUDIT_HEAD_FILE = env("AUDIT_HEAD_FILE", default=str(BASE_DIR / "var" / "audit-heads.jsonl"))
AUDIT_HEAD_KEY = env("AUDIT_HEAD_KEY", default="")
AUDIT_HEAD_RECIPIENTS: list[str] = env.list("AUDIT_HEAD_RECIPIENTS", default=[])
# A monitor that sends `Authorization: Bearer <token>` to /healthz sees which dependency failed.
HEALTHZ_TOKEN = env("HEALTHZ_TOKEN", default="")
REGISTER_HOME_STATE = "NL"
FORM_RENDERER = "core.forms_renderer.RegisterFormRenderer"
