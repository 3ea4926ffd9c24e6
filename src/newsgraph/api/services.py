"""What the routes work with: the store, a lazily loaded extractor and a page fetcher."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request, Response

from newsgraph.api.cache import ResponseCache
from newsgraph.config import Settings
from newsgraph.contract import Extraction
from newsgraph.ingest.readers import ArticleInput

# How long the store's generation is trusted before asking the store again: another process's ingest
# shows in cached aggregates within this time, this server's own writes at once.
GENERATION_TTL = 0.25

ExtractorFactory = Callable[[Settings], Any]  # returns an object with .extract(ArticleInput) -> Extraction
PageFetcher = Callable[[str, Settings], ArticleInput]


def default_extractor_factory(settings: Settings) -> Any:
    from newsgraph.extract.pipeline import Extractor

    return Extractor(settings)


def default_fetcher(url: str, settings: Settings) -> ArticleInput:
    from newsgraph.ingest import web

    return web.fetch_article(url, settings)


@dataclass
class Services:
    settings: Settings
    store: Any
    extractor_factory: ExtractorFactory = default_extractor_factory
    fetcher: PageFetcher = default_fetcher
    _extractor: Any = field(default=None, init=False, repr=False)
    _load_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    # One extraction at a time: the spaCy pipeline is not documented as thread-safe, and the
    # machine's cores are better spent on one article than contended by several.
    _extract_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _write_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    cache: ResponseCache = field(default_factory=ResponseCache, init=False, repr=False)
    _generation: tuple[float, Any] = field(default=(float("-inf"), None), init=False, repr=False)
    _writes: int = field(default=0, init=False, repr=False)

    def extractor(self) -> Any:
        """Loaded on first use (spaCy takes about a second), then kept for the life of the process."""
        if self._extractor is None:
            with self._load_lock:
                if self._extractor is None:
                    self._extractor = self.extractor_factory(self.settings)
        return self._extractor

    def extract(self, article: ArticleInput) -> Extraction:
        extractor = self.extractor()
        with self._extract_lock:
            return extractor.extract(article)

    def fetch(self, url: str) -> ArticleInput:
        return self.fetcher(url, self.settings)

    def add(self, extraction: Extraction, text: str) -> str | None:
        """Store one extraction with its text; the stored article's id, or None if it was already stored."""
        with self._write_lock:
            try:
                report = self.store.add([(extraction, text)])
            finally:
                self._writes += 1  # cached aggregates are stale from now on
        return report.article_ids[0] if report.article_ids else None

    def generation(self) -> tuple[Any, int]:
        """The store's generation (re-read at most every GENERATION_TTL seconds) and this server's writes."""
        at, value = self._generation
        now = time.monotonic()
        if now - at > GENERATION_TTL:
            value = self.store.generation()
            self._generation = (now, value)
        return value, self._writes

    def cached_json(self, request: Request, key: tuple, compute: Callable[[], bytes]) -> Response:
        """``compute()``'s JSON, computed once per ``key`` and store generation (so a write by any process
        shows at once), with an ETag; a matching If-None-Match gets 304 without a body."""
        entry = self.cache.get((key, self.generation()), compute)
        headers = {"ETag": entry.etag, "Cache-Control": "no-cache"}
        if entry.etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        return Response(entry.body, media_type="application/json", headers=headers)

    def existing_id(self, extraction: Extraction) -> str | None:
        found = self.store.find_article(url=extraction.article.url, sha256=extraction.article.text_sha256)
        return found[0] if found else None
