"""Render the main pages of the demo, as each demo user, against whatever database DJANGO settings name.

Used by tests/test_demo_smoke.py on a throwaway SQLite database, so the zero-setup demo never rots.
Prints one line per page and exits non-zero on the first page that does not answer 200.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from core.navigation import nav_for  # noqa: E402
from parties.models import User  # noqa: E402
from seeding.demo import demo_logins  # noqa: E402

settings.ALLOWED_HOSTS = ["testserver"]


def main() -> int:
    pages = 0
    for label, email in demo_logins():
        user = User.objects.get(email=email)
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        urls = ["/", "/notifications/"] + [item["url"] for item in nav_for(user)]
        for url in urls:
            if url.startswith("/admin"):
                continue
            response = client.get(url)
            print(f"{response.status_code} {label:40} {url}")
            if response.status_code != 200:
                return 1
            pages += 1
    print(f"rendered {pages} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
