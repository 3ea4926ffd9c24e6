"""`newsgraph serve` as a user runs it: a subprocess on a free port, answering the API and the UI."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, proc: subprocess.Popen, seconds: float = 60) -> httpx.Response:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log = Path(proc.log_path).read_text()  # type: ignore[attr-defined]
            raise AssertionError(f"server exited with {proc.returncode}: {log}")
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("server did not answer in time")


@pytest.fixture()
def serve(tmp_path: Path):
    procs: list[subprocess.Popen] = []

    def start(*args: str, keys: str = "") -> str:
        port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSGRAPH_")}
        if keys:
            env["NEWSGRAPH_API_KEYS"] = keys
        log = open(tmp_path / f"serve-{port}.log", "w")  # a file, so a chatty server never blocks on a pipe
        proc = subprocess.Popen([sys.executable, "-m", "newsgraph", "serve", "--db", str(tmp_path / "s.db"),
                                 "--port", str(port), "--log-level", "warning", *args],
                                cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
        proc.log_path = log.name  # type: ignore[attr-defined]
        log.close()
        procs.append(proc)
        base = f"http://127.0.0.1:{port}"
        _wait(base + "/api", proc)
        return base

    yield start
    for proc in procs:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_serve_answers_api_ui_and_docs(serve, tmp_path):
    base = serve()
    page = httpx.get(base + "/api/articles").json()
    assert page == {"items": [], "total": 0, "limit": 50, "offset": 0}
    assert (tmp_path / "s.db").is_file()
    assert httpx.get(base + "/").status_code in (200, 503)  # 503: the vendor files are not built
    assert "/static/docs.js" in httpx.get(base + "/docs").text
    refused = httpx.post(base + "/api/articles", json={"text": "x"})
    assert refused.status_code == 403 and "NEWSGRAPH_API_KEYS" in refused.json()["detail"]


def test_serve_private_with_keys_from_the_environment(serve):
    base = serve("--private", keys="alpha,beta")
    assert httpx.get(base + "/api/events").status_code == 401
    assert httpx.get(base + "/api/events", headers={"Authorization": "Bearer beta"}).status_code == 200
    assert httpx.get(base + "/api/events", headers={"Authorization": "Bearer gamma"}).status_code == 401
