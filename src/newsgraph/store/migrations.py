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


def _v2_event_locations(conn: Connection) -> None:
    # a new table (a store made at v1 before it existed lacks it; a new store has it from _v1_initial)
    t.event_locations.create(conn, checkfirst=True)


def _v3_dyad_confidence(conn: Connection) -> None:
    """The event's confidence on each dyad row, in the network's covering index (the network filters on it).

    A store created by this version has both already (``_v1_initial`` builds today's tables)."""
    inspector = inspect(conn)
    if "confidence" not in {c["name"] for c in inspector.get_columns("event_dyads")}:
        conn.exec_driver_sql("ALTER TABLE event_dyads ADD COLUMN confidence FLOAT NOT NULL DEFAULT 1")
        conn.exec_driver_sql(
            "UPDATE event_dyads SET confidence = "
            "(SELECT events.confidence FROM events WHERE events.id = event_dyads.event_id)"
        )
    covering = {ix["name"]: ix["column_names"] for ix in inspector.get_indexes("event_dyads")}
    if tuple(covering.get(t.DYADS_COVERING_INDEX) or ()) != t.DYADS_COVERING_COLUMNS:
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {t.DYADS_COVERING_INDEX}")
        columns = ", ".join(t.DYADS_COVERING_COLUMNS)
        conn.exec_driver_sql(f"CREATE INDEX {t.DYADS_COVERING_INDEX} ON event_dyads ({columns})")


def _v4_quote_speaker_organization(conn: Connection) -> None:
    """``quotes.speaker_organization_id``: the body or state a quote's speaker speaks for. A store created
    at version 1 by this code already has it (version 1 creates the current tables)."""
    if "speaker_organization_id" not in {c["name"] for c in inspect(conn).get_columns("quotes")}:
        conn.exec_driver_sql(
            "ALTER TABLE quotes ADD COLUMN speaker_organization_id VARCHAR(40) REFERENCES actors(id)")
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_quotes_speaker_organization "
                         "ON quotes (speaker_organization_id, date)")


MIGRATIONS: tuple[Migration, ...] = (
    _v1_initial, _v2_event_locations, _v3_dyad_confidence, _v4_quote_speaker_organization
)
SCHEMA_VERSION = len(MIGRATIONS)


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("schema_version"):
        return 0
    return int(conn.execute(select(func.coalesce(func.max(t.schema_version.c.version), 0))).scalar_one())


def migrate(engine: Engine) -> int:
    """Bring the schema up to date; returns the version.  Safe to call on every open."""
    with engine.begin() as conn:
        # Serialise concurrent openers of a fresh database: the second waits, then finds the schema made.
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7215004811)")
        elif engine.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock now, waiting up to the busy timeout
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
