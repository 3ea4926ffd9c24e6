"""The wheel is the product: built from a fresh copy of the checkout (sdist, then a wheel from the sdist with
no npm), installed into a new virtualenv from the hash-checked lock, `newsgraph serve` run from elsewhere
answers the UI, its vendored library and the API.

Slow (a virtualenv with every runtime dependency); `.ci/run` runs it, as `make test` runs every test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import httpx
import pytest

from serving import free_port, wait_until_up

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
VENDOR = ("newsgraph/web/static/vendor/cytoscape.esm.min.js", "newsgraph/web/static/vendor/cytoscape.LICENSE")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("NEWSGRAPH_", "PYTHON", "VIRTUAL_ENV")) and k != "PIP_REQUIRE_VIRTUALENV"}
    return {**env, **extra}


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=_env(**env), capture_output=True, text=True,
                            timeout=1800)
    command = " ".join(map(str, args))
    assert result.returncode == 0, f"{command}\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    return result


def _fresh_copy(dest: Path) -> Path:
    """The files a clone has: git's tracked files (no .venv, node_modules or built vendor files)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True)
    if listed.returncode != 0:
        pytest.skip("not a git checkout: cannot tell which files a fresh clone has")
    for name in filter(None, listed.stdout.decode().split("\0")):
        source = REPO / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    pytest.importorskip("build", reason="the build package is in the test extra (pip install '.[test]')")
    if shutil.which("npm") is None:
        pytest.skip("npm is needed to build from a checkout (apt-get install npm)")
    root = tmp_path_factory.mktemp("wheel")
    src = _fresh_copy(root / "clone")
    dist = root / "dist"
    _run([sys.executable, "-m", "build", "--sdist", "--outdir", dist, src], cwd=src)
    [sdist] = dist.glob("newsgraph-*.tar.gz")
    # A wheel from the sdist alone, with an npm on PATH that fails: the sdist carries the built UI.
    no_npm = root / "no-npm"
    no_npm.mkdir()
    (no_npm / "npm").write_text("#!/bin/sh\necho 'npm was called' >&2\nexit 1\n")
    (no_npm / "npm").chmod(0o755)
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", dist, sdist], cwd=root,
         PATH=f"{no_npm}{os.pathsep}{os.environ['PATH']}")
    [wheel] = dist.glob("newsgraph-*.whl")
    return {"root": root, "sdist": sdist, "wheel": wheel}


def test_sdist_and_wheel_carry_the_built_ui(built):
    with tarfile.open(built["sdist"]) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    for name in VENDOR:
        assert f"src/{name}" in names, name
    assert {"package.json", "package-lock.json", "setup.py", "scripts/build_web.py"} <= names
    assert not any("node_modules" in n for n in names)
    with zipfile.ZipFile(built["wheel"]) as whl:
        files = set(whl.namelist())
        assert set(VENDOR) <= files
        assert whl.getinfo(VENDOR[0]).file_size > 100_000
        assert {"newsgraph/web/static/index.html", "newsgraph/web/static/app.js",
                "newsgraph/schema/extraction-1.json", "newsgraph/data/kb/states.yaml"} <= files
    assert not any("node_modules" in n or n.startswith(("tests/", "scripts/")) for n in files)


def test_installed_wheel_serves_the_ui_without_a_checkout(built):
    root = built["root"]
    venv = root / "venv"
    _run([sys.executable, "-m", "venv", venv], cwd=root)
    python = venv / "bin" / "python"
    pip = [python, "-m", "pip", "--disable-pip-version-check"]
    # As docs/install.md says: a pinned pip first (a new venv's own cannot install the lock), then the lock.
    _run([*pip, "install", "--require-hashes", "-r", REPO / "requirements-bootstrap.lock"], cwd=root)
    _run([*pip, "install", "--require-hashes", "-r", REPO / "requirements.lock"], cwd=root)
    _run([*pip, "install", "--no-deps", built["wheel"]], cwd=root)
    where = _run([python, "-c", "import newsgraph; print(newsgraph.__file__)"], cwd=root).stdout.strip()
    assert where.startswith(str(venv)), where

    elsewhere = root / "elsewhere"
    elsewhere.mkdir()
    port = free_port()
    log = open(root / "serve.log", "w")
    proc = subprocess.Popen([venv / "bin" / "newsgraph", "serve", "--db", "news.db", "--port", str(port),
                             "--log-level", "warning"], cwd=elsewhere, env=_env(), stdout=log,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        index = wait_until_up(base + "/", proc, root / "serve.log", seconds=90)
        assert index.status_code == 200, index.text[:500]
        assert '<script type="module" src="/static/app.js">' in index.text
        vendor = httpx.get(base + "/static/vendor/cytoscape.esm.min.js")
        assert vendor.status_code == 200 and vendor.headers["content-type"].startswith("text/javascript")
        assert len(vendor.content) > 100_000
        app_js = httpx.get(base + "/static/network.js")
        assert app_js.status_code == 200 and "/static/vendor/cytoscape.esm.min.js" in app_js.text
        api = httpx.get(base + "/api").json()
        assert api["name"] == "newsgraph" and api["openapi"] == "/openapi.json"
        assert httpx.get(base + "/api/articles").json()["total"] == 0
        assert httpx.get(base + "/openapi.json").status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
    assert "missing" not in (root / "serve.log").read_text()
    assert (elsewhere / "news.db").is_file()
