"""Versioned schema: an ordered list of migrations; opening a store applies the missing ones.

Each migration is a function of a connection inside a transaction.  Never edit a released
migration: append a new one (``ALTER TABLE``…, written in SQL both SQLite and PostgreSQL accept).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, func, insert, inspect, select

from newsgraph.store import tables as t

Migration = Callable[[Connection], None]


def _v1_initial(conn: Connection) -> None:
    tables = [tbl for tbl in t.metadata.sorted_tables if tbl.name != "schema_version"]
    t.metadata.create_all(conn, tables=tables)


def _v2_quote_speaker_organization(conn: Connection) -> None:
    """``quotes.speaker_organization_id``: the body or state a quote's speaker speaks for. A store created
    at version 1 by this code already has it (version 1 creates the current tables)."""
    if "speaker_organization_id" not in {c["name"] for c in inspect(conn).get_columns("quotes")}:
        conn.exec_driver_sql(
            "ALTER TABLE quotes ADD COLUMN speaker_organization_id VARCHAR(40) REFERENCES actors(id)")
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_quotes_speaker_organization "
                         "ON quotes (speaker_organization_id, date)")


MIGRATIONS: tuple[Migration, ...] = (_v1_initial, _v2_quote_speaker_organization)
SCHEMA_VERSION = len(MIGRATIONS)


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("schema_version"):
        return 0
    return int(conn.execute(select(func.coalesce(func.max(t.schema_version.c.version), 0))).scalar_one())


def migrate(engine: Engine) -> int:
    """Bring the schema up to date; returns the version.  Safe to call on every open."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            # Serialise concurrent openers of a fresh database.
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7215004811)")
        t.schema_version.create(conn, checkfirst=True)
        version = current_version(conn)
        if version > SCHEMA_VERSION:
            raise RuntimeError(
                f"the store has schema version {version}, newer than this newsgraph ({SCHEMA_VERSION})"
            )
        for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
            migration(conn)
            conn.execute(
                insert(t.schema_version).values(
                    version=number, applied_at=datetime.now(UTC).isoformat(timespec="seconds")
                )
            )
        return SCHEMA_VERSION
