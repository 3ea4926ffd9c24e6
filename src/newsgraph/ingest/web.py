"""Feeds and pages from the web: RSS/Atom with feedparser, pages with httpx, reduced with trafilatura.

Fetching is polite and bounded: a ``newsgraph/<version>`` user agent, connect/read timeouts and a cap
on the whole fetch's time, a size limit enforced while streaming, and at most ``per_host`` requests in
flight to one host (several hosts are fetched in parallel). Only public internet addresses are fetched
from, on every redirect hop, unless the operator allows more (``newsgraph.ingest.netguard``). Every
failure becomes an ``InputProblem``; nothing stops a batch.
"""

from __future__ import annotations

import codecs
import re
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from newsgraph import __version__
from newsgraph.config import Settings
from newsgraph.ingest.html import article_from_html
from newsgraph.ingest.metadata import normalise_date
from newsgraph.ingest.netguard import AddressPolicy, GuardedTransport, RefusedAddress
from newsgraph.ingest.readers import ArticleInput, InputProblem

USER_AGENT = f"newsgraph/{__version__} (+https://github.com/newsgraph)"


class FetchError(Exception):
    """A page or feed could not be fetched (HTTP error, timeout, too large, not HTML)."""


class RefusedURL(FetchError):
    """Not fetched on purpose: a scheme other than http(s), or a host that is not a public address."""


@dataclass(frozen=True)
class WebOptions:
    timeout: float = 20.0  # seconds, for connect and for each read
    max_seconds: float = 60.0  # the whole fetch of one URL, redirects included
    max_bytes: int = 5_000_000
    per_host: int = 2
    workers: int = 8
    user_agent: str = USER_AGENT
    max_redirects: int = 5
    allow_hosts: tuple[str, ...] = ()  # fetched although not public (see netguard.AddressPolicy)

    @classmethod
    def from_settings(cls, settings: Settings) -> WebOptions:
        """Defaults, with ``fetch_timeout``, ``fetch_max_seconds``, ``fetch_per_host``, ``fetch_workers`` from
        the settings' extras, the size limit from ``max_input_bytes`` and ``fetch_allow_hosts``."""
        extra = settings.extra
        return cls(
            timeout=float(extra.get("fetch_timeout", cls.timeout)),  # type: ignore[arg-type]
            max_seconds=float(extra.get("fetch_max_seconds", cls.max_seconds)),  # type: ignore[arg-type]
            max_bytes=int(settings.max_input_bytes),
            per_host=int(extra.get("fetch_per_host", cls.per_host)),  # type: ignore[arg-type]
            workers=int(extra.get("fetch_workers", cls.workers)),  # type: ignore[arg-type]
            allow_hosts=tuple(settings.fetch_allow_hosts),
        )


@dataclass
class FeedEntry:
    url: str
    title: str | None = None
    published: str | None = None
    source: str | None = None


@dataclass
class WebFetcher:
    """Fetches pages and feeds with one shared HTTP client and per-host limits.

    The client connects only where ``policy`` permits (public addresses and the options' allow-list);
    a ``client`` passed in is used as it is, without that guard.
    """

    options: WebOptions = field(default_factory=WebOptions)
    client: httpx.Client | None = None
    policy: AddressPolicy | None = None
    _locks: dict[str, threading.BoundedSemaphore] = field(default_factory=dict, init=False, repr=False)
    _guard: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        self._own_client = self.client is None
        if self.policy is None:
            self.policy = AddressPolicy(self.options.allow_hosts)
        if self.client is None:
            self.client = httpx.Client(
                headers={
                    "User-Agent": self.options.user_agent,
                    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5",
                },
                timeout=httpx.Timeout(self.options.timeout),
                follow_redirects=True,
                max_redirects=self.options.max_redirects,
                transport=GuardedTransport(self.policy),
                trust_env=False,  # a proxy from the environment would connect on our behalf, unchecked
            )

    def close(self) -> None:
        if self._own_client and self.client is not None:
            self.client.close()

    def __enter__(self) -> WebFetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _host_lock(self, url: str) -> threading.BoundedSemaphore:
        host = (urlsplit(url).hostname or "").lower()
        with self._guard:
            if host not in self._locks:
                self._locks[host] = threading.BoundedSemaphore(self.options.per_host)
            return self._locks[host]

    def get(self, url: str) -> tuple[bytes, str, str]:
        """(body, content type, final URL); raises ``FetchError``."""
        if urlsplit(url).scheme not in ("http", "https"):
            raise RefusedURL(f"not an http(s) URL: {url}")
        assert self.client is not None
        deadline = time.monotonic() + self.options.max_seconds
        with self._host_lock(url):
            try:
                with self.client.stream("GET", url) as response:
                    if response.status_code >= 400:
                        raise FetchError(f"HTTP {response.status_code} for {url}")
                    declared = response.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > self.options.max_bytes:
                        raise FetchError(
                            f"{url} is {int(declared):,} bytes, over the limit of {self.options.max_bytes:,}"
                        )
                    chunks, size = [], 0
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if size > self.options.max_bytes:
                            raise FetchError(f"{url} is over the limit of {self.options.max_bytes:,} bytes")
                        if time.monotonic() > deadline:
                            raise FetchError(f"{url} took longer than {self.options.max_seconds:g} s")
                        chunks.append(chunk)
                    return b"".join(chunks), response.headers.get("content-type", ""), str(response.url)
            except RefusedAddress as err:
                raise RefusedURL(f"{url}: {err}") from err
            except httpx.UnsupportedProtocol as err:  # a redirect to file:, ftp:…
                raise RefusedURL(f"{url}: refused to follow a redirect that is not http(s): {err}") from err
            except httpx.HTTPError as err:
                raise FetchError(f"could not fetch {url}: {type(err).__name__}: {err}") from err

    def fetch_article(self, url: str, *, hint: FeedEntry | None = None) -> ArticleInput:
        body, ctype, final_url = self.get(url)
        if ctype and not any(k in ctype for k in ("html", "xml", "text/plain")):
            raise FetchError(f"{url} is {ctype.split(';')[0]}, not a web page")
        html, note = decode_page(body, ctype)
        if "text/plain" in ctype:
            article = ArticleInput(text=html, url=final_url, origin=url)
        else:
            try:
                article = article_from_html(html, final_url, origin=url)
            except ValueError as err:
                raise FetchError(f"{url}: {err}") from err
        if note:
            article.notes.append(note)
        if hint is not None:  # the feed knows what the page's metadata may not
            article.title = article.title or hint.title
            article.published = article.published or hint.published
            article.source = article.source or hint.source
        article.published = normalise_date(article.published) or article.published
        return article

    def fetch_feed(self, url: str) -> list[FeedEntry]:
        import feedparser

        body, _ctype, final_url = self.get(url)
        parsed = feedparser.parse(body, response_headers={"content-location": final_url})
        if parsed.bozo and not parsed.entries:
            raise FetchError(f"{url} is not a readable RSS/Atom feed: {parsed.get('bozo_exception')}")
        source = parsed.feed.get("title")
        entries = []
        for entry in parsed.entries:
            link = entry.get("link")
            if not link:
                continue
            stamp = entry.get("published_parsed") or entry.get("updated_parsed")
            published = time.strftime("%Y-%m-%d", stamp) if stamp else None
            entries.append(FeedEntry(url=link, title=entry.get("title"), published=published, source=source))
        return entries

    def articles(self, urls: Iterable[str | FeedEntry]) -> Iterator[ArticleInput | InputProblem]:
        """Fetch pages in parallel (bounded per host), yielding results in input order."""
        items = [u if isinstance(u, FeedEntry) else FeedEntry(url=u) for u in urls]

        def one(entry: FeedEntry) -> ArticleInput | InputProblem:
            try:
                return self.fetch_article(entry.url, hint=entry)
            except FetchError as err:
                return InputProblem(entry.url, str(err), "fetch-failed")

        with ThreadPoolExecutor(max_workers=max(1, self.options.workers)) as pool:
            yield from pool.map(one, items)

    def feed_articles(self, feed_urls: Iterable[str]) -> Iterator[ArticleInput | InputProblem]:
        for feed_url in feed_urls:
            try:
                entries = self.fetch_feed(feed_url)
            except FetchError as err:
                yield InputProblem(feed_url, str(err), "feed-failed")
                continue
            if not entries:
                yield InputProblem(feed_url, "feed has no entries with links", "empty")
            yield from self.articles(entries)


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip('"').strip()
    return None


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)


def _codec(name: str | None) -> str | None:
    """Python's codec for a charset label, or None when the label names no known text encoding."""
    if not name:
        return None
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    return info.name if getattr(info, "_is_text_encoding", True) else None


def decode_page(body: bytes, content_type: str = "") -> tuple[str, str | None]:
    """A fetched page as text, and a note when its charset had to be guessed; raises ``FetchError``.

    The charset comes from the Content-Type header, else the page's ``<meta charset>``, else UTF-8; a
    label Python does not know, or bytes that do not decode in the declared charset, fall back to UTF-8
    and then to Windows-1252 (which maps nearly every byte), and the note says so.
    """
    if b"\x00" in body[:8192] and not body.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FetchError("the page is binary data (NUL bytes), not text")
    header, meta = _charset(content_type), None
    if m := _META_CHARSET.search(body[:4096]):
        meta = m.group(1).decode("ascii", "replace")
    unknown = [label for label in (header, meta) if label and not _codec(label)]
    candidates = [c for c in (_codec(header), _codec(meta)) if c]
    note = f"the page declares charset {unknown[0]!r}, not a known text encoding" if unknown else None
    for codec in dict.fromkeys([*candidates[:1], "utf-8", "cp1252"]):
        try:
            text = body.decode(codec)
        except UnicodeDecodeError:
            continue
        if candidates and codec != candidates[0]:
            note = note or f"the page does not decode as its declared charset {header or meta!r}"
        if note:
            note += f"; read as {codecs.lookup(codec).name}"
        return text, note
    text = body.decode("utf-8", errors="replace")
    return text, (note or "the page does not decode in any charset tried") + "; unreadable bytes replaced"


def fetch_article(url: str, settings: Settings) -> ArticleInput:
    """One page as an ``ArticleInput``; raises ``FetchError``."""
    with WebFetcher(WebOptions.from_settings(settings)) as fetcher:
        return fetcher.fetch_article(url)


def iter_web_inputs(
    urls: Iterable[str], feeds: Iterable[str], settings: Settings
) -> Iterator[ArticleInput | InputProblem]:
    """Articles from page URLs, then from every entry of each feed."""
    with WebFetcher(WebOptions.from_settings(settings)) as fetcher:
        yield from fetcher.articles(list(urls))
        yield from fetcher.feed_articles(list(feeds))


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))
