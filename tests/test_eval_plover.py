"""``newsgraph eval plover``: record loading, actor matching, scoring and the command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgraph.contract import Actor, Mention
from newsgraph.eval.plover import GoldActor, GoldRecord, actor_matches, load_records, normalise_code
from newsgraph.extract.event_ontology import load_ontology

SHARED = Path(__file__).parents[1].parent / "shared"

RECORDS = [
    {
        "id": "T-1",
        "event": "DISAPPROVE",
        "text": "Norway criticized Belarus over the arrests of journalists.",
        "source": [{"actorText": "Norway", "code": "NOR"}],
        "target": [{"actorText": "Belarus", "code": "BLR"}],
    },
    {
        "id": "T-2",
        "event": "FIGHT",
        "text": "Ethiopian troops shelled Eritrea on Sunday.",
        "source": [{"actorText": "Ethiopian troops", "code": "ETH", "sector": "MIL"}],
        "target": [{"actorText": "Eritrea", "code": "ERI"}],
    },
    {
        "id": "T-3",
        "event": "AGREE",
        "text": "Japan will provide emergency aid to Vietnam after the floods.",
        "source": [{"actorText": "Japan", "code": "JAP"}],
        "target": [{"actorText": "Vietnam", "code": "VTN"}],
    },
    {
        "id": "T-4",
        "event": "DEMAND",
        "text": "Chile demanded that Peru release the detained fishermen.",
        "source": [{"actorText": "Chile", "code": "CHL"}],
        "target": [{"actorText": "Peru", "code": "PER"}],
    },
]


@pytest.fixture(scope="module")
def ontology():
    return load_ontology()


def test_old_type_names_and_country_codes(tmp_path, ontology):
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(RECORDS), encoding="utf-8")
    records = load_records(path, ontology)
    assert [r.type for r in records] == ["ACCUSE", "ASSAULT", "AGREE", "REQUEST"]
    assert records[2].sources[0].code == "JPN" and records[2].targets[0].code == "VNM"
    assert normalise_code("itl") == "ITA"


def test_actor_matching():
    from newsgraph.contract import Extraction  # noqa: F401  (type of the extraction argument)

    class Ex:
        def __init__(self, actors):
            self.actors = {a.id: a for a in actors}

        def actor(self, i):
            return self.actors.get(i)

    un = Actor(id="a1", name="United Nations", kind="organization", code="IGO")
    envoy = Actor(id="a2", name="envoy", kind="person", sector="GOV", organization="a1")
    fr = Actor(id="a3", name="France", kind="state", code="FRA", country="FRA")
    anon = Actor(id="a4", name="rebels", kind="group", mentions=[Mention(start=0, end=6, text="rebels")])
    ex = Ex([un, envoy, fr, anon])
    assert actor_matches(un, GoldActor("IGO", None, "U.N."), ex, "")
    assert actor_matches(envoy, GoldActor("IGO", "GOV", "envoy"), ex, "")  # through its organization
    assert actor_matches(fr, GoldActor("FRA", None, "France"), ex, "")
    assert not actor_matches(fr, GoldActor("DEU", None, "Germany"), ex, "")
    # strict: an actor without a code matches no coded gold actor, whatever its text
    assert not actor_matches(anon, GoldActor("SDN", "REB", "rebels"), ex, "rebels attacked")
    ngo = Actor(id="a5", name="Human Rights Watch", kind="organization", code="NGO")
    ex.actors["a5"] = ngo
    assert actor_matches(ngo, GoldActor("NGO", None, "Human Rights Watch"), ex, "")
    assert not actor_matches(ngo, GoldActor("IGO", None, "Human Rights Watch"), ex, "")  # no IGO/NGO leniency
    assert not actor_matches(un, GoldActor("NGO", None, "U.N."), ex, "")


def test_events_are_scored_as_they_are(ontology):
    """No reading of events in the scorer: a protest's implied target counts only when the extraction
    carries it, and a negated event is still a prediction of its type."""
    from newsgraph.contract import Event, Extraction, ImpliedArgument, TextSpan
    from newsgraph.eval.plover import score_sentence

    text = "Chilean students blocked roads in the capital."
    students = Actor(id="a1", name="students", kind="group", country="CHL")
    chile = Actor(id="a2", name="Chile", kind="state", code="CHL", country="CHL")
    span = TextSpan(start=17, end=24, text="blocked")
    gold = GoldRecord("g1", text, "PROTEST", "PROTEST", (GoldActor("CHL", None, "students"),),
                      (GoldActor("CHL", None, ""),))
    bare = Event(id="e1", type="PROTEST", source=["a1"], trigger=span, evidence=span)
    ex = Extraction.model_construct(actors=[students, chile], events=[bare])
    assert score_sentence(text, [gold], ex, ontology).matched_gold == []  # the scorer adds no target
    basis = "a protest with no stated target: the protesters' own state"
    implied = bare.model_copy(update={"target": ["a2"],
                                      "implied": [ImpliedArgument(role="target", actor="a2", basis=basis)]})
    ex = Extraction.model_construct(actors=[students, chile], events=[implied])
    assert score_sentence(text, [gold], ex, ontology).matched_gold == ["g1"]
    negated = implied.model_copy(update={"polarity": "negative"})
    ex = Extraction.model_construct(actors=[students, chile], events=[negated])
    assert score_sentence(text, [gold], ex, ontology).predicted[0].matched  # type, source, target as they are


def test_command_scores_a_small_file(tmp_path):
    from newsgraph.cli import app

    path = tmp_path / "gold.json"
    path.write_text(json.dumps(RECORDS), encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "plover", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["records"] == 4 and data["sentences"] == 4
    assert data["dyad_type"]["recall"] >= 0.75, data  # written to be easy: all four should be found
    assert data["dyad_type"]["precision"] >= 0.75, data
    assert set(data["by_type"]) == {"ACCUSE", "ASSAULT", "AGREE", "REQUEST"}


def test_text_output(tmp_path):
    from newsgraph.cli import app

    path = tmp_path / "gold.json"
    path.write_text(json.dumps(RECORDS[:1]), encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "plover", str(path), "--details"])
    assert result.exit_code == 0, result.output
    assert "dyad+type" in result.output and "type accuracy" in result.output


def test_shared_dev_records_load(ontology):
    path = SHARED / "eval" / "plover-gsr-dev.json"
    if not path.is_file():
        pytest.skip("../shared/eval/plover-gsr-dev.json is not available")
    records = load_records(path, ontology)
    assert len(records) == 179
    assert {r.type for r in records} <= set(ontology.types)
