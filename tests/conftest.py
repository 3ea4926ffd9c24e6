"""Fixtures shared by the whole suite: the shared evaluation folder and one extractor per session."""

from __future__ import annotations

from pathlib import Path

import pytest

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


@pytest.fixture(scope="session")
def extractor():
    """The full pipeline, loaded once for every test that needs it (loading spaCy takes about a second)."""
    from newsgraph.config import Settings
    from newsgraph.extract.pipeline import Extractor

    return Extractor(Settings())


@pytest.fixture(scope="session")
def seed_extraction(extractor, seed_text):
    from newsgraph.ingest.readers import ArticleInput

    return extractor.extract(ArticleInput(text=seed_text, id="seed-article", origin="seed-article.txt"))
