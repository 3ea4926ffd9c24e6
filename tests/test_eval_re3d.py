"""``newsgraph eval re3d``: reading re3d, the entity and relation scores, and the command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgraph.contract import Actor, Coder, Event, Extraction, Mention, ModelInfo, Quote, Span, TextSpan
from newsgraph.contract import Article as ArticleMeta
from newsgraph.eval.re3d import (
    GoldRelation,
    evaluate,
    is_actor_argument,
    is_pronoun,
    kb_state_test,
    load,
    load_dataset,
    relation_found,
)

FIXTURES = Path(__file__).parent / "fixtures" / "re3d"
SAMPLE = FIXTURES / "sample"
RE3D_OPEN = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "re3d-open"


def _at(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def _actor(text: str, aid: str, kind: str, mentions: list[str], **fields) -> Actor:
    ms = []
    for words in mentions:
        a, b = _at(text, f" {words} ") if words == "it" else _at(text, words)
        a, b = (a + 1, b - 1) if words == "it" else (a, b)
        ms.append(Mention(start=a, end=b, text=text[a:b]))
    return Actor(id=aid, name=mentions[0], kind=kind, mentions=ms, **fields)  # type: ignore[arg-type]


def _event(text: str, eid: str, typ: str, quad: int, source: list[str], target: list[str],
           evidence: str) -> Event:
    a, b = _at(text, evidence)
    span = TextSpan(start=a, end=b, text=evidence)
    return Event(id=eid, type=typ, quad_class=quad, source=source, target=target,  # type: ignore[arg-type]
                 trigger=span, evidence=span)


def _extraction(doc_id: str, actors: list[Actor], events: list[Event] = (),  # type: ignore[assignment]
                quotes: list[Quote] = ()) -> Extraction:  # type: ignore[assignment]
    return Extraction(coder=Coder(version="0", model=ModelInfo(name="stub", version="0")),
                      article=ArticleMeta(id=doc_id, text_sha256="0"), actors=list(actors),
                      events=list(events), quotes=list(quotes))


def _stub_extractions(texts: dict[str, str]) -> list[Extraction]:
    """What a perfect-ish extractor might say on the fixture, with one miss of each kind."""
    t1, t2 = texts["D1"], texts["D2"]
    d1 = _extraction("D1", [
        _actor(t1, "a1", "group", ["Iraqi forces"], country="IRQ"),
        _actor(t1, "a2", "group", ["Islamic State fighters"]),
        _actor(t1, "a3", "state", ["The United States", "it"], code="USA"),
        _actor(t1, "a4", "organization", ["the Iraqi government"], country="IRQ"),
        _actor(t1, "a5", "group", ["witnesses"]),  # re3d has no entity there: lowers precision
    ], [
        _event(t1, "e1", "ASSAULT", 4, ["a1"], ["a2"], "Iraqi forces attacked Islamic State fighters"),
        # support for the wrong actor: the gold Likes relation stays unfound
        _event(t1, "e2", "SUPPORT", 2, ["a3"], ["a1"], "it supports the Iraqi government"),
    ])
    d2 = _extraction("D2", [
        _actor(t2, "b1", "person", ["Sergei Lavrov"], country="RUS"),
        _actor(t2, "b2", "person", ["Antony Blinken"], country="USA"),
        _actor(t2, "b3", "state", ["Russian"], code="RUS"),
        _actor(t2, "b4", "group", ["Militants"]),
        _actor(t2, "b5", "organization", ["Geneva"]),  # on a gold Location: precise, though no state
        _actor(t2, "b6", "person", ["army"]),  # found but of the wrong kind: not typed
    ], [
        _event(t2, "e1", "CONSULT", 1, ["b1"], ["b2"], "Sergei Lavrov met Antony Blinken"),
    ])
    return [d1, d2]


@pytest.fixture(scope="module")
def sample():
    return load_dataset(SAMPLE)


def _is_state(surface: str) -> bool:
    return surface == "The United States"


def test_load_keeps_confident_records_and_finds_dataset_folders(sample):
    assert sample.name == "sample" and [d.doc_id for d in sample.documents] == ["D1", "D2"]
    d1 = sample.documents[0]
    assert len(d1.entities) == 7  # the Nationality at confidence 0.3 is dropped
    assert [r.type for r in d1.relations] == ["FightingAgainst", "Likes", "CoLocated"]  # AlliesOf at 0.2 too
    rel = d1.relations[0]
    assert d1.text[slice(*rel.source)] == "Iraqi forces" and d1.text[slice(*rel.cue)] == "attacked"
    assert rel.extent == (0, 44)
    assert [ds.name for ds in load(FIXTURES)] == ["sample"]  # a folder of dataset folders
    assert load(SAMPLE)[0].documents == sample.documents


def test_load_rejects_a_folder_without_re3d_files(tmp_path):
    with pytest.raises(FileNotFoundError):
        load(tmp_path)
    (tmp_path / "documents.json").write_text("")
    with pytest.raises(FileNotFoundError, match="entities.json"):
        load(tmp_path)


def test_pronouns_and_actor_arguments():
    assert is_pronoun("We") and is_pronoun(" their ") and not is_pronoun("the West")
    assert is_actor_argument((0, 20), [(0, 10)])  # half covered
    assert not is_actor_argument((0, 20), [(0, 9)])
    assert not is_actor_argument((5, 5), [(0, 10)])


def test_scores_on_the_fixture_with_a_stub_extraction(sample):
    texts = {d.doc_id: d.text for d in sample.documents}
    s = evaluate(sample, _stub_extractions(texts), _is_state)
    ent = {k: (t.gold, t.found, t.typed) for k, t in s.entities.items()}
    assert ent == {"Person": (3, 2, 2), "Organisation": (5, 5, 4), "Nationality": (1, 1, 1),
                   "Location": (1, 1, 1)}
    overall = s.entities_all
    assert (overall.gold, overall.found, overall.typed) == (10, 9, 8)
    assert overall.recall == pytest.approx(0.9) and overall.typed_recall == pytest.approx(0.8)
    assert (s.mentions.predicted, s.mentions.matched, s.mentions.pronouns) == (11, 10, 1)
    assert s.mentions.precision == pytest.approx(10 / 11)
    by_kind = {k: (m.matched, m.predicted) for k, m in s.mentions_by_kind.items()}
    assert by_kind == {"group": (3, 4), "state": (2, 2), "organization": (2, 2), "person": (3, 3)}
    pe, pm = s.pronoun_entities, s.pronoun_mentions
    assert (pe.gold, pe.found, pe.typed, pm.predicted, pm.matched) == (1, 1, 1, 1, 1)
    rel = {k: (t.gold, t.found, t.typed) for k, t in s.relations.items() if t.gold}
    assert rel == {"FightingAgainst": (1, 1, 1), "Likes": (1, 0, 0), "CommWith": (1, 1, 1),
                   "BelongsTo": (1, 1, 1)}
    assert s.not_actor == {"FightingAgainst": 1}  # Militants -> the airport
    d1, d2 = s.documents
    assert d1.missed_relations == ["Likes: The United States -> the Iraqi government (no fact joins them; "
                                   "here: SUPPORT 'it supports the Iraqi government' The United States -> "
                                   "Iraqi forces)"]
    assert d1.extra_mentions == ["witnesses [group]"]
    assert d2.missed_entities == ["Person: a spokeswoman", "Organisation: the army [untyped: person]"]
    data = s.as_dict(details=True)
    assert data["entities"]["overall"]["recall"] == 0.9 and data["relations"]["overall"]["anchored"] == 3
    assert len(data["per_document"]) == 2


def _one_relation(typ: str) -> tuple[GoldRelation, str]:
    text = "Kenya and Somalia held talks in Nairobi. Later, in Mogadishu, fighting went on."
    return GoldRelation(typ, _at(text, "Kenya"), _at(text, "Somalia"), _at(text, "held talks"),
                        "Kenya", "Somalia"), text


def test_relation_found_directions_anchoring_and_quotes():
    rel, text = _one_relation("CommWith")
    actors = [_actor(text, "k", "state", ["Kenya"], code="KEN"),
              _actor(text, "s", "state", ["Somalia"], code="SOM")]
    talks = _event(text, "e1", "CONSULT", 1, ["s"], ["k"], "Kenya and Somalia held talks")  # reversed
    assert relation_found(rel, _extraction("x", actors, [talks]), {"k"}, {"s"}) == (True, True)
    elsewhere = _event(text, "e1", "CONSULT", 1, ["k"], ["s"], "fighting went on")
    assert relation_found(rel, _extraction("x", actors, [elsewhere]), {"k"}, {"s"}) == (True, False)
    a, b = _at(text, "Kenya and Somalia held talks in Nairobi.")
    quote = Quote(id="q1", kind="indirect", text="talks", start=a, end=b, speaker="s", addressee="k",
                  sentence=Span(start=a, end=b))
    assert relation_found(rel, _extraction("x", actors, quotes=[quote]), {"k"}, {"s"}) == (True, True)
    assert relation_found(rel, _extraction("x", actors, [talks]), set(), {"s"}) == (False, False)
    # a member group acting for one side counts as that side (not for BelongsTo, where it is the link)
    members = _actor(text, "m", "group", ["Mogadishu"], organization="s")
    with_members = [*actors, members]
    by_member = _event(text, "e2", "CONSULT", 1, ["k"], ["m"], "Kenya and Somalia held talks")
    by_body = _event(text, "e3", "CONSULT", 1, ["k"], ["s"], "Kenya and Somalia held talks")
    assert relation_found(rel, _extraction("x", with_members, [by_member]), {"k"}, {"s"}) == (True, True)
    assert relation_found(rel, _extraction("x", with_members, [by_body]), {"k"}, {"m"}) == (True, True)
    assert relation_found(rel, _extraction("x", actors, [by_member]), {"k"}, {"s"}) == (False, False)


def test_relation_types_need_their_quad_class_or_link():
    rel, text = _one_relation("Dislikes")
    actors = [_actor(text, "k", "state", ["Kenya"], code="KEN"),
              _actor(text, "s", "state", ["Somalia"], code="SOM")]
    hostile = _event(text, "e1", "ACCUSE", 3, ["k"], ["s"], "Kenya and Somalia held talks")
    friendly = _event(text, "e1", "CONSULT", 1, ["k"], ["s"], "Kenya and Somalia held talks")
    assert relation_found(rel, _extraction("x", actors, [hostile]), {"k"}, {"s"}) == (True, True)
    assert relation_found(rel, _extraction("x", actors, [friendly]), {"k"}, {"s"}) == (False, False)
    fight, _ = _one_relation("FightingAgainst")
    assert relation_found(fight, _extraction("x", actors, [hostile]), {"k"}, {"s"}) == (False, False)
    belongs, _ = _one_relation("BelongsTo")
    envoy = _actor(text, "p", "person", ["Kenya"], country="SOM")  # a Somali envoy named where Kenya is
    assert relation_found(belongs, _extraction("x", [*actors, envoy]), {"p"}, {"s"}) == (True, True)
    assert relation_found(belongs, _extraction("x", actors), {"k"}, {"s"}) == (False, False)


def test_kb_state_test_knows_states_not_places():
    is_state = kb_state_test()
    assert is_state("Syria") and is_state("the United Kingdom")
    assert not is_state("Mosul") and not is_state("Damascus")


@pytest.fixture(scope="module")
def cli():
    from newsgraph.cli import app

    return app


def test_command_end_to_end_on_the_fixture(cli):
    result = CliRunner().invoke(cli, ["eval", "re3d", str(SAMPLE), "--format", "json", "--details"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["dataset"] == "sample" and data["documents"] == 2
    ents = data["entities"]
    assert ents["overall"]["gold"] == 10 and 0.6 <= ents["overall"]["recall"] <= 1.0
    assert 0.6 <= ents["mentions"]["precision"] <= 1.0
    rels = data["relations"]["overall"]
    assert rels["gold"] == 4 and rels["found"] >= 2
    assert len(data["per_document"]) == 2


def test_command_rejects_a_folder_without_re3d_files(cli, tmp_path):
    result = CliRunner().invoke(cli, ["eval", "re3d", str(tmp_path)])
    assert result.exit_code == 2


def test_command_on_the_open_re3d_subsets(cli):
    if not (RE3D_OPEN / "CENTCOM" / "documents.json").is_file():
        pytest.skip(f"the shared re3d subsets are absent ({RE3D_OPEN}); they sit beside the repository in CI")
    result = CliRunner().invoke(cli, ["eval", "re3d", str(RE3D_OPEN)])
    assert result.exit_code == 0, result.output
    assert "[CENTCOM]" in result.output and "[UK Government]" in result.output and "[all]" in result.output
    last = result.output.split("[all]")[1]
    entities = next(ln for ln in last.splitlines() if ln.startswith("entities"))
    relations = next(ln for ln in last.splitlines() if ln.startswith("relations"))
    precision, recall = float(entities.split("P ")[1].split()[0]), float(entities.split("R ")[1].split()[0])
    assert 0.5 <= precision <= 1.0 and 0.5 <= recall <= 1.0
    assert 0.0 < float(relations.split("R ")[1].split()[0]) <= 1.0


# --- NER-style span scores ---------------------------------------------------------------------------
def test_span_scores_count_overlap_exact_and_type_one_to_one():
    from newsgraph.eval.re3d_spans import score_spans

    text = "Defense Secretary Ash Carter said the Coalition struck Mosul and Raqqah."
    gold = [(*_at(text, "Defense Secretary Ash Carter"), "Person"),
            (*_at(text, "the Coalition"), "Organisation"),
            (*_at(text, "Mosul"), "Location"), (*_at(text, "Raqqah"), "Location")]
    pred = [(*_at(text, "Ash Carter"), "Person"),            # overlap, not exact
            (*_at(text, "the Coalition"), "Organisation"),   # exact
            (*_at(text, "Coalition"), "Organisation"),       # a second prediction on the same gold: extra
            (*_at(text, "Mosul"), "Person")]                 # right place, wrong type
    s = score_spans(text, gold, pred)
    o, x, u = s.overall["overlap"], s.overall["exact"], s.overall["untyped_overlap"]
    assert (o.predicted, o.gold, o.gold_matched) == (4, 4, 2)
    assert x.gold_matched == 1
    assert u.gold_matched == 3            # Mosul is found when the type is not asked
    assert s.by_type["Location"]["overlap"].recall == 0.0
    assert s.by_type["Person"]["exact"].gold_matched == 0
    assert "Location: Raqqah" in s.missed and "Organisation: Coalition" in s.extra
    assert s.boundary == ["Person: Defense Secretary Ash Carter | Ash Carter"]
    assert round(o.f1, 3) == 0.5


def test_predicted_spans_type_states_by_their_words_and_mark_a_place_once():
    from newsgraph.contract import Place
    from newsgraph.eval.re3d_spans import predicted_spans

    text = "French troops left northern Syria and Paris."
    syria = _actor(text, "a1", "state", ["northern Syria"])
    france = _actor(text, "a2", "state", ["French"])
    place = Place(id="p1", name="Syria", mentions=[Mention(start=(s := text.index("Syria")), end=s + 5,
                                                           text="Syria")])
    paris = Place(id="p2", name="Paris", mentions=[Mention(start=(s := text.index("Paris")), end=s + 5,
                                                           text="Paris")])
    ex = Extraction(coder=Coder(name="t", version="0", model=ModelInfo(name="m", version="0")),
                    article=ArticleMeta(id="d", text_sha256="0" * 64), actors=[syria, france],
                    places=[place, paris])
    spans = predicted_spans(ex, lambda s: s in ("Syria", "France"), is_pronoun)
    assert [(text[a:b], k) for a, b, k in spans] == [
        ("French", "Nationality"), ("northern Syria", "Location"), ("Paris", "Location")]
