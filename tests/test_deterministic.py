"""The same text gives the same extraction in every process: nothing may depend on the order in which a
set of strings is iterated, which Python's hash seed changes from run to run."""

from __future__ import annotations

import os
import subprocess
import sys

TEXT = ("Foreign ministers joined the US Secretary of State and international partners in Paris on 10 "
        "December for talks on the humanitarian situation in Aleppo. Britain's foreign secretary held talks "
        "with his Russian counterpart, and the two sides agreed to hold a cease-fire talk next week.\n")


def _extract(tmp_path, seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    code = ("import sys; from newsgraph.cli import app; sys.argv = ['newsgraph', 'extract', sys.argv[1], "
            "'--format', 'json']; app()")
    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", code, str(path)], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_extraction_does_not_depend_on_the_hash_seed(tmp_path):
    runs = {seed: _extract(tmp_path, seed) for seed in ("3", "4")}
    assert '"events"' in runs["3"] and "talks" in runs["3"]
    assert runs["3"] == runs["4"]
