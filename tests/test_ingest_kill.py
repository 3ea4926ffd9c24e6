"""An ingest killed with SIGKILL leaves whole articles only; a rerun stores the rest, each exactly once."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsgraph.store import Store
from newsgraph.store.synthetic import ExtractionBuilder

N_ARTICLES = 300
BATCH = 10

STATES = ["France", "Germany", "Japan", "Brazil", "India", "Kenya", "Canada", "Mexico", "Egypt", "Chile"]
ACTS = ["held talks with", "criticised", "signed a trade agreement with", "sent aid to", "accused", "met"]
REASONS = ["talks", "tension", "negotiations", "delays", "disputes", "meetings"]


def _generate(path: Path, n: int) -> list[str]:
    rng = random.Random(42)
    texts = []
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            a, b = rng.sample(STATES, 2)
            sentences = [
                f"{a} {rng.choice(ACTS)} {b} on {rng.choice(['Monday', 'Tuesday', 'Friday'])}, "
                f"officials said in dispatch {i}."
            ]
            for _ in range(3):
                c, d = rng.sample(STATES, 2)
                sentences.append(
                    f"The government of {c} {rng.choice(ACTS)} {d} after {rng.randrange(2, 400)} days "
                    f"of {rng.choice(REASONS)}."
                )
            text = " ".join(sentences)
            texts.append(text)
            fh.write(
                json.dumps(
                    {
                        "id": f"gen-{i:04d}",
                        "title": f"Dispatch {i}",
                        "published": f"2024-0{1 + i % 9}-1{i % 9}",
                        "text": text,
                    }
                )
                + "\n"
            )
    return texts


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0  # not created yet


def _ingest(src: Path, db: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSGRAPH_")}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "newsgraph",
            "ingest",
            str(src),
            "--db",
            str(db),
            "--batch-size",
            str(BATCH),
            "--no-progress",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )


@pytest.mark.slow
def test_sigkill_mid_ingest_then_rerun(tmp_path):
    pytest.importorskip("spacy")
    src = tmp_path / "articles.jsonl"
    texts = _generate(src, N_ARTICLES)
    db = tmp_path / "kill.db"
    proc = _ingest(src, db)
    deadline = time.monotonic() + 300
    try:
        while _stored(db) < 3 * BATCH:
            if proc.poll() is not None:
                err = proc.stderr.read().decode()
                pytest.fail(f"ingest ended (code {proc.returncode}) before it could be killed: {err[-2000:]}")
            assert time.monotonic() < deadline, "ingest made no progress"
            time.sleep(0.05)
        workers = _children(proc.pid)  # ingest extracts on every core by default
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    # Its worker processes do not outlive it (before, they waited for work forever).
    gone_by = time.monotonic() + 20
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < gone_by:
        time.sleep(0.1)
    assert workers and not [p for p in workers if Path(f"/proc/{p}").exists()], "workers outlived the ingest"
    partial = _stored(db)
    assert 3 * BATCH <= partial < N_ARTICLES
    _assert_consistent(db, expect=partial)

    rerun = _ingest(src, db)
    _, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err.decode()[-2000:]
    assert f"{partial} already stored" in err.decode()
    _assert_consistent(db, expect=N_ARTICLES)
    with Store.open(str(db)) as store:
        with store.engine.connect() as conn:
            from sqlalchemy import select

            from newsgraph.store import tables as t

            shas = conn.execute(select(t.articles.c.text_sha256)).scalars().all()
    import hashlib

    assert sorted(shas) == sorted(hashlib.sha256(x.encode()).hexdigest() for x in texts)

    # A third run changes nothing.
    again = _ingest(src, db)
    again.communicate(timeout=600)
    _assert_consistent(db, expect=N_ARTICLES)


def _children(pid: int) -> list[int]:
    """The child processes of ``pid`` (Linux /proc), the spawned workers and their resource tracker."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = task / "children"
        if children.is_file():
            found += [int(c) for c in children.read_text().split()]
    return found


def _assert_consistent(db: Path, expect: int) -> None:
    with sqlite3.connect(db) as conn:
        ids = [r[0] for r in conn.execute("SELECT source_id FROM articles")]
        assert len(ids) == len(set(ids)) == expect
        assert conn.execute("SELECT count(DISTINCT text_sha256) FROM articles").fetchone()[0] == expect
        for table in ("events", "quotes", "quantities", "mentions", "article_actors"):
            orphans = conn.execute(
                f"SELECT count(*) FROM {table} WHERE article_id NOT IN (SELECT id FROM articles)"
            ).fetchone()[0]
            assert orphans == 0, table
        for table in ("event_actors", "event_evidence", "event_quantities", "event_dyads"):
            orphans = conn.execute(
                f"SELECT count(*) FROM {table} WHERE event_id NOT IN (SELECT id FROM events)"
            ).fetchone()[0]
            assert orphans == 0, table
        # Every stored article has all of its extraction's rows.
        for extraction, article_id in conn.execute("SELECT extraction, id FROM articles"):
            doc = json.loads(extraction)
            quotes = conn.execute(
                "SELECT count(*) FROM quotes WHERE article_id = ?", (article_id,)
            ).fetchone()[0]
            events = conn.execute(
                "SELECT count(*) FROM events WHERE article_id = ?", (article_id,)
            ).fetchone()[0]
            assert (quotes, events) == (len(doc["quotes"]), len(doc["events"])), article_id


def test_builder_text_is_the_offsets_text():
    # Guard for the helpers the store tests rely on: spans point into the built text.
    b = ExtractionBuilder("t")
    a = b.actor("Chile", code="CHL")
    c = b.actor("Peru", code="PER")
    b.event("AGREE", [a], [c], "Chile agreed with Peru on a border survey.", "agreed")
    ex, text = b.build()
    ev = ex.events[0]
    assert text[ev.trigger.start : ev.trigger.end] == "agreed"
    assert all(text[m.start : m.end] == m.text for actor in ex.actors for m in actor.mentions)
