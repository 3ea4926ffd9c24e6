#!/usr/bin/env bash
# Stop the throwaway cluster started by start-postgres.sh; `--remove` also deletes ./.pg.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PGDIR="${NEWSGRAPH_PG_DIR:-$ROOT/.pg}"
DATA="$PGDIR/data"

BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
if [ -z "$BIN" ] && command -v pg_ctl >/dev/null 2>&1; then
    BIN="$(dirname "$(command -v pg_ctl)")"
fi

if [ -n "$BIN" ] && [ -f "$DATA/PG_VERSION" ]; then
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u "$(stat -c %U "$DATA")" -- "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true
    else
        "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true
    fi
fi

if [ "${1:-}" = "--remove" ]; then
    rm -rf "$PGDIR"
fi
echo "stopped"
