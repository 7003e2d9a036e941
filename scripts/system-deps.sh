#!/usr/bin/env bash
# Install the Debian packages the test suite needs, if they are missing and we may install them.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
dpkg -s libharfbuzz-subset0 >/dev/null 2>&1 || need+=(libharfbuzz-subset0)
dpkg -s libpango-1.0-0 >/dev/null 2>&1 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
dpkg -s fonts-liberation >/dev/null 2>&1 || need+=(fonts-liberation)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
# ClamAV's daemon: the tests start their own clamd with a local EICAR signature (tests/clamd.py).
command -v clamd >/dev/null 2>&1 || [ -x /usr/sbin/clamd ] || need+=(clamav-daemon)
# xgettext and msgattrib: tests/core/test_translations.py extracts the messages and finds untranslated ones.
command -v xgettext >/dev/null 2>&1 || need+=(gettext)
command -v xmlsec1 >/dev/null 2>&1 || need+=(xmlsec1)  # pysaml2 signs and verifies SAML (eHerkenning)
command -v pg_dump >/dev/null 2>&1 || need+=(postgresql-client)  # scripts/backup.sh, restore.sh and their test
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${need[*]}. Install them with: sudo apt-get install ${need[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${need[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
