"""`newsgraph extract` / `ingest` throughput: the article stream on 1 worker and on N worker processes.

    .venv/bin/python benchmarks/stream_bench.py [--articles 200] [--paragraphs 8] [--workers N]

Runs ``newsgraph.batch.stream.extract_stream`` (what ``extract`` and ``ingest`` use) over the same synthetic
articles with one worker (in this process) and with N worker processes (default: the machine's cores),
and prints articles/s end to end (model loading and worker start-up included, as a user sees it), the time
to the first result (start-up) and the rate after it, and the speed-up. It checks that both runs give
identical extractions in the same order. Figures move with the machine's load: read the ratio, and run it
when the machine is quiet.
"""

from __future__ import annotations

import argparse
import json
import os
import time

from newsgraph.batch.stream import extract_stream
from newsgraph.batch.synthetic import synthetic_articles
from newsgraph.config import Settings


def run(articles: list, workers: int) -> tuple[float, float, list[str]]:
    """(seconds in all, seconds to the first result — model loading and worker start-up, extractions)."""
    started = time.perf_counter()
    first = None
    out = []
    for item in extract_stream(articles, Settings(), workers=workers):
        if isinstance(item, tuple):
            first = first or time.perf_counter() - started
            out.append(json.dumps(item[1].to_json_dict(), sort_keys=True))
    return time.perf_counter() - started, first or 0.0, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--paragraphs", type=int, default=8,
                        help="background paragraphs per article (8: about 3 KB, a typical news article)")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    articles = synthetic_articles(args.articles, seed=args.seed, extra_paragraphs=args.paragraphs)
    words = sum(len(a.text.split()) for a in articles)
    print(f"{len(articles)} synthetic articles, {words:,} words; {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}")
    one_s, one_first, one = run(articles, 1)
    n_s, n_first, many = run(articles, args.workers)
    assert one == many, "the extractions differ between 1 and N workers"
    print(f"{'workers':>8} {'seconds':>8} {'articles/s':>11} {'start-up s':>11} {'after start-up':>15}")
    for workers, total, first, out in ((1, one_s, one_first, one), (args.workers, n_s, n_first, many)):
        steady = (len(out) - 1) / (total - first) if total > first else 0.0
        print(f"{workers:>8} {total:>8.1f} {len(out) / total:>11.1f} {first:>11.1f} {steady:>13.1f}/s")
    print(f"speed-up {one_s / n_s:.2f}x with {args.workers} workers; identical output ({len(one)} articles)")


if __name__ == "__main__":
    main()
