"""Build hooks only; the project's metadata is in pyproject.toml.

Every build (wheel, sdist, editable) first makes sure the web UI's front-end libraries are in the package
(scripts/build_web.py, from npm with the lockfile), so that an installed wheel serves the whole UI with no
checkout and no npm at run time. An sdist carries the built files, so a wheel built from it needs no npm.
"""

import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "scripts"))
import build_web  # noqa: E402


def _ensure_web() -> None:
    if (ROOT / "package.json").is_file():  # a checkout or an sdist built from one
        build_web.ensure_built(ROOT)


class BuildPyWithWeb(build_py):
    def run(self):
        _ensure_web()
        super().run()


class SdistWithWeb(sdist):
    def run(self):
        _ensure_web()
        super().run()


setup(cmdclass={"build_py": BuildPyWithWeb, "sdist": SdistWithWeb})
