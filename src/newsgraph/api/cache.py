"""Encoded responses of the aggregate queries, kept until the store changes.

The network (and similar aggregates) is the same for every caller until an ingest commits; computing and
serialising it takes tens of milliseconds, which twenty concurrent clients of one Python process would
queue behind. The cache keys each encoded body on the request's query and the store's generation (which
any writer, in this process or another, moves on), computes each key once however many requests ask for it
at the same moment, and keeps a bounded number of entries.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cached:
    body: bytes
    etag: str


@dataclass
class ResponseCache:
    max_entries: int = 64
    _entries: OrderedDict[Hashable, Cached] = field(default_factory=OrderedDict, init=False, repr=False)
    _computing: dict[Hashable, threading.Lock] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    hits: int = field(default=0, init=False)
    misses: int = field(default=0, init=False)

    def get(self, key: Hashable, compute: Callable[[], bytes]) -> Cached:
        """The cached body for ``key``, computed by one caller while the others wait for it."""
        with self._lock:
            found = self._lookup(key)
            if found is not None:
                return found
            flight = self._computing.setdefault(key, threading.Lock())
        with flight:
            with self._lock:
                found = self._lookup(key)
                if found is not None:
                    return found
            try:
                body = compute()
                entry = Cached(body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')
                with self._lock:
                    self.misses += 1
                    self._entries[key] = entry
                    while len(self._entries) > self.max_entries:
                        self._entries.popitem(last=False)
            finally:
                with self._lock:
                    self._computing.pop(key, None)
            return entry

    def _lookup(self, key: Hashable) -> Cached | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
            self.hits += 1
        return entry

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
