"""Two ingest processes at once on one store (SQLite and PostgreSQL), overlapping inputs, a fresh database:
both finish, every article is stored once, every shared actor once, no "database is locked"."""

from __future__ import annotations

import hashlib
import json
import random
import subprocess
import sys
import time
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from newsgraph.config import Settings
from newsgraph.contract import Actor, Article, Coder, Event, Extraction, Mention, ModelInfo, TextSpan
from newsgraph.ingest.readers import ArticleInput
from newsgraph.store.testing import with_search_path

HERE = Path(__file__).resolve().parent
STATES = [("France", "FRA"), ("Germany", "DEU"), ("Italy", "ITA"), ("Spain", "ESP"), ("Poland", "POL"),
          ("Greece", "GRC"), ("Norway", "NOR"), ("Sweden", "SWE"), ("Kenya", "KEN"), ("Chile", "CHL"),
          ("Peru", "PER"), ("Japan", "JPN")]
ARTICLES = 120
CODER = Coder(version="writers-1", model=ModelInfo(name="none", version="0"))


def article_text(i: int) -> str:
    a, b = STATES[i % 12][0], STATES[(i * 5 + 1) % 12][0]
    return (f"{a} and {b} held talks in Geneva on day {i} of the round. "
            f"Envoy Number{i % 7} of {a} said the talks would go on.")


class FakeNews:
    """Extractions that share actors between articles (so concurrent writers create the same new actors)."""

    def __init__(self, _settings: Settings) -> None:
        pass

    def extract_many(self, articles: Iterable[ArticleInput], batch_size: int | None = None
                     ) -> Iterator[Extraction]:
        for art in articles:
            text = art.text
            actors = []
            for name, code in STATES:
                at = text.find(name)
                if at >= 0:
                    mention = Mention(start=at, end=at + len(name), text=name)
                    actors.append(Actor(id=f"a{len(actors) + 1}", name=name, kind="state", code=code,
                                        country=code, mentions=[mention]))
            envoy = text[text.index("Envoy"):text.index(" of ", text.index("Envoy"))]
            at = text.index(envoy)
            actors.append(Actor(id=f"a{len(actors) + 1}", name=envoy, kind="person", country=actors[0].code,
                                mentions=[Mention(start=at, end=at + len(envoy), text=envoy)]))
            trigger = text.index("held talks")
            sentence = text[:text.index(". ") + 1]
            event = Event(id="e1", type="CONSULT", quad_class=1, goldstein=1.0, source=["a1"], target=["a2"],
                          trigger=TextSpan(start=trigger, end=trigger + 10, text="held talks"),
                          evidence=TextSpan(start=0, end=len(sentence), text=sentence), date="2024-05-01")
            sha = hashlib.sha256(text.encode()).hexdigest()
            yield Extraction(coder=CODER, article=Article(id=art.id or sha[:16], published="2024-05-01",
                                                          text_sha256=sha), actors=actors, events=[event])


def write(db: str, seed: int, go: str) -> dict:
    """One writer: wait for the start signal, then ingest every article in its own order, 4 a transaction."""
    from newsgraph.store import Store
    from newsgraph.store.ingest import run_ingest

    order = list(range(ARTICLES))
    random.Random(seed).shuffle(order)
    articles = [ArticleInput(text=article_text(i), id=f"talks-{i:03d}") for i in order]
    deadline = time.monotonic() + 60
    while not Path(go).exists():
        if time.monotonic() > deadline:
            raise RuntimeError("no start signal")
        time.sleep(0.005)
    with Store.open(db) as store:  # both open (and migrate) a fresh database at the same moment
        summary = run_ingest(articles, store, Settings(batch_size=4), workers=1, factory=FakeNews,
                             coder_version=CODER.version)
    r = summary.report
    return {"added": r.added, "skipped": summary.skipped, "batches": r.batches}


WRITER = """
import json, sys
sys.path.insert(0, sys.argv[1])
from test_concurrent_writers import write
print(json.dumps(write(sys.argv[2], int(sys.argv[3]), sys.argv[4])))
"""


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def fresh_db(request, tmp_path):
    """A database nobody has opened yet: a SQLite path, or a new empty PostgreSQL schema."""
    if request.param == "sqlite":
        yield str(tmp_path / "shared.db")
        return
    from newsgraph.store.testing import _admin

    url = request.getfixturevalue("pg_url")
    schema = f"ng_writers_{uuid.uuid4().hex[:10]}"
    _admin(url, f'CREATE SCHEMA "{schema}"')
    try:
        yield with_search_path(url, schema)
    finally:
        _admin(url, f'DROP SCHEMA "{schema}" CASCADE')


def test_two_concurrent_writers_store_each_article_once(fresh_db, tmp_path):
    from newsgraph.store import Store
    from newsgraph.store import tables as t

    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(HERE), fresh_db, str(seed), str(go)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for seed in (1, 2)]
    time.sleep(1.0)  # both processes imported newsgraph and are waiting
    go.touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err[-3000:]
        assert "locked" not in err
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert sum(r["added"] for r in results) == ARTICLES  # each article stored by exactly one writer
    assert all(r["added"] + r["skipped"] == ARTICLES for r in results)
    with Store.open(fresh_db) as store:
        counts = store.counts()
        assert counts["articles"] == ARTICLES and counts["events"] == ARTICLES
        assert counts["runs"] == 2
        with store.engine.connect() as conn:
            from sqlalchemy import func, select

            states = conn.execute(select(t.actors.c.code, func.count()).where(t.actors.c.kind == "state")
                                  .group_by(t.actors.c.code)).all()
            persons = conn.execute(select(func.count()).select_from(t.actors)
                                   .where(t.actors.c.kind == "person")).scalar_one()
            orphans = conn.execute(select(func.count()).select_from(t.event_actors).where(
                t.event_actors.c.actor_id.not_in(select(t.actors.c.id)))).scalar_one()
            per_article = conn.execute(select(t.mentions.c.article_id, func.count()).group_by(
                t.mentions.c.article_id)).all()
            stories = conn.execute(select(t.stories.c.id, t.stories.c.reports, t.stories.c.articles)).all()
            events_per_story = dict(conn.execute(select(t.events.c.story_id, func.count()).group_by(
                t.events.c.story_id)).all())
    assert sorted(states) == sorted((code, 1) for _name, code in STATES)  # each shared actor once
    assert persons == 7  # a person without a code is known by name: "Envoy Number0" … "Envoy Number6"
    assert orphans == 0
    assert len(per_article) == ARTICLES and {n for _a, n in per_article} == {3}  # no article's rows twice
    # Reports of one dyad on one day form one story, however the two writers interleaved (no story twice,
    # no count lost to a concurrent update).
    dyads = {(STATES[i % 12][1], STATES[(i * 5 + 1) % 12][1]) for i in range(ARTICLES)}
    assert len(stories) == len(dyads)
    assert None not in events_per_story
    assert {(sid, reports, articles) for sid, reports, articles in stories} == {
        (sid, n, n) for sid, n in events_per_story.items()}


def test_switching_a_new_file_to_wal_waits_for_a_writer_that_holds_it(tmp_path):
    """SQLite answers "database is locked" at once when the journal mode cannot be switched (it does not wait
    out the busy timeout then): the store retries until the other connection lets go."""
    import sqlite3
    import threading

    from newsgraph.store.store import _sqlite_wal

    path = tmp_path / "new.db"
    holder = sqlite3.connect(path, check_same_thread=False)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    opener = sqlite3.connect(path, timeout=0)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        opener.execute("PRAGMA journal_mode=WAL")  # what a single attempt meets
    release = threading.Timer(0.3, holder.commit)
    release.start()
    _sqlite_wal(opener.cursor())
    release.join()
    assert opener.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
