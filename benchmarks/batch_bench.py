"""Batch throughput: the same articles through --engine local (1 and 2 workers) and --engine ray (2 CPUs).

    .venv/bin/python benchmarks/batch_bench.py [--articles 1000] [--shard-size 50] [--json results.json]

Prints articles/s for each configuration, end to end (worker start-up or Ray start included, as a
user sees it) and steady (the time from the first shard written to the last, which leaves out
start-up), and the scaling ratio against one local worker. It also times one in-process
``Extractor.extract_many`` pass as the baseline without any batch machinery. The figures are
noisy on a shared machine: run it when nothing else is busy, and read the ratio rather than
absolute numbers.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from newsgraph.batch import BatchOptions, run_batch
from newsgraph.batch.shards import shard_dirs
from newsgraph.batch.synthetic import synthetic_articles, write_jsonl_corpus
from newsgraph.config import Settings


def _steady_rate(out: Path) -> float | None:
    """articles/s between the first and the last shard written (start-up excluded)."""
    shards = shard_dirs(out)
    if len(shards) < 3:
        return None
    stamps = sorted((d / "_shard.json").stat().st_mtime for d in shards)
    counts = [json.loads((d / "_shard.json").read_text())["articles"] for d in shards]
    span = stamps[-1] - stamps[0]
    # Articles of every shard but the first finished within the span.
    return (sum(counts) - counts[0]) / span if span > 0 else None


def _baseline(articles: int, seed: int, paragraphs: int) -> dict:
    from newsgraph.extract.pipeline import Extractor

    arts = synthetic_articles(articles, seed=seed, extra_paragraphs=paragraphs)
    started = time.perf_counter()
    extractor = Extractor(Settings())
    loaded = time.perf_counter()
    n = sum(1 for _ in extractor.extract_many(arts))
    done = time.perf_counter()
    return {"name": "in-process (no batch)", "articles": n, "seconds": round(done - started, 2),
            "articles_per_s": round(n / (done - started), 2),
            "steady_articles_per_s": round(n / (done - loaded), 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--shard-size", type=int, default=50)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--paragraphs", type=int, default=8,
                        help="background paragraphs per article (8: about 3 KB, a typical news article)")
    parser.add_argument("--configs", default="baseline,local1,local2,ray2",
                        help="comma-separated: baseline, local1, local2, ray2")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    configs = [c.strip() for c in args.configs.split(",") if c.strip()]
    if "ray2" in configs and importlib.util.find_spec("ray") is None:
        print("ray is not installed: skipping ray2 (pip install 'newsgraph[ray]')")
        configs.remove("ray2")
    settings = Settings()
    results: list[dict] = []
    work = Path(tempfile.mkdtemp(prefix="newsgraph-batch-bench-"))
    try:
        src = work / "in"
        arts = synthetic_articles(args.articles, seed=args.seed, extra_paragraphs=args.paragraphs)
        write_jsonl_corpus(src, arts, per_file=100)
        mean_bytes = sum(len(a.text.encode()) for a in arts) / max(1, len(arts))
        print(f"{args.articles} synthetic articles of {mean_bytes:,.0f} bytes on average, shard size "
              f"{args.shard_size}, {os.cpu_count()} CPUs visible")
        for config in configs:
            if config == "baseline":
                results.append(_baseline(args.articles, args.seed, args.paragraphs))
            else:
                engine, workers = config.rstrip("0123456789"), int(config[len(config.rstrip("0123456789")):])
                out = work / f"out-{config}"
                options = BatchOptions(engine=engine, workers=workers, shard_size=args.shard_size)  # type: ignore[arg-type]
                started = time.perf_counter()
                summary = run_batch(str(src), out, settings, options)
                seconds = time.perf_counter() - started
                if not summary.ok:
                    first = summary.failed[0]
                    raise SystemExit(f"{config}: {len(summary.failed)} shards failed, e.g. {first.shard_id}: "
                                     f"{first.error}")
                steady = _steady_rate(out)
                results.append({"name": f"{engine}, {workers} worker(s)", "config": config,
                                "articles": summary.articles_extracted, "seconds": round(seconds, 2),
                                "articles_per_s": round(summary.articles_extracted / seconds, 2),
                                "steady_articles_per_s": round(steady, 2) if steady else None})
            r = results[-1]
            print(f"  {r['name']:<24} {r['articles']:>6} articles  {r['seconds']:>7.1f} s  "
                  f"{r['articles_per_s']:>7.1f} articles/s end to end  "
                  f"{r['steady_articles_per_s'] or float('nan'):>7.1f} articles/s steady", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    by = {r.get("config"): r for r in results}
    if "local1" in by:
        base = by["local1"]
        for config in ("local2", "ray2"):
            if config in by:
                ratio = by[config]["articles_per_s"] / base["articles_per_s"]
                steady = (by[config]["steady_articles_per_s"] or 0) / (base["steady_articles_per_s"] or 1)
                print(f"scaling {config} / local1: {ratio:.2f}x end to end, {steady:.2f}x steady")
                by[config]["scaling_vs_local1"] = round(ratio, 2)
                by[config]["steady_scaling_vs_local1"] = round(steady, 2)
    if args.json:
        args.json.write_text(json.dumps({"articles": args.articles, "shard_size": args.shard_size,
                                         "cpus": os.cpu_count(), "results": results}, indent=1))


if __name__ == "__main__":
    main()
