#!/usr/bin/env bash
# Install everything, load the demo data (the 2018 Seoul visit, the ten camat
# and their scores) and start the archive on http://127.0.0.1:5000.
# Safe to run again: installs and migrations are idempotent, the seed too.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/common.sh

install_debian_packages "${RUNTIME_DEBIAN_PACKAGES[@]}"
install_venv ""
.venv/bin/flask --app archive init-db
.venv/bin/flask --app archive seed-demo
.venv/bin/flask --app archive reindex
echo "Arsip Studi Banding: http://127.0.0.1:${PORT:-5000}  (Ctrl+C stops it)"
echo "The demo logins above are for trying only: everyone knows their passwords."
# gunicorn with several worker processes, as in production: the search index
# and SQLite are safe with concurrent writers and readers.
exec .venv/bin/gunicorn --workers "${WORKERS:-3}" --bind "127.0.0.1:${PORT:-5000}" \
  --access-logfile - --timeout 120 "archive:create_app()"
