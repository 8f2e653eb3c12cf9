#!/usr/bin/env bash
# Install everything (Python packages, Chromium for the browser tests, fonts)
# and run the whole test suite: on SQLite, then on PostgreSQL.
#
# PostgreSQL: ARCHIVE_TEST_DATABASE_URL, by default the local server's
# database "test" (trust auth). Each run creates and drops a database of its own.
# Outside CI a missing PostgreSQL server is reported and that half skipped;
# in CI (CI=true) it is an error.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/common.sh

install_debian_packages "${RUNTIME_DEBIAN_PACKAGES[@]}" "${TEST_DEBIAN_PACKAGES[@]}"
install_venv "[test]"

echo "== tests on SQLite"
.venv/bin/python -m pytest -q "$@"

PG_URL=${ARCHIVE_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}
if .venv/bin/python - "$PG_URL" <<'PY'
import sys
from sqlalchemy import create_engine, text
try:
    with create_engine(sys.argv[1]).connect() as conn:
        conn.execute(text("select 1"))
except Exception as exc:
    print(f"PostgreSQL not reachable at {sys.argv[1]}: {exc}", file=sys.stderr)
    sys.exit(1)
PY
then
  echo "== tests on PostgreSQL ($PG_URL)"
  # The browser tests drive the same views; once, on SQLite, is enough.
  ARCHIVE_TEST_DATABASE_URL=$PG_URL .venv/bin/python -m pytest -q -m "not browser" "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "CI: PostgreSQL is required" >&2
  exit 1
else
  echo "PostgreSQL half skipped: no server reachable."
fi
