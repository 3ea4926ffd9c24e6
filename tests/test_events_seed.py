"""The seed article against its gold reading: the event targets of issue 4 (needs ../shared)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from newsgraph.config import Settings
from newsgraph.extract.pipeline import Extractor
from newsgraph.ingest.readers import ArticleInput

SHARED = Path(__file__).parents[1].parent / "shared"


@pytest.fixture(scope="module")
def scored():
    scorer_path = SHARED / "eval" / "score_seed.py"
    text_path = SHARED / "seeds" / "seed-article.txt"
    gold_path = SHARED / "eval" / "seed-article.gold.json"
    if not (scorer_path.is_file() and text_path.is_file() and gold_path.is_file()):
        pytest.skip("../shared/eval/score_seed.py, the seed article or its gold is not available")
    spec = importlib.util.spec_from_file_location("score_seed", scorer_path)
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    text = text_path.read_text(encoding="utf-8")
    extraction = Extractor(Settings()).extract(ArticleInput(text=text, id="seed", origin=str(text_path)))
    data = json.loads(json.dumps(extraction.to_json_dict()))
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    return scorer.score(scorer.Extraction(data, text), gold, text)


def test_seed_event_recall_precision_and_forbidden(scored):
    found, required, correct, predicted, forbidden = scored["events"]
    assert forbidden == 0
    assert found >= 12, scored["rows"]
    assert predicted and correct / predicted >= 0.85, scored["rows"]


def test_seed_quantity_found_and_linked(scored):
    assert scored["quantity"] and scored["event_quantity_linked"], scored["rows"]
