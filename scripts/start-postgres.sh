#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster for tests in ./.pg (gitignored) and print its URL.
# Usage: scripts/start-postgres.sh            -> prints postgresql://postgres@127.0.0.1:54329/newsgraph_test
#        PGPORT=5440 scripts/start-postgres.sh
# Works as root (initdb refuses root, so the cluster runs as the `postgres` system user) and as a normal user.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PGDIR="${NEWSGRAPH_PG_DIR:-$ROOT/.pg}"
PORT="${PGPORT:-54329}"
DB="newsgraph_test"

find_bin() {
    # Debian keeps the full tool set (initdb, pg_ctl, psql, createdb) in one versioned directory.
    local d
    d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
    if [ -n "$d" ] && [ -x "$d/initdb" ]; then
        echo "$d"
    elif command -v initdb >/dev/null 2>&1 && command -v psql >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
    fi
}

BIN="$(find_bin || true)"
if [ -z "$BIN" ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "PostgreSQL not found: installing it with apt-get" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        apt-get install -y -qq postgresql >&2
        BIN="$(find_bin)"
    else
        echo "PostgreSQL binaries not found (install the postgresql package)" >&2
        exit 1
    fi
fi

# Run PostgreSQL commands as the cluster owner: ourselves, or `postgres` when we are root.
if [ "$(id -u)" -eq 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
        useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    fi
    OWNER=postgres
    as_owner() { runuser -u postgres -- "$@"; }
else
    OWNER="$(id -un)"
    as_owner() { "$@"; }
fi

mkdir -p "$PGDIR"
if [ "$(id -u)" -eq 0 ]; then
    chown "$OWNER" "$PGDIR"
    # The owner must be able to reach the directory.
    d="$(dirname "$PGDIR")"
    while [ "$d" != "/" ]; do chmod o+x "$d" 2>/dev/null || true; d="$(dirname "$d")"; done
fi

DATA="$PGDIR/data"
SOCK="$PGDIR/sock"
if [ ! -f "$DATA/PG_VERSION" ]; then
    as_owner mkdir -p "$DATA" "$SOCK"
    as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null \
        || as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --no-locale >/dev/null
fi
as_owner mkdir -p "$SOCK"

if ! as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    as_owner "$BIN/pg_ctl" -D "$DATA" -l "$PGDIR/server.log" -w -t 60 start \
        -o "-p $PORT -h 127.0.0.1 -k $SOCK -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
fi

if ! as_owner "$BIN/psql" -h "$SOCK" -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" \
        | grep -q 1; then
    as_owner "$BIN/createdb" -h "$SOCK" -p "$PORT" -U postgres "$DB"
fi

echo "postgresql://postgres@127.0.0.1:$PORT/$DB"
