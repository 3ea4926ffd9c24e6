#!/usr/bin/env bash
# Lint, then the whole test suite, with a throwaway PostgreSQL server for the store's second backend.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check src tests benchmarks training

pg_started=0
if [ -z "${NEWSGRAPH_TEST_PG:-}" ]; then
  if url="$(scripts/start-postgres.sh)"; then
    export NEWSGRAPH_TEST_PG="$url"
    pg_started=1
  else
    echo "run-tests: PostgreSQL could not be started; its tests will be skipped" >&2
  fi
fi
trap '[ "$pg_started" = 1 ] && scripts/stop-postgres.sh >/dev/null 2>&1 || true' EXIT
.venv/bin/python -m pytest "$@"
