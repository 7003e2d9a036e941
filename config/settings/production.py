"""Production settings: secrets and hosts must come from the environment; HTTPS everywhere."""

from .base import *
from .base import env

SECRET_KEY = env("SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
# Every upload is scanned: Debian's clamav-daemon listens here unless the deployment says otherwise.
CLAMD_ADDRESS = env("CLAMD_ADDRESS", default="/var/run/clamav/clamd.ctl")

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
# The eHerkenning broker posts the answer from its own site: djangosaml2's cookie must travel cross-site.
SAML_SESSION_COOKIE_SAMESITE = env("SAML_SESSION_COOKIE_SAMESITE", default="None")
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
