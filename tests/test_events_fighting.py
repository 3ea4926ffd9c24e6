"""Nominal fighting triggers ("the fight against X", "a campaign against X"), on sentences of our own: the
trigger lexicon and argument rules alone (``event_model = "lexicon"``), which the trained model builds on."""

from __future__ import annotations

import pytest

from newsgraph.config import Settings
from newsgraph.extract.pipeline import build_pipeline


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline(Settings(event_model="lexicon"))


def dyads(doc) -> list[tuple[str, list[str], list[str]]]:
    table = doc._.ng_actors
    return [(e.type, [table.get(a).name for a in e.source], [table.get(a).name for a in e.target])
            for e in doc._.ng_events]


@pytest.mark.parametrize(("sentence", "source", "target"), [
    ("Kenyan troops joined the fight against al-Shabaab.", "Kenyan troops", "al-Shabaab"),
    ("Britain led the campaign against the Taliban.", "United Kingdom", "Taliban"),
    ("Kenya's fight against al-Shabaab continues.", "Kenya", "al-Shabaab"),
    ("The coalition conducted strikes against ISIL near Raqqa.", "coalition", "Islamic State"),
])
def test_nominal_fighting_is_an_assault(nlp, sentence, source, target):
    found = dyads(nlp(sentence))
    assert any(t == "ASSAULT" and source in s and target in g for t, s, g in found), found


@pytest.mark.parametrize("sentence", [
    "The senator's campaign in Ohio raised more money than expected.",
    "Labour unions joined the strike against the pension reform.",
])
def test_campaigns_and_labour_strikes_are_no_assault(nlp, sentence):
    assert not any(t == "ASSAULT" for t, _, _ in dyads(nlp(sentence)))


def test_in_support_of_is_no_target(nlp):
    doc = nlp("Coalition forces conducted nine strikes in support of the government of Iraq using attack "
              "aircraft against the Islamic State.")
    found = [(s, g) for t, s, g in dyads(doc) if t == "ASSAULT" and "Coalition forces" in s]
    assert found and all("Islamic State" in g and not any("Iraq" in x for x in g) for _, g in found), found
