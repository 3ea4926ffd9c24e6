"""Persistent storage of extractions (SQLite or PostgreSQL, one SQLAlchemy Core code path)."""

from newsgraph.store.migrations import SCHEMA_VERSION, migrate
from newsgraph.store.store import IngestReport, Store, StoreItem, database_url

__all__ = ["SCHEMA_VERSION", "IngestReport", "Store", "StoreItem", "database_url", "migrate"]
