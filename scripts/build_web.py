"""Install the web UI's front-end libraries from npm and copy the files the UI loads into the package.

The exact versions come from package-lock.json (`npm ci`); which files are copied, and under which names,
from the "newsgraphVendor" map in package.json. The files land in src/newsgraph/web/static/vendor/
(gitignored: nothing third-party is committed) and from there into wheels and sdists as package data.
Run by setup.py when a wheel, an sdist or an editable install is built, and by scripts/build-web.sh.
Standard library only: it runs inside pip's isolated build environment.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

VENDOR_DIR = Path("src/newsgraph/web/static/vendor")


def vendor_map(root: Path) -> dict[str, str]:
    return json.loads((root / "package.json").read_text(encoding="utf-8"))["newsgraphVendor"]


def is_built(root: Path) -> bool:
    """Every vendor file present and no older than the lockfile."""
    lock_mtime = (root / "package-lock.json").stat().st_mtime
    targets = [root / VENDOR_DIR / name for name in vendor_map(root).values()]
    return all(t.is_file() and t.stat().st_mtime >= lock_mtime for t in targets)


def build(root: Path) -> list[Path]:
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("build-web: npm not found; install Node.js and npm (Debian: apt-get install nodejs npm) "
                         "to build the web UI's libraries")
    subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
                   cwd=root, check=True, stdout=subprocess.DEVNULL)
    out = root / VENDOR_DIR
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for source, name in vendor_map(root).items():
        target = out / name
        shutil.copyfile(root / "node_modules" / source, target)
        written.append(target)
    return written


def ensure_built(root: Path) -> None:
    if not is_built(root):
        build(root)


if __name__ == "__main__":
    here = Path(__file__).resolve().parents[1]
    files = build(here)
    print(f"build-web: {len(files)} files in {VENDOR_DIR}", file=sys.stderr)
