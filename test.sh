#!/usr/bin/env bash
# Install everything (Python packages, Chromium for the browser tests, fonts)
# and run the whole test suite on SQLite and on PostgreSQL, both at once.
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
  # The two halves run at once, one per core, each with its own temporary
  # folder; their output is shown one after the other when both are done.
  # The browser tests drive the same views; once, on SQLite, is enough.
  logs=$(mktemp -d)
  .venv/bin/python -m pytest -q -p no:cacheprovider --basetemp="$logs/sqlite-tmp" "$@" \
    >"$logs/sqlite.log" 2>&1 &
  sqlite_pid=$!
  ARCHIVE_TEST_DATABASE_URL=$PG_URL .venv/bin/python -m pytest -q -p no:cacheprovider \
    --basetemp="$logs/pg-tmp" -m "not browser" "$@" >"$logs/pg.log" 2>&1 &
  pg_pid=$!
  sqlite_rc=0; wait $sqlite_pid || sqlite_rc=$?
  pg_rc=0; wait $pg_pid || pg_rc=$?
  echo "== tests on SQLite"; cat "$logs/sqlite.log"
  echo "== tests on PostgreSQL ($PG_URL)"; cat "$logs/pg.log"
  rm -rf "$logs"
  [ $sqlite_rc -eq 0 ] && [ $pg_rc -eq 0 ]
elif [ "${CI:-}" = "true" ]; then
  echo "CI: PostgreSQL is required" >&2
  exit 1
else
  echo "PostgreSQL half skipped: no server reachable."
  echo "== tests on SQLite"
  .venv/bin/python -m pytest -q "$@"
fi
