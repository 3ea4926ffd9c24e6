"""`extract` and `ingest` use every core by default, through the batch engine, with results in input order."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgraph.batch import stream
from newsgraph.batch.synthetic import synthetic_articles
from newsgraph.cli import app
from newsgraph.config import Settings
from newsgraph.contract import Article, Coder, Extraction, ModelInfo
from newsgraph.ingest.readers import ArticleInput


class _WhereAmI:
    """A cheap extractor that records which process extracted each article (in ``article.source``).

    With ``barrier_dir`` and ``barrier`` in the settings, it waits until that many extractors exist before
    extracting anything, so that a fast first worker cannot take every task before the second is up.
    """

    def __init__(self, settings: Settings) -> None:
        self.coder = Coder(version="pid-1", model=ModelInfo(name="none", version="0"))
        self.barrier = int(settings.extra.get("barrier", 0))  # type: ignore[call-overload]
        self.dir = Path(str(settings.extra.get("barrier_dir", ".")))
        if self.barrier:
            (self.dir / f"{os.getpid()}.up").touch()

    def extract_many(self, articles: Iterable[ArticleInput], batch_size: int | None = None
                     ) -> Iterator[Extraction]:
        deadline = time.monotonic() + 60
        while self.barrier and len(list(self.dir.glob("*.up"))) < self.barrier:
            assert time.monotonic() < deadline, "the other workers never started"
            time.sleep(0.02)
        for a in articles:
            sha = hashlib.sha256(a.text.encode()).hexdigest()
            yield Extraction(coder=self.coder, article=Article(id=a.id or sha[:16], text_sha256=sha,
                                                               source=str(os.getpid())))


def _inputs(n: int) -> list[ArticleInput]:
    return [ArticleInput(text=f"Article number {i}.", id=f"a{i:03d}") for i in range(n)]


class _InlineEngine:
    """Records the groups the stream hands to the engine and extracts them here."""

    def __init__(self) -> None:
        self.groups: list[int] = []
        self.extractor = _WhereAmI(Settings())

    def map(self, groups: Iterable[Sequence[ArticleInput]]) -> Iterator[list]:
        for group in groups:
            self.groups.append(len(group))
            yield list(self.extractor.extract_many(group))


def test_default_is_every_core_and_order_is_kept(monkeypatch, tmp_path):
    monkeypatch.setattr(stream, "default_workers", lambda: 2)
    settings = Settings().updated({"barrier": 2, "barrier_dir": str(tmp_path)})
    out = list(stream.extract_stream(_inputs(40), settings, factory=_WhereAmI))
    assert [ex.article.id for _a, ex in out] == [f"a{i:03d}" for i in range(40)]
    assert [a.id for a, _ex in out] == [ex.article.id for _a, ex in out]
    pids = {ex.article.source for _a, ex in out}
    assert len(pids) == 2 and str(os.getpid()) not in pids  # two worker processes did the work


def test_a_single_article_or_a_short_input_is_extracted_in_process(monkeypatch):
    monkeypatch.setattr(stream, "default_workers", lambda: 4)
    for n in (1, stream.GROUP):
        out = list(stream.extract_stream(_inputs(n), Settings(), factory=_WhereAmI))
        assert {ex.article.source for _a, ex in out} == {str(os.getpid())}, n
    assert list(stream.extract_stream([], Settings(), factory=_WhereAmI)) == []


def test_a_short_input_is_spread_over_every_worker():
    engine = _InlineEngine()
    out = list(stream.extract_stream(_inputs(stream.GROUP + 2), Settings(), workers=2, engine=engine))
    assert engine.groups == [5, 5] and len(out) == stream.GROUP + 2  # not one group of 8 and one of 2
    engine = _InlineEngine()
    list(stream.extract_stream(_inputs(100), Settings(), workers=2, engine=engine))
    assert engine.groups == [stream.GROUP] * 12 + [4]  # a long input: fixed groups, read as it goes


@pytest.mark.slow
def test_extract_output_is_identical_on_one_and_two_workers(tmp_path):
    """The real pipeline: `newsgraph extract` prints the same bytes whatever the number of workers."""
    arts = synthetic_articles(12, seed=21)
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": a.id, "text": a.text}) + "\n" for a in arts), encoding="utf-8")
    runs = {}
    for workers in ("1", "2"):
        result = CliRunner().invoke(app, ["extract", str(src), "--format", "jsonl", "--workers", workers])
        assert result.exit_code == 0, result.output
        runs[workers] = result.stdout
    assert runs["1"] == runs["2"]
    docs = [json.loads(line) for line in runs["1"].splitlines()]
    assert [d["article"]["id"] for d in docs] == [a.id for a in arts]
    assert sum(len(d["events"]) for d in docs) > 0


class _Mortal(_WhereAmI):
    """Kills its worker process on DIES (every time) or DIESONCE (the first time, marked in a file)."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.marks = Path(str(settings.extra["marks"]))

    def extract_many(self, articles: Iterable[ArticleInput], batch_size: int | None = None
                     ) -> Iterator[Extraction]:
        for a in articles:
            once = self.marks / f"{a.id}.died"
            if "DIES" in a.text and (not once.exists() or "DIESONCE" not in a.text):
                once.touch()
                os._exit(3)
        yield from super().extract_many(articles, batch_size)


def test_a_dying_worker_is_replaced_and_only_its_articles_are_lost(tmp_path):
    from newsgraph.batch.engines import LocalEngine
    from newsgraph.ingest.readers import InputProblem

    arts = _inputs(6)
    arts[1].text += " DIESONCE"
    arts[4].text += " DIES"
    settings = Settings().updated({"marks": str(tmp_path)})
    engine = LocalEngine(settings, 1, _Mortal)
    try:
        results = [r for group in engine.map([arts[:3], arts[3:]], ahead=2) for r in group]
    finally:
        engine.close()
    assert [type(r).__name__ for r in results] == ["Extraction"] * 4 + ["InputProblem", "Extraction"]
    assert isinstance(results[4], InputProblem) and results[4].code == "worker-died"
    assert [r.article.id for r in results if not isinstance(r, InputProblem)] == ["a000", "a001", "a002",
                                                                                  "a003", "a005"]
