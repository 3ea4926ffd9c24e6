"""The README's "Use" section, run as written: every shell command and the Python example, in order, in a
directory holding the examples and the demo store that `make demo` makes (`newsgraph ingest examples/`).

Only what cannot run here as printed is replaced: example.org becomes a local web server with a page and
a feed, the PostgreSQL URL a throwaway schema on the test server, the web server's port a free one.
Each command must succeed and print something sensible; a README command without a check below fails.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from serving import free_port, wait_until_up

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Chile and Peru Reopen Border Crossing | Example News</title>
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2024-02-08T08:00:00+00:00"></head>
<body><article><h1>Chile and Peru Reopen Border Crossing</h1>
<p>SANTIAGO, Feb. 8, 2024 – Chile and Peru agreed on Thursday to reopen their main border crossing, the two
foreign ministries said in a joint statement. Peru's foreign minister said the crossing would open within a
week.</p></article></body></html>"""
FEED_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Kenya Sends Police to Haiti | Example News</title></head>
<body><article><h1>Kenya Sends Police to Haiti</h1>
<p>NAIROBI, Feb. 9, 2024 – Kenya sent police officers to Haiti on Friday to support the local police, the
government in Nairobi said.</p></article></body></html>"""
FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Example News</title>
<link>{base}/</link><description>news</description>
<item><title>Kenya Sends Police to Haiti</title><link>{base}/haiti.html</link>
<pubDate>Fri, 09 Feb 2024 08:00:00 GMT</pubDate></item></channel></rss>"""


def readme_commands() -> list[str]:
    """The command lines of the Use section's shell blocks and its Python example, comments removed."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    use = text.split("\n## Use", 1)[1].split("\n## ", 1)[0]
    commands = []
    for lang, block in re.findall(r"```(\w+)\n(.*?)```", use, flags=re.S):
        if lang == "python":
            commands.append("python <<'EOF'\n" + block + "EOF")
            continue
        for line in block.splitlines():
            line = re.sub(r"\s+#\s.*$", "", line).strip()
            if line:
                commands.append(line)
    return commands


@dataclass
class Work:
    dir: Path
    env: dict[str, str]
    base: str  # the local stand-in for https://example.org
    pg_url: str | None


def _web_server() -> tuple[ThreadingHTTPServer, str]:
    pages: dict[str, tuple[str, str]] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server API)
            ctype, body = pages.get(self.path, ("text/plain", "not found"))
            self.send_response(200 if self.path in pages else 404)
            self.send_header("Content-Type", ctype)
            self.end_headers()
            self.wfile.write(body.encode("utf-8"))

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    pages.update({"/story.html": ("text/html; charset=utf-8", PAGE),
                  "/haiti.html": ("text/html; charset=utf-8", FEED_PAGE),
                  "/rss.xml": ("application/rss+xml", FEED.format(base=base))})
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, base


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Iterator[Work]:
    pytest.importorskip("spacy")
    root = tmp_path_factory.mktemp("readme")
    shutil.copytree(REPO / "examples", root / "examples")
    (root / "archive").mkdir()
    shutil.copy(REPO / "examples" / "articles.jsonl", root / "archive" / "articles.jsonl")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSGRAPH_") and k != "RAY_ADDRESS"}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    # the stand-in for example.org serves on loopback, which ingest refuses unless allowed
    env["NEWSGRAPH_FETCH_ALLOW_HOSTS"] = "127.0.0.1"
    # The demo store, as `make demo` makes it.
    made = subprocess.run([str(BIN / "newsgraph"), "ingest", "examples/"], cwd=root, env=env,
                          capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    server, base = _web_server()
    pg = os.environ.get("NEWSGRAPH_TEST_PG")
    if not pg:
        yield Work(root, env, base, None)
    else:
        from newsgraph import query
        from newsgraph.store import Store
        from newsgraph.store.testing import temporary_store

        # The shared store of the README's last line: the demo articles, in a schema of their own.
        demo_db = str(root / "newsgraph.db")
        with temporary_store("postgresql", root, pg) as shared, Store.open(demo_db) as demo:
            ids = [a.id for a in query.list_articles(demo, limit=100).items]
            shared.add([(query.get_article(demo, i), query.get_article_text(demo, i)) for i in ids])
            yield Work(root, env, base, shared.engine.url.render_as_string(hide_password=False))
    server.shutdown()


def _json(out: str):
    return json.loads(out)


def check_extract_text(out: str, err: str, work: Work) -> None:
    data = _json(out)  # piped: JSON, not the report
    assert data["article"]["id"] == "ceasefire-talks" and data["article"]["published"] == "2025-01-15"
    assert {"Hamas", "Antony Blinken"} <= {a["name"] for a in data["actors"]}
    assert data["events"] and data["quotes"]


def check_extract_html(out: str, err: str, work: Work) -> None:
    art = _json(out)["article"]
    assert art["title"] == "EU Agrees New Sanctions on Russia" and art["published"] == "2023-06-23"


def check_extract_jsonl(out: str, err: str, work: Work) -> None:
    lines = [json.loads(line) for line in out.splitlines()]
    records = (work.dir / "examples" / "articles.jsonl").read_text().splitlines()
    ids = [json.loads(line)["id"] for line in records]
    assert [x["article"]["id"] for x in lines] == ids


def check_ingest_again(out: str, err: str, work: Work) -> None:
    assert "0 added" in err and "already stored" in err and "0 problems" in err, err


def check_ingest_web(out: str, err: str, work: Work) -> None:
    assert "2 inputs: 2 added" in err, err


def check_events_prk(out: str, err: str, work: Work) -> None:
    events = _json(out)
    assert events
    for e in events:
        codes = {a["code"] for a in e["source"] + e["target"]}
        assert "PRK" in codes, e
    assert any(e["type"] == "AID" and e["target"][0]["name"] == "Russia" for e in events)


def check_quotes(out: str, err: str, work: Work) -> None:
    quotes = _json(out)
    assert quotes and all("Stoltenberg" in q["speaker"]["name"] for q in quotes)


def check_gexf(out: str, err: str, work: Work) -> None:
    import networkx as nx

    graph = nx.read_gexf(work.dir / "network.gexf")
    assert graph.number_of_edges() > 0
    labels = {data["label"] for _, data in graph.nodes(data=True)}
    assert labels & {"Israel", "Hamas", "Qatar", "Egypt"}  # actors of the 2025 ceasefire article
    assert "Turkey" not in labels  # the 2022 grain deal is before --since


def check_timeline(out: str, err: str, work: Work) -> None:
    periods = _json(out)
    counted = [p for p in periods if p["total"]]
    assert counted, periods
    assert all(re.fullmatch(r"\d{4}-\d\d", p["period"]) for p in periods)
    assert periods[0]["total"] and periods[-1]["total"]  # the range runs from the first event to the last


def check_export(out: str, err: str, work: Work) -> None:
    records = [json.loads(line) for line in (work.dir / "events.jsonl").read_text().splitlines()]
    assert records and all(r["event_type"] and r["event_text"] for r in records)
    assert re.search(rf"wrote {len(records)} records", err), err


def check_batch(out: str, err: str, work: Work) -> None:
    from newsgraph.batch import read_extractions

    assert json.loads((work.dir / "shards" / "_manifest.json").read_text())
    extracted = [e.article.id for e in read_extractions(work.dir / "shards")]
    assert len(extracted) == len((work.dir / "archive" / "articles.jsonl").read_text().splitlines())


def check_from_parquet(out: str, err: str, work: Work) -> None:
    assert "shards loaded" in err and "already stored" in err, err


def check_pg_events(out: str, err: str, work: Work) -> None:
    assert _json(out), "the shared store's events"


def check_export_keys(out: str, err: str, work: Work) -> None:
    assert work.env["NEWSGRAPH_API_KEYS"] == "change-me"


def check_serve(out: str, err: str, work: Work) -> None:
    raise AssertionError("checked while it runs, by _serve")


def check_python(out: str, err: str, work: Work) -> None:
    lines = [line for line in out.splitlines() if line.strip()]
    assert lines and all(re.match(r"[A-Z]+ \[", line) for line in lines), out
    assert any(line.startswith("AGREE") for line in lines)


Check = Callable[[str, str, Work], None]
CHECKS: list[tuple[str, Check]] = [
    (r"^newsgraph extract examples/ceasefire-talks\.txt$", check_extract_text),
    (r"^newsgraph extract examples/article\.html --format json$", check_extract_html),
    (r"^newsgraph extract - --format jsonl < examples/articles\.jsonl$", check_extract_jsonl),
    (r"^newsgraph ingest examples/", check_ingest_again),
    (r"^newsgraph ingest https://example\.org/", check_ingest_web),
    (r"^newsgraph events --actor PRK --format json$", check_events_prk),
    (r"^newsgraph quotes --speaker Stoltenberg$", check_quotes),
    (r"^newsgraph network --since 2024-01-01 --format gexf > network\.gexf$", check_gexf),
    (r"^newsgraph timeline --dyad PRK:RUS --by month$", check_timeline),
    (r"^newsgraph export --format plover --output events\.jsonl$", check_export),
    (r"^newsgraph batch .* --engine ray$", check_batch),
    (r"^newsgraph ingest --from-parquet shards/$", check_from_parquet),
    (r"^newsgraph events --db postgresql://", check_pg_events),
    (r"^export NEWSGRAPH_API_KEYS=", check_export_keys),
    (r"^\.venv/bin/newsgraph serve$", check_serve),
    (r"^python <<'EOF'", check_python),
]
SETUP = (". .venv/bin/activate", "make demo")  # the fixture stands for these


def _run(command: str, work: Work) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", command], cwd=work.dir, env=work.env, capture_output=True, text=True,
                          timeout=900)


def _serve(command: str, work: Work) -> None:
    port = free_port()
    args = shlex.split(command.replace(".venv/bin/", "")) + ["--port", str(port), "--log-level", "warning"]
    log = open(work.dir / "serve.log", "w")
    proc = subprocess.Popen(args, cwd=work.dir, env=work.env, stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        page = wait_until_up(base + "/", proc, work.dir / "serve.log")
        assert page.status_code == 200 and "/static/app.js" in page.text
        net = httpx.get(base + "/api/network").json()
        assert net["nodes"] and net["edges"]
        posted = httpx.post(base + "/api/extract", json={"text": "Chile and Peru signed a trade deal."},
                            headers={"Authorization": "Bearer change-me"}, timeout=120)
        assert posted.status_code == 200, posted.text
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


COMMANDS = readme_commands()


def test_every_readme_command_has_a_check():
    unchecked = [c for c in COMMANDS if c not in SETUP and not any(re.search(p, c) for p, _ in CHECKS)]
    assert not unchecked, f"README commands without a check in {__file__}: {unchecked}"
    assert any(c.startswith("newsgraph timeline --dyad PRK:RUS") for c in COMMANDS)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.splitlines()[0][:60])
def test_readme_command(command: str, work: Work) -> None:
    if command in SETUP:
        return
    check = next(c for p, c in CHECKS if re.search(p, command))
    line = command.replace("https://example.org", work.base)
    if check is check_pg_events:
        if not work.pg_url:
            pytest.skip("NEWSGRAPH_TEST_PG is not set: no PostgreSQL server for the shared-store example")
        line = re.sub(r"postgresql://\S+", shlex.quote(work.pg_url), line)
    if check is check_batch and importlib.util.find_spec("ray") is None:
        pytest.skip("ray is not installed (pip install '.[ray]')")
    if check is check_from_parquet and not (work.dir / "shards").is_dir():
        pytest.skip("no shards: the batch example did not run")
    if check is check_export_keys:
        name, _, value = line.removeprefix("export ").partition("=")
        work.env[name] = value
        check("", "", work)
    elif check is check_serve:
        _serve(line, work)
    else:
        result = _run(line, work)
        assert result.returncode == 0, (line, result.stderr[-3000:])
        check(result.stdout, result.stderr, work)


def test_stdin_example_reads_what_it_says(work: Work) -> None:
    # `extract -` really reads standard input: the same records as reading the file.
    piped = _run("newsgraph extract - --format jsonl < examples/articles.jsonl", work).stdout
    direct = _run("newsgraph extract examples/articles.jsonl --format jsonl", work).stdout
    assert io.StringIO(piped).read() == direct
