"""A batch survives any one article: a text over spaCy's length limit, a page with an unknown charset, an
extractor that raises. The rest of the batch is extracted and stored, and each problem is named."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator

import pytest
from typer.testing import CliRunner

from newsgraph.batch.stream import extract_stream
from newsgraph.cli import app
from newsgraph.config import Settings
from newsgraph.contract import Article, Coder, Extraction, ModelInfo
from newsgraph.ingest.readers import ArticleInput, InputProblem
from newsgraph.store import Store
from newsgraph.store.ingest import run_ingest
from page_server import PageServer

GOOD = [
    "Chile and Peru signed a fishing agreement in Lima on Monday, the two foreign ministries said.",
    "Kenya sent troops to Haiti on Tuesday to support the local police, the government in Nairobi said.",
    "Canada criticised Mexico on Friday over new tariffs on steel imports, officials in Ottawa said.",
]
CLOSING = "Japan pledged aid to the Philippines after the typhoon, the foreign ministry in Tokyo said."


def appendix_line(i: int) -> str:
    """A line of a data appendix: a few long tokens, cheap for the parser, long in characters."""
    return " ".join(hashlib.sha256(f"{i}:{k}".encode()).hexdigest() * 4 for k in range(4))


def long_text(chars: int, *, paragraphs: bool = True) -> str:
    """An article of ``chars`` characters or more: news at the start, a data appendix, news at the end."""
    sep = "\n\n" if paragraphs else ". "  # one line: sentences, no line breaks
    rows, size, i = [], 0, 0
    while size < chars:
        rows.append(appendix_line(i))
        size += len(rows[-1]) + len(sep)
        i += 1
    return sep.join(["Fishing deal signed", GOOD[0], *rows, CLOSING])


def spans_match(extraction: dict, text: str) -> int:
    n = 0
    for actor in extraction["actors"]:
        for m in actor["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"]
            n += 1
    for e in extraction["events"]:
        for s in [e["trigger"], e["evidence"], *e["also_evidence"]]:
            assert text[s["start"]:s["end"]] == s["text"]
            n += 1
    return n


@pytest.fixture()
def page_server():
    """127.0.0.1 serving a news page whose Content-Type names a charset no codec knows."""
    page = ("<html><head><meta charset='utf-8'><title>Port reopens</title></head><body><article>"
            "<h1>Port reopens</h1>" + "<p>The port of Valpara\u00edso reopened on Wednesday after a storm, "
            "Chile's transport ministry said.</p>" * 3 + "</article></body></html>").encode("utf-8")
    with PageServer(page, "text/html; charset=x-bogus-charset") as server:
        yield server.base


def test_mixed_batch_stores_every_good_article_and_names_both_problems(tmp_path, page_server):
    """Before: spaCy's E088 for the 1.5 MB text (exit 1, nothing stored) and LookupError for the charset."""
    src = tmp_path / "in"
    src.mkdir()
    for i, text in enumerate(GOOD):
        (src / f"good-{i}.txt").write_text(text, encoding="utf-8")
    big = long_text(1_500_000)
    (src / "long.txt").write_text(big, encoding="utf-8")
    assert 1_500_000 <= len(big.encode()) < 10_000_000  # over spaCy's limit, under --max-bytes
    db = tmp_path / "mixed.db"
    url = f"{page_server}/port.html"
    result = CliRunner().invoke(app, ["ingest", str(src), url, "--db", str(db), "--no-progress"],
                                env={"NEWSGRAPH_FETCH_ALLOW_HOSTS": "127.0.0.1"})
    assert result.exit_code == 0, result.output
    assert "5 added" in result.stderr and "0 problems" in result.stderr
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert any("long.txt" in w and "parts" in w for w in warnings), result.stderr
    assert any(url in w and "x-bogus-charset" in w for w in warnings), result.stderr
    with Store.open(str(db)) as store:
        assert store.counts()["articles"] == 5
        stored = {ex.article.id: ex for ex in store.iter_extractions()}
        from newsgraph import query as q

        long_id = next(i for i in stored if i == "long")
        text = q.get_article_text(store, long_id)
    assert text == big
    extraction = stored[long_id].to_json_dict()
    assert spans_match(extraction, big) > 4
    closing_at = big.index(CLOSING)
    assert any(e["evidence"]["start"] == closing_at for e in extraction["events"])  # found in the last part


def test_jsonl_with_a_2mb_single_line_gives_the_same_results_on_one_and_two_workers(tmp_path):
    """Before: the 2 MB line stopped the JSONL batch with E088, with one worker and with two."""
    line = long_text(2_000_000, paragraphs=False)
    assert "\n" not in line
    records = [{"id": f"g{i}", "text": GOOD[i % 3]} for i in range(9)]
    records.insert(4, {"id": "one-line", "text": line})
    src = tmp_path / "batch.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    outputs = []
    for workers in ("1", "2"):
        result = CliRunner().invoke(app, ["extract", str(src), "--format", "jsonl", "--workers", workers])
        assert result.exit_code == 0, result.output
        outputs.append(result.stdout)
        assert "one-line" in result.stderr or "batch.jsonl:5" in result.stderr  # the long-text warning
    assert outputs[0] == outputs[1]
    docs = [json.loads(x) for x in outputs[0].splitlines()]
    assert [d["article"]["id"] for d in docs] == [r["id"] for r in records]
    long_doc = docs[4]
    assert [w["code"] for w in long_doc["warnings"]] == ["long-text"]
    assert spans_match(long_doc, line) > 4
    assert any(e["evidence"]["start"] == line.index(CLOSING) for e in long_doc["events"])


# -- an extractor that raises on one article -----------------------------------------------------------


class _Brittle:
    """A cheap extractor that raises on the article holding BREAKS (as a parser bug would)."""

    coder = Coder(version="brittle-1", model=ModelInfo(name="none", version="0"))

    def __init__(self, _settings: Settings) -> None:
        pass

    def extract_many(self, articles: Iterable[ArticleInput], batch_size: int | None = None
                     ) -> Iterator[Extraction]:
        for a in articles:
            if "BREAKS" in a.text:
                raise IndexError("[E040] Attempt to access token at 99, max length 12.")
            sha = hashlib.sha256(a.text.encode()).hexdigest()
            yield Extraction(coder=self.coder, article=Article(id=a.id or sha[:16], text_sha256=sha))


def _articles(n: int, bad: int) -> list[ArticleInput]:
    return [ArticleInput(text=f"Article {i} {'BREAKS' if i == bad else 'reads'} fine.", id=f"n{i}",
                         origin=f"in.jsonl:{i + 1}") for i in range(n)]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_raising_extractor_costs_only_its_article(tmp_path, workers):
    items: list[ArticleInput | InputProblem] = [*_articles(12, bad=5)]
    items.insert(3, InputProblem("in.jsonl:x", "invalid JSON line", "json"))
    out = list(extract_stream(items, Settings(), workers=workers, factory=_Brittle))
    problems = [o for o in out if isinstance(o, InputProblem)]
    done = [o for o in out if not isinstance(o, InputProblem)]
    assert [a.id for a, _ex in done] == [f"n{i}" for i in range(12) if i != 5]  # in input order
    assert [ex.article.id for _a, ex in done] == [a.id for a, _ex in done]
    assert [(p.origin, p.code) for p in problems] == [("in.jsonl:x", "json"),
                                                      ("in.jsonl:6", "extract-failed")]
    assert "IndexError" in problems[1].message and "E040" in problems[1].message


def test_ingest_stores_the_rest_and_counts_the_failure(tmp_path):
    seen: list[InputProblem] = []
    with Store.open(str(tmp_path / "s.db")) as store:
        summary = run_ingest(_articles(4, bad=1), store, Settings(), workers=1, factory=_Brittle,
                             coder_version="brittle-1", on_problem=seen.append)
        assert (summary.report.added, summary.problems) == (3, 1)
        assert store.article_ids() == ["n0", "n2", "n3"]
    assert seen[0].origin == "in.jsonl:2"


def test_api_extracts_a_text_over_the_models_limit(tmp_path, extractor):
    from fastapi.testclient import TestClient

    from newsgraph.api import create_app
    from newsgraph.api_keys import hash_key

    text = long_text(1_100_000)
    with Store.open(str(tmp_path / "api.db")) as store:
        app = create_app(Settings().updated({"api_keys": (hash_key("k"),)}), store=store,
                         extractor_factory=lambda _s: extractor)
        client = TestClient(app, raise_server_exceptions=False)
        resp = client.post("/api/articles", headers={"Authorization": "Bearer k"},
                           json={"text": text, "id": "big"})
        assert resp.status_code == 201, resp.text[:500]
        body = resp.json()
        assert [w["code"] for w in body["warnings"]] == ["long-text"]
        assert spans_match(body, text) > 4
        assert client.get("/api/articles/big").json()["text"] == text


def test_an_html_parser_failure_is_the_pages_problem(tmp_path, monkeypatch):
    """Whatever trafilatura or lxml raise on a page becomes that page's problem; the batch goes on."""
    import trafilatura
    from lxml import etree

    real = trafilatura.bare_extraction

    def brittle(html, **kwargs):
        if "BREAKS" in html:
            raise etree.ParserError("Document is empty")
        return real(html, **kwargs)

    monkeypatch.setattr(trafilatura, "bare_extraction", brittle)
    page = "<html><body><article><h1>Talks</h1>" + f"<p>{GOOD[0]}</p>" * 3 + "</article></body></html>"
    (tmp_path / "bad.html").write_text(page.replace("Talks", "BREAKS"), encoding="utf-8")
    (tmp_path / "good.html").write_text(page, encoding="utf-8")
    record = {"id": "j", "html": page.replace("Talks", "BREAKS")}
    (tmp_path / "pages.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    from newsgraph.ingest.readers import iter_inputs

    items = list(iter_inputs([str(tmp_path)], Settings()))
    assert [type(i).__name__ for i in items] == ["InputProblem", "ArticleInput", "InputProblem"]
    assert all("could not be parsed: ParserError" in i.message for i in items if isinstance(i, InputProblem))
