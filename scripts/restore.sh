#!/bin/sh
# Restore a backup into a NEW database: scripts/restore.sh FILE DATABASE_URL
# Refuses to overwrite a database that has tables. Afterwards run, against the restored database:
#   manage.py verify_audit_trail && manage.py check_audit_head
set -eu
if [ $# -ne 2 ]; then echo "usage: $0 FILE DATABASE_URL" >&2; exit 2; fi
tables=$(psql --no-psqlrc -Atc "select count(*) from pg_tables where schemaname = 'public'" "$2")
if [ "$tables" != "0" ]; then echo "$2 is not empty ($tables tables); restore into a new database" >&2; exit 1; fi
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$2" "$1"
echo "Restored $1 into $2"
