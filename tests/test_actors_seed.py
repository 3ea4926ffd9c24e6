"""The seed article's actor and metadata targets, scored with the shared scorer (skipped without it)."""

from __future__ import annotations

import importlib.util
import sys


def _scorer(shared_dir):
    spec = importlib.util.spec_from_file_location("score_seed", shared_dir / "eval" / "score_seed.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("score_seed", module)
    spec.loader.exec_module(module)
    return module


def test_seed_actor_targets(shared_dir, seed_text, seed_extraction):
    scorer = _scorer(shared_dir)
    gold = scorer.load(str(shared_dir / "eval" / "seed-article.gold.json"))
    result = scorer.score(scorer.Extraction(seed_extraction.to_json_dict(), seed_text), gold, seed_text)
    found, places, roles, total = result["people"]
    assert found == total == 10
    assert places >= 9, [r for r in result["rows"] if r.startswith("person")]
    assert roles >= 9, [r for r in result["rows"] if r.startswith("person")]
    assert result["states"] == (5, 5)
    assert result["organizations"][0] >= 5
    assert result["aliases"] == (4, 4)
    assert result["article"] == 3


def test_seed_dateline_is_not_an_actor_mention(seed_text, seed_extraction):
    dateline_end = seed_text.index("Washington, D.C.,") + len("Washington, D.C.")
    start = seed_text.index("Washington, D.C.,")
    for actor in seed_extraction.actors:
        for m in actor.mentions:
            assert not (start <= m.start < dateline_end), (actor.name, m.text)
