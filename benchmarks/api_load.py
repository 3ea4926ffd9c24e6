"""The API under load: concurrent clients reading ``/api/network`` from a real server on 127.0.0.1.

    .venv/bin/python benchmarks/api_load.py [--articles 1000] [--clients 20] [--requests 40] [--db PATH]

Builds a store of synthetic articles (``newsgraph.store.synthetic``: dyadic events between 25 states, 5 per
article, over two years) unless ``--db`` names one, starts ``newsgraph serve`` on a free port (the rate limit
off, as for a trusted front end), and runs ``--clients`` threads, each with its own keep-alive connection,
sending ``--requests`` requests one after another. Two rounds: the UI's first view (the whole network) and a
mix of date windows, types and counts. Prints the first (cold: computed, then cached until the store changes)
latency of each query, and per round requests/s, latency p50/p95/max and errors. Bounded: clients x requests
x 2 requests. Target: p95 under 200 ms with 20 clients over about 1,000 articles.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

MIX = [
    {},
    {"since": "2023-01-01", "until": "2023-06-30"},
    {"since": "2023-07-01", "until": "2023-12-31"},
    {"since": "2024-01-01", "until": "2024-12-31", "count": "reports"},
    {"type": "ASSAULT,COERCE"},
    {"min_count": "3"},
]


def build_store(path: Path, articles: int) -> None:
    from newsgraph.store import Store
    from newsgraph.store.synthetic import random_extractions

    with Store.open(str(path)) as store:
        store.add(random_extractions(articles, seed=11), batch_size=500)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(db: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "NEWSGRAPH_API_RATE_LIMIT": "0"}
    proc = subprocess.Popen([sys.executable, "-m", "newsgraph", "serve", "--db", str(db), "--port", str(port),
                             "--log-level", "warning"], env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def load(base: str, clients: int, requests: int, params: list[dict]) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)

    def client(k: int) -> None:
        with httpx.Client(base_url=base, timeout=30) as http:
            start.wait()
            for i in range(requests):
                p = params[(k + i) % len(params)]
                t0 = time.perf_counter()
                try:
                    resp = http.get("/api/network", params=p)
                    # A cheap check, not a JSON parse: the clients share the machine with the server.
                    ok = resp.status_code == 200 and b'"edges":[' in resp.content
                    why = f"HTTP {resp.status_code}"
                except httpx.HTTPError as err:
                    ok, why = False, type(err).__name__
                elapsed = time.perf_counter() - t0
                with lock:
                    latencies.append(elapsed)
                    if not ok:
                        errors.append(why)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for th in threads:
        th.start()
    start.wait()
    t0 = time.perf_counter()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t0
    ms = sorted(x * 1000 for x in latencies)
    return {"requests": len(ms), "rps": len(ms) / wall, "p50": statistics.median(ms),
            "p95": ms[min(len(ms) - 1, int(0.95 * len(ms)))], "max": ms[-1], "errors": len(errors)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=40, help="per client and round")
    parser.add_argument("--db", type=Path, help="an existing store (default: a new synthetic one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsgraph-load-") as tmp:
        db = args.db or Path(tmp) / "load.db"
        if args.db is None:
            t0 = time.perf_counter()
            build_store(db, args.articles)
            print(f"store: {args.articles} synthetic articles in {time.perf_counter() - t0:.1f} s")
        port = free_port()
        proc = serve(db, port)
        base = f"http://127.0.0.1:{port}"
        try:
            cold = []
            for params in MIX:
                t0 = time.perf_counter()
                net = httpx.get(f"{base}/api/network", params=params, timeout=60).json()
                cold.append((time.perf_counter() - t0) * 1000)
                if not params:
                    size = f"{len(net['nodes'])} nodes, {len(net['edges'])} edges"
            print(f"network: {size}; first requests (computed) {' / '.join(f'{c:.0f}' for c in cold)} ms; "
                  f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
            print(f"{'round':<22} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} "
                  f"{'errors':>6}")
            for name, params in (("whole network", [{}]), ("mixed filters", MIX)):
                r = load(base, args.clients, args.requests, params)
                print(f"{name:<22} {r['requests']:>8} {r['rps']:>7.0f} {r['p50']:>7.1f} {r['p95']:>7.1f} "
                      f"{r['max']:>7.1f} {r['errors']:>6}")
        finally:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
