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
# The test server listens on loopback, which the fetcher refuses unless the operator allows it.
LOCAL = web.WebOptions(allow_hosts=("127.0.0.1",))
LOCAL_SETTINGS = Settings(fetch_allow_hosts=("127.0.0.1",))


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
            if name == "redirect":
                self.send_response(302)
                self.send_header("Location", self.path.split("to=", 1)[1])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if name == "big.html":
                body = b"<html><body>" + b"<p>word</p>" * 200_000 + b"</body></html>"
                ctype = "text/html"
            elif name.startswith("slow/"):
                body = (FIXTURES / "port.html").read_bytes()
                ctype = "text/html"
            elif name == "bogus-charset.html":  # a label no codec knows (LookupError before the fix)
                body = (FIXTURES / "port.html").read_bytes()
                ctype = "text/html; charset=x-no-such-charset"
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
    with web.WebFetcher(LOCAL) as fetcher:
        article = fetcher.fetch_article(f"{server.base}/grain.html")
    assert isinstance(article, ArticleInput)
    assert article.title == "Ministers meet on grain corridor"
    assert article.published == "2024-03-05"
    assert "Black Sea grain corridor" in article.text
    assert "All rights reserved" not in article.text and "Sport" not in article.text
    assert article.url.endswith("/grain.html")
    assert server.agents == [web.USER_AGENT] and server.agents[0].startswith(f"newsgraph/{__version__}")


def test_rss_feed_entries_fetched_with_feed_metadata_and_problems(server):
    with web.WebFetcher(LOCAL) as fetcher:
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
    with web.WebFetcher(LOCAL) as fetcher:
        entries = fetcher.fetch_feed(f"{server.base}/atom.xml")
    assert [(e.title, e.published) for e in entries] == [("Port reopens after storm", "2024-03-06")]


def test_size_limit_timeout_and_content_type(server):
    options = web.WebOptions(max_bytes=100_000, timeout=0.5, allow_hosts=LOCAL.allow_hosts)
    with web.WebFetcher(options) as fetcher:
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
    with web.WebFetcher(LOCAL) as fetcher:
        results = list(fetcher.feed_articles([f"{server.base}/nothing.xml"]))
    assert len(results) == 1 and isinstance(results[0], InputProblem)


def test_per_host_concurrency_limit(server):
    server.delay = 0.2
    urls = [f"{server.base}/slow/{i}.html" for i in range(6)]
    with web.WebFetcher(web.WebOptions(per_host=2, workers=6, allow_hosts=LOCAL.allow_hosts)) as fetcher:
        results = list(fetcher.articles(urls))
    assert all(isinstance(r, ArticleInput) for r in results)
    assert [r.origin for r in results] == urls  # input order kept
    assert server.max_in_flight == 2


def test_options_from_settings():
    settings = Settings().updated({"max_input_bytes": 1234, "fetch_per_host": 3, "fetch_timeout": 5})
    options = web.WebOptions.from_settings(settings)
    assert (options.max_bytes, options.per_host, options.timeout) == (1234, 3, 5.0)


def test_iter_web_inputs_pages_then_feeds(server):
    results = list(web.iter_web_inputs([f"{server.base}/port.html"], [f"{server.base}/atom.xml"],
                                   LOCAL_SETTINGS))
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

    settings = LOCAL_SETTINGS
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


# -- server-side request forgery ---------------------------------------------------------------------


def test_loopback_is_refused_unless_allowed_and_nothing_reaches_the_server(server):
    url = f"{server.base}/grain.html"
    with web.WebFetcher() as fetcher:
        with pytest.raises(web.RefusedURL, match=r"127\.0\.0\.1 \(loopback\).*fetch_allow_hosts"):
            fetcher.fetch_article(url)
        with pytest.raises(web.RefusedURL, match="loopback"):
            fetcher.fetch_feed(f"{server.base}/rss.xml")
        for other in ("file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1:70/"):
            with pytest.raises(web.RefusedURL, match="not an http"):
                fetcher.fetch_article(other)
    assert server.agents == []  # refused before connecting, not after reading
    results = list(web.iter_web_inputs([url], [f"{server.base}/rss.xml"], Settings()))
    assert [(type(r).__name__, r.code) for r in results] == [("InputProblem", "fetch-failed"),
                                                             ("InputProblem", "feed-failed")]
    assert server.agents == []
    with web.WebFetcher(LOCAL) as fetcher:  # an operator allow-list entry lets it through
        assert fetcher.fetch_article(url).title == "Ministers meet on grain corridor"


def test_every_redirect_hop_is_checked(server):
    """A host the operator allowed redirects to one it did not: the second hop is refused."""
    port = server.base.rsplit(":", 1)[1]
    allowed = web.WebOptions(allow_hosts=("localhost",))
    with web.WebFetcher(allowed) as fetcher:
        hop = f"http://localhost:{port}/redirect?to={server.base}/grain.html"
        with pytest.raises(web.RefusedURL, match=r"127\.0\.0\.1 \(loopback\)"):
            fetcher.fetch_article(hop)
        assert len(server.agents) == 1  # the allowed first hop was fetched, the target never
        with pytest.raises(web.RefusedURL, match="not http"):
            fetcher.fetch_article(f"http://localhost:{port}/redirect?to=file:///etc/passwd")
        same = f"http://localhost:{port}/redirect?to=http://localhost:{port}/grain.html"
        assert fetcher.fetch_article(same).title == "Ministers meet on grain corridor"


def test_connects_to_the_address_it_checked(server):
    """DNS rebinding: a name that answers an allowed address first and a refused one afterwards. The
    fetcher resolves once per connection and connects to the address it checked."""
    from newsgraph.ingest.netguard import AddressPolicy

    port = int(server.base.rsplit(":", 1)[1])
    answers = iter([["127.0.0.1"]])
    calls = []

    def rebinding(host: str, p: int) -> list[str]:
        calls.append((host, p))
        return next(answers, ["127.0.0.2"])

    policy = AddressPolicy(("127.0.0.1/32",), resolver=rebinding)
    with web.WebFetcher(policy=policy) as fetcher:
        article = fetcher.fetch_article(f"http://rebind.test:{port}/grain.html")
    assert article.title == "Ministers meet on grain corridor"
    assert calls == [("rebind.test", port)]  # the system resolver does not know rebind.test at all
    with web.WebFetcher(policy=policy) as fetcher, pytest.raises(web.RefusedURL, match="127.0.0.2"):
        fetcher.fetch_article(f"http://rebind.test:{port}/grain.html")  # a new connection checks again


@pytest.mark.parametrize("address, kind", [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("::ffff:127.0.0.1", "loopback"),
    ("10.1.2.3", "private"), ("172.16.0.1", "private"), ("192.168.1.1", "private"), ("fc00::1", "private"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"), ("224.0.0.1", "multicast"),
    ("ff02::1", "multicast"), ("0.0.0.0", "unspecified"), ("240.0.0.1", "reserved"),
    ("100.64.0.1", "non-public"), ("2002:7f00:1::", "loopback"),
    ("93.184.216.34", None), ("2606:4700:4700::1111", None),
])
def test_address_kinds(address, kind):
    import ipaddress

    from newsgraph.ingest.netguard import address_kind

    assert address_kind(ipaddress.ip_address(address)) == kind


def test_policy_keeps_only_permitted_addresses_and_honours_the_allow_list():
    from newsgraph.ingest.netguard import AddressPolicy, RefusedAddress

    table = {"news.test": ["93.184.216.34"], "mixed.test": ["10.0.0.5", "93.184.216.35"],
             "metadata.test": ["169.254.169.254"], "intranet.corp.test": ["10.9.8.7"]}

    def resolve(host, _port):
        return table[host]

    policy = AddressPolicy(resolver=resolve)
    assert policy.addresses("news.test", 80) == ["93.184.216.34"]
    assert policy.addresses("mixed.test", 80) == ["93.184.216.35"]  # never the private one
    with pytest.raises(RefusedAddress, match="169.254.169.254 \\(link-local\\)"):
        policy.addresses("metadata.test", 80)
    allowed = AddressPolicy((".corp.test", "10.0.0.0/24"), resolver=resolve)
    assert allowed.addresses("intranet.corp.test", 80) == ["10.9.8.7"]
    assert allowed.addresses("mixed.test", 80) == ["10.0.0.5", "93.184.216.35"]
    with pytest.raises(RefusedAddress):
        allowed.addresses("metadata.test", 80)


def test_time_cap_covers_the_whole_fetch(server):
    server.delay = 0.6
    options = web.WebOptions(max_seconds=0.3, timeout=5, allow_hosts=LOCAL.allow_hosts)
    started = time.monotonic()
    with web.WebFetcher(options) as fetcher, pytest.raises(web.FetchError, match="longer than 0.3 s"):
        fetcher.fetch_article(f"{server.base}/big.html")
    assert time.monotonic() - started < 3


def test_unknown_charset_is_read_with_a_warning_note(server):
    with web.WebFetcher(LOCAL) as fetcher:
        article = fetcher.fetch_article(f"{server.base}/bogus-charset.html")
    assert article.title == "Port reopens after storm"
    assert article.notes and "x-no-such-charset" in article.notes[0] and "utf-8" in article.notes[0]


@pytest.mark.parametrize("body, ctype, text, note", [
    (b"<p>caf\xc3\xa9</p>", "text/html; charset=x-bogus", "<p>caf\u00e9</p>", "not a known text encoding"),
    (b"<p>caf\xe9</p>", "text/html; charset=utf-8", "<p>caf\u00e9</p>", "does not decode"),
    (b'<meta charset="iso-8859-1"><p>caf\xe9', "text/html", '<meta charset="iso-8859-1"><p>caf\u00e9', None),
    (b"<p>caf\xc3\xa9</p>", "text/html; charset=rot13", "<p>caf\u00e9</p>", "not a known text encoding"),
    (b"<p>\x81\xff</p>", "text/html; charset=cp1252", "<p>\ufffd\ufffd</p>", "unreadable bytes replaced"),
])
def test_decode_page(body, ctype, text, note):
    got, got_note = web.decode_page(body, ctype)
    assert got == text
    assert got_note is None if note is None else note in got_note


def test_binary_page_is_a_fetch_error():
    with pytest.raises(web.FetchError, match="binary"):
        web.decode_page(b"\x1f\x8b\x08\x00\x00\x00\x00" * 10, "text/html")


def test_a_name_that_does_not_resolve_is_a_fetch_failure_not_a_refusal():
    from newsgraph.ingest.netguard import AddressPolicy

    def nowhere(host, port):
        raise OSError("Name or service not known")

    with web.WebFetcher(policy=AddressPolicy(resolver=nowhere)) as fetcher:
        with pytest.raises(web.FetchError, match="cannot resolve nowhere.test") as info:
            fetcher.fetch_article("http://nowhere.test/a.html")
    assert not isinstance(info.value, web.RefusedURL)
