"""Fixtures shared by the whole suite: the shared evaluation folder and one extractor per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsgraph.store.testing import PG_ENV, temporary_store

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "seeds" / "seed-article.txt").is_file():
        pytest.skip(f"the shared evaluation folder {SHARED} is absent (it sits beside the repository in CI)")
    return SHARED


@pytest.fixture(scope="session")
def seed_text(shared_dir: Path) -> str:
    return (shared_dir / "seeds" / "seed-article.txt").read_text(encoding="utf-8")


STORE_BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture
def pg_url() -> str:
    """The PostgreSQL server NEWSGRAPH_TEST_PG names (the test is skipped when it names none)."""
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(
            f"{PG_ENV} is not set: no PostgreSQL server to test against "
            "(start one with scripts/start-postgres.sh and export its URL)"
        )
    return url


@pytest.fixture(params=STORE_BACKENDS)
def empty_store(request, tmp_path):
    """A new, empty store on each backend: a SQLite file, and a throwaway schema on the ``pg_url`` server."""
    pg = request.getfixturevalue("pg_url") if request.param == "postgresql" else None
    with temporary_store(request.param, tmp_path, pg) as store:
        yield store


@pytest.fixture(scope="session")
def extractor():
    """The full pipeline, loaded once for every test that needs it (loading spaCy takes about a second)."""
    from newsgraph.config import Settings
    from newsgraph.extract.pipeline import Extractor

    return Extractor(Settings())


@pytest.fixture(scope="session")
def extract(extractor):
    """``extract(text)``: the extraction of one article made of ``text``."""
    from newsgraph.ingest.readers import ArticleInput

    def run(text: str):
        return extractor.extract(ArticleInput(text=text, id="test"))
    return run


@pytest.fixture(scope="session")
def seed_extraction(extractor, seed_text):
    from newsgraph.ingest.readers import ArticleInput

    return extractor.extract(ArticleInput(text=seed_text, id="seed-article", origin="seed-article.txt"))
