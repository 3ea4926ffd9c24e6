"""Store benchmark: bulk-insert synthetic extractions through ``Store.add`` and time the main queries.

    .venv/bin/python benchmarks/store_bench.py                      # 20,000 articles x 5 events, SQLite
    .venv/bin/python benchmarks/store_bench.py --db postgresql://postgres@127.0.0.1:54329/newsgraph_test

Prints the ingest rate and the median latency of: events by actor (first page and total, also with a
minimum confidence), a dyad timeline by month, the whole network (with and without the default confidence
threshold), and a one-quarter network window.  Figures go in docs/store.md.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from newsgraph import query as q
from newsgraph.store.synthetic import random_extractions
from newsgraph.store.testing import temporary_store


def _time(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    fn()  # warm the caches once
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--events-per-article", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--db", help="a postgresql:// URL (a throwaway schema is used); default: a temporary SQLite file"
    )
    args = parser.parse_args()

    backend = "postgresql" if args.db else "sqlite"
    with tempfile.TemporaryDirectory() as tmp, temporary_store(backend, Path(tmp), args.db) as store:
        stream = random_extractions(args.articles, events_per_article=args.events_per_article, seed=7)
        start = time.perf_counter()
        report = store.add(stream, batch_size=args.batch_size)
        elapsed = time.perf_counter() - start
        counts = store.counts()
        print(f"backend: {backend}")
        print(
            f"stored: {counts['articles']:,} articles, {counts['events']:,} events, "
            f"{counts['actors']:,} actors, {counts['stories']:,} stories"
        )
        print(
            f"ingest: {elapsed:.1f} s = {report.added / elapsed:,.0f} articles/s, "
            f"{report.events / elapsed:,.0f} events/s"
        )
        queries: list[tuple[str, Callable[[], object]]] = [
            ("events --actor PRK (page of 50 + total)", lambda: q.list_events(store, actor="PRK")),
            (
                "events --actor PRK --type ASSAULT --since 2024-01-01",
                lambda: q.list_events(store, actor="PRK", type="ASSAULT", since="2024-01-01"),
            ),
            (
                "events --actor PRK --min-confidence 0.8",
                lambda: q.list_events(store, actor="PRK", min_confidence=0.8),
            ),
            ("timeline --dyad PRK:RUS --by month", lambda: q.timeline(store, dyad="PRK:RUS", by="month")),
            ("timeline --actor PRK --by week", lambda: q.timeline(store, actor="PRK", by="week")),
            ("network (all time)", lambda: q.network(store)),
            (
                "network --min-confidence 0.5 (all time; the CLI's default)",
                lambda: q.network(store, min_confidence=0.5),
            ),
            (
                "network --since 2024-01-01 --until 2024-03-31",
                lambda: q.network(store, since="2024-01-01", until="2024-03-31"),
            ),
            ("stories (first page)", lambda: q.list_stories(store)),
            (
                "changes --since 2024-07-01 --until 2024-09-30",
                lambda: q.changes(store, since="2024-07-01", until="2024-09-30"),
            ),
        ]
        print(f"query latency (median of {args.repeat}):")
        for label, fn in queries:
            ms, result = _time(fn, args.repeat)
            size = getattr(result, "total", None)
            if size is None:
                size = len(result.edges) if hasattr(result, "edges") else len(result)  # type: ignore[arg-type]
            print(f"  {ms:8.1f} ms  {label}  ({size:,} results)")


if __name__ == "__main__":
    main()
