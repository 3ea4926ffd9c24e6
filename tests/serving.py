"""Running `newsgraph serve` as a subprocess in tests: a free port, and waiting until it answers."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, log: Path, seconds: float = 60) -> httpx.Response:
    """The first answer to GET ``url``; fails with the server's log if it exits or does not answer in time."""
    deadline = time.monotonic() + seconds
    while True:
        assert proc.poll() is None, f"the server exited with {proc.returncode}: {log.read_text()}"
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            assert time.monotonic() < deadline, f"the server did not answer in {seconds} s: {log.read_text()}"
            time.sleep(0.25)
