"""The event ontology and trigger lexicon are consistent data."""

from __future__ import annotations

import pytest

from newsgraph.contract import PLOVER_TYPES
from newsgraph.extract.event_lexicon import load_trigger_lexicon
from newsgraph.extract.event_ontology import load_ontology, plover_view


@pytest.fixture(scope="module")
def ontology():
    return load_ontology()


@pytest.fixture(scope="module")
def lexicon():
    return load_trigger_lexicon()


def test_all_plover_types_and_old_names(ontology):
    assert set(ontology.types) == set(PLOVER_TYPES)
    assert ontology.canonical_type("disapprove") == "ACCUSE"
    assert ontology.canonical_type("INVESTIGATE") == "ACCUSE"
    assert ontology.canonical_type("DEMAND") == "REQUEST"
    assert ontology.canonical_type("FIGHT") == "ASSAULT"
    assert ontology.canonical_type("NOPE") is None


def test_cameo_codes_are_complete_and_consistent(ontology):
    codes = ontology.cameo
    assert len(codes) >= 300
    assert {f"{i:02d}" for i in range(1, 21)} <= set(codes)
    for code, c in codes.items():
        assert len(code) in (2, 3, 4)
        assert code[:-1] in codes or len(code) == 2 or code[:2] in codes, code  # parent exists
        assert code[:3] in codes or len(code) < 4, code
        assert -10.0 <= c.goldstein <= 10.0 and c.name
        root = int(code[:2])
        expected = 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4
        assert c.quad_class == expected, code
    assert codes["190"].goldstein == -10.0 and codes["057"].goldstein == 8.0


def test_cameo_to_plover_correspondence(ontology):
    assert ontology.plover_for_cameo("0871") == "RETREAT"
    assert ontology.plover_for_cameo("083") == "CONCEDE"
    assert ontology.plover_for_cameo("1823") == "ASSAULT"
    assert ontology.plover_for_cameo("112") == "ACCUSE"
    for code in ontology.cameo:
        found = ontology.plover_for_cameo(code)
        assert found is None or found in PLOVER_TYPES
    for target in ontology.cameo_to_plover.values():
        assert target in PLOVER_TYPES


def test_every_lexicon_entry_is_valid(ontology, lexicon):
    assert len(lexicon) >= 400
    seen_types = set()
    for entry in lexicon.entries.values():
        assert entry.type in ontology.types, entry
        assert entry.cameo in ontology.cameo, entry
        if entry.mode:
            assert entry.mode in ontology.types[entry.type].modes, entry
        for ctx in entry.context:
            assert ctx in ontology.contexts, entry
        assert entry.pos in ("verb", "noun") and entry.head
        assert 0 < entry.confidence <= 1
        seen_types.add(entry.type)
    assert seen_types == set(PLOVER_TYPES)


def test_lexicon_has_phrases_and_nominalizations(lexicon):
    for phrase, pos in [
        ("visit", "noun"),
        ("support for", "noun"),
        ("warning about", "noun"),
        ("concession to", "noun"),
        ("transfer of", "noun"),
        ("impose sanction", "verb"),
        ("open fire", "verb"),
    ]:
        assert (phrase, pos) in lexicon.entries, phrase


def test_cues_cover_polarity_and_modality(lexicon):
    assert {"not", "never", "no"} <= lexicon.cue("negation")
    assert {"might", "could", "would"} <= lexicon.cue("hypothetical_aux")
    assert {"if", "unless"} <= lexicon.cue("hypothetical_marks")
    assert "will" in lexicon.cue("planned_aux") and "plan" in lexicon.cue("planned_governors")
    assert {"impending", "upcoming"} <= lexicon.cue("planned_modifiers")


def test_plover_view(ontology):
    assert plover_view("AID", "positive", "planned", ontology) == "AGREE"
    assert plover_view("COERCE", "positive", "planned", ontology) == "THREATEN"
    assert plover_view("SANCTION", "positive", "hypothetical", ontology) == "THREATEN"
    assert plover_view("AID", "positive", "hypothetical", ontology) is None
    assert plover_view("AID", "negative", "actual", ontology) is None
    assert plover_view("AGREE", "negative", "planned", ontology) == "REJECT"
    assert plover_view("ACCUSE", "negative", "planned", ontology) is None
    assert plover_view("AID", "negative", "planned", ontology) == "REJECT"
    assert plover_view("ASSAULT", "positive", "question", ontology) is None
    assert plover_view("ACCUSE", "positive", "actual", ontology) == "ACCUSE"


def test_bare_yaml_booleans_are_rejected(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text('groups:\n  - {type: ACCUSE, cameo: "111", verbs: [on]}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="quote it"):
        load_trigger_lexicon([bad])
