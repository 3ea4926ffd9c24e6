"""Feeds and pages served from a local HTTP server on 127.0.0.1 (no test leaves the machine)."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newsgraph import __version__
from newsgraph.config import Settings
from newsgraph.ingest import web
from newsgraph.ingest.readers import ArticleInput, InputProblem

FIXTURES = Path(__file__).parent / "fixtures" / "web"


class _Server:
    def __init__(self) -> None:
        self.agents: list[str] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.delay = 0.0
        self.lock = threading.Lock()


@pytest.fixture()
def server():
    state = _Server()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep test output quiet
            pass

        def do_GET(self):  # noqa: N802
            with state.lock:
                state.agents.append(self.headers.get("User-Agent", ""))
                state.in_flight += 1
                state.max_in_flight = max(state.max_in_flight, state.in_flight)
            try:
                self._respond()
            finally:
                with state.lock:
                    state.in_flight -= 1

        def _respond(self):
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            name = self.path.split("?")[0].lstrip("/")
            if state.delay:
                time.sleep(state.delay)
            if name == "big.html":
                body = b"<html><body>" + b"<p>word</p>" * 200_000 + b"</body></html>"
                ctype = "text/html"
            elif name.startswith("slow/"):
                body = (FIXTURES / "port.html").read_bytes()
                ctype = "text/html"
            elif (FIXTURES / name).is_file():
                body = (FIXTURES / name).read_bytes().replace(b"{{BASE}}", base.encode())
                ctype = "application/rss+xml" if name.endswith(".xml") else "text/html; charset=utf-8"
            elif name == "image.png":
                body, ctype = b"\x89PNG\r\n", "image/png"
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield state
    httpd.shutdown()
    httpd.server_close()


def test_page_reduced_to_article_with_metadata(server):
    with web.WebFetcher() as fetcher:
        article = fetcher.fetch_article(f"{server.base}/grain.html")
    assert isinstance(article, ArticleInput)
    assert article.title == "Ministers meet on grain corridor"
    assert article.published == "2024-03-05"
    assert "Black Sea grain corridor" in article.text
    assert "All rights reserved" not in article.text and "Sport" not in article.text
    assert article.url.endswith("/grain.html")
    assert server.agents == [web.USER_AGENT] and server.agents[0].startswith(f"newsgraph/{__version__}")


def test_rss_feed_entries_fetched_with_feed_metadata_and_problems(server):
    with web.WebFetcher() as fetcher:
        entries = fetcher.fetch_feed(f"{server.base}/rss.xml")
        assert [e.title for e in entries] == [
            "Ministers meet on grain corridor",
            "Port reopens after storm",
            "A page that went away",
        ]
        assert entries[0].published == "2024-03-05" and entries[0].source == "Example World News"
        results = list(fetcher.feed_articles([f"{server.base}/rss.xml"]))
    articles = [r for r in results if isinstance(r, ArticleInput)]
    problems = [r for r in results if isinstance(r, InputProblem)]
    assert [a.title for a in articles] == ["Ministers meet on grain corridor", "Port reopens after storm"]
    assert articles[1].published == "2024-03-06"
    assert len(problems) == 1 and "404" in problems[0].message and problems[0].origin.endswith("missing.html")


def test_atom_feed(server):
    with web.WebFetcher() as fetcher:
        entries = fetcher.fetch_feed(f"{server.base}/atom.xml")
    assert [(e.title, e.published) for e in entries] == [("Port reopens after storm", "2024-03-06")]


def test_size_limit_timeout_and_content_type(server):
    with web.WebFetcher(web.WebOptions(max_bytes=100_000, timeout=0.5)) as fetcher:
        with pytest.raises(web.FetchError, match="limit"):
            fetcher.fetch_article(f"{server.base}/big.html")
        with pytest.raises(web.FetchError, match="not a web page"):
            fetcher.fetch_article(f"{server.base}/image.png")
        with pytest.raises(web.FetchError, match="not an http"):
            fetcher.fetch_article("file:///etc/passwd")
        server.delay = 2.0
        with pytest.raises(web.FetchError, match="Timeout"):
            fetcher.fetch_article(f"{server.base}/port.html")


def test_not_a_feed(server):
    with web.WebFetcher() as fetcher:
        results = list(fetcher.feed_articles([f"{server.base}/nothing.xml"]))
    assert len(results) == 1 and isinstance(results[0], InputProblem)


def test_per_host_concurrency_limit(server):
    server.delay = 0.2
    urls = [f"{server.base}/slow/{i}.html" for i in range(6)]
    with web.WebFetcher(web.WebOptions(per_host=2, workers=6)) as fetcher:
        results = list(fetcher.articles(urls))
    assert all(isinstance(r, ArticleInput) for r in results)
    assert [r.origin for r in results] == urls  # input order kept
    assert server.max_in_flight == 2


def test_options_from_settings():
    settings = Settings().updated({"max_input_bytes": 1234, "fetch_per_host": 3, "fetch_timeout": 5})
    options = web.WebOptions.from_settings(settings)
    assert (options.max_bytes, options.per_host, options.timeout) == (1234, 3, 5.0)


def test_iter_web_inputs_pages_then_feeds(server):
    results = list(web.iter_web_inputs([f"{server.base}/port.html"], [f"{server.base}/atom.xml"], Settings()))
    assert [r.title for r in results] == ["Port reopens after storm", "Port reopens after storm"]
    assert web.is_url("https://x.example/a") and not web.is_url("articles/a.txt")


class _FakeExtractor:
    """Stands in for the spaCy pipeline: one article-level extraction per input, no NLP."""

    def __init__(self, settings):
        self.settings = settings

    def extract_many(self, articles, batch_size=None):
        import hashlib

        from newsgraph.contract import Article, Coder, Extraction, ModelInfo

        for a in articles:
            yield Extraction(
                coder=Coder(version="fake-1", model=ModelInfo(name="none", version="0")),
                article=Article(
                    id=a.id or hashlib.sha256(a.text.encode()).hexdigest()[:16],
                    title=a.title,
                    published=a.published,
                    url=a.url,
                    source=a.source,
                    text_sha256=hashlib.sha256(a.text.encode()).hexdigest(),
                ),
            )


def test_feed_ingest_into_store_once(server, tmp_path):
    from newsgraph import query as q
    from newsgraph.store import Store
    from newsgraph.store.ingest import run_ingest

    settings = Settings()
    problems = []
    with Store.open(str(tmp_path / "web.db")) as store:
        for expected_added, expected_stored in ((2, 0), (0, 2)):
            summary = run_ingest(
                web.iter_web_inputs([], [f"{server.base}/rss.xml"], settings),
                store,
                settings,
                factory=_FakeExtractor,
                coder_version="fake-1",
                on_problem=problems.append,
            )
            assert summary.report.added == expected_added and summary.already_stored == expected_stored
        articles = q.list_articles(store).items
    assert sorted((a.title, a.published) for a in articles) == [
        ("Ministers meet on grain corridor", "2024-03-05"),
        ("Port reopens after storm", "2024-03-06"),
    ]
    assert all(a.url.startswith(server.base) for a in articles)
    assert len(problems) == 2 and all("404" in p.message for p in problems)
