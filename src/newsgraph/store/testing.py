"""Throwaway stores for tests and benchmarks: a SQLite file, or a fresh schema in a PostgreSQL database
(so parallel runs and leftovers never collide)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from newsgraph.store.store import Store, database_url

PG_ENV = "NEWSGRAPH_TEST_PG"


def with_search_path(url: str, schema: str) -> str:
    """The URL with ``options=-csearch_path=<schema>`` so every connection works inside that schema."""
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options={quote(f'-csearch_path={schema}')}"


def _admin(url: str, sql: str) -> None:
    import psycopg

    plain = database_url(url).replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(sql)


@contextmanager
def temporary_store(
    backend: str, directory: Path, pg_url: str | None = None, **options: object
) -> Iterator[Store]:
    """A new, empty store; removed (PostgreSQL schema dropped) afterwards."""
    if backend == "sqlite":
        store = Store.open(str(directory / f"store-{uuid.uuid4().hex[:8]}.db"), **options)
        try:
            yield store
        finally:
            store.close()
        return
    if backend != "postgresql" or not pg_url:
        raise ValueError("postgresql needs a server URL")
    schema = f"ng_test_{uuid.uuid4().hex[:12]}"
    _admin(pg_url, f'CREATE SCHEMA "{schema}"')
    store = Store.open(with_search_path(pg_url, schema), **options)
    try:
        yield store
    finally:
        store.close()
        _admin(pg_url, f'DROP SCHEMA "{schema}" CASCADE')
