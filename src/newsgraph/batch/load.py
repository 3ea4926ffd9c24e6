"""Loading batch shards into the store: what ``newsgraph ingest --from-parquet DIR`` does.

Shards carry each article's text next to its extraction, so ``Store.add`` applies exactly the
deduplication of an ordinary ingest: an article already stored (same canonical URL or text hash)
is skipped, a near-identical copy is linked to the first one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol

from .shards import read_items


class _StoreLike(Protocol):
    def add(self, extractions: Iterable[Any], *, reprocess: bool = ..., batch_size: int = ...,
            on_batch: Any = ...) -> Any: ...


def load_shards(directory: str | Path, store: _StoreLike, *, reprocess: bool = False, batch_size: int = 64,
                on_batch: Callable[[Any], None] | None = None) -> Any:
    """Add every extraction in the shards under ``directory`` to ``store``; returns its ``IngestReport``."""
    return store.add(read_items(directory), reprocess=reprocess, batch_size=batch_size, on_batch=on_batch)
