#!/bin/sh
# Back up the register's database: scripts/backup.sh DATABASE_URL FILE
# A custom-format pg_dump (compressed, restorable table by table). Keep the latest signed chain head
# (AUDIT_HEAD_FILE) with it: after a restore, `manage.py check_audit_head` shows the restored chain is whole.
set -eu
if [ $# -ne 2 ]; then echo "usage: $0 DATABASE_URL FILE" >&2; exit 2; fi
pg_dump --format=custom --no-owner --no-privileges --file="$2" "$1"
echo "Backed up to $2 ($(wc -c <"$2") bytes)"
