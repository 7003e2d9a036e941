"""Start the test OpenID Connect provider: `python -m tests.sso.oidc_provider.serve PORT CLIENT_ID SECRET
REDIRECT_URI` with OIDC_PROVIDER_STATE set to a directory holding op.key and people.json. Prints "ready"."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

os.environ["DJANGO_SETTINGS_MODULE"] = "tests.sso.oidc_provider.settings"


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    port, client_id, secret, redirect_uri = sys.argv[1:5]
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    people = json.loads((Path(os.environ["OIDC_PROVIDER_STATE"]) / "people.json").read_text())
    for username, person in people.items():
        User.objects.create_user(username=username, password=person["password"], email=person.get("email", ""))
    Application.objects.create(
        name="Export licence register",
        client_id=client_id,
        client_secret=secret,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    httpd = make_server("127.0.0.1", int(port), get_wsgi_application(), handler_class=_Quiet)
    print("ready", flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    main()
