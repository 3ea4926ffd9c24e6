"""The trained event coder on the error classes seen in real news (issue 11); sentences written for the tests.

Each class: word senses a keyword coder takes for acts, opinions and acceptance coded as acts, verbal acts a
lexicon misses, hypothetical or negated acts asserted as facts, one clause coded twice, PLOVER's own
conventions (promises, implied targets) in the contract, and text that is not the article.
"""

from __future__ import annotations

import pytest

from newsgraph.config import Settings
from newsgraph.contract import Extraction
from newsgraph.extract.event_model import BUNDLED_DIR, EventModel
from newsgraph.extract.pipeline import Extractor
from newsgraph.ingest.readers import ArticleInput
from newsgraph.learn.linear import ModelFileError


@pytest.fixture(scope="module")
def extractor():
    return Extractor(Settings())


def extract(extractor, text: str) -> Extraction:
    return extractor.extract(ArticleInput(text=text, id="t"))


def names(ex: Extraction, ids) -> list[str]:
    return [ex.actor(a).name for a in ids]


def facts(ex: Extraction):
    return [e for e in ex.events if e.polarity == "positive" and e.modality == "actual"]


def test_the_shipped_model_is_loaded_whole(extractor):
    model = extractor.nlp.get_pipe("newsgraph_events").model
    assert model is not None
    assert model.gate is not None and model.roles is not None and model.facts is not None
    assert 0.0 < model.lexicon_threshold <= model.threshold < 1.0
    assert (BUNDLED_DIR / "MODEL_CARD.md").is_file()


def test_a_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(ModelFileError, match="newsgraph train"):
        EventModel.load(tmp_path)


# ---- word sense -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, wrong", [
    ("The senator launched a fierce attack on the tax plan on Tuesday.", "ASSAULT"),
    ("After leaving office, the minister tried his hand at pottery.", "COERCE"),
    ("The candidate fired up the crowd in Ohio with a promise of lower taxes.", "ASSAULT"),
])
def test_other_senses_are_no_such_act(extractor, text, wrong):
    ex = extract(extractor, text)
    assert not any(e.type == wrong for e in ex.events), ex.events


# ---- opinion, acceptance, policy ------------------------------------------------------------------------
def test_accepting_a_state_of_affairs_is_no_agreement(extractor):
    ex = extract(extractor, "Hospitals will have to accept that funding stays flat next year, "
                            "the health secretary said.")
    assert not any(e.type == "AGREE" for e in ex.events), ex.events


# ---- verbal acts ---------------------------------------------------------------------------------------
def test_a_demand_with_no_addressee(extractor):
    ex = extract(extractor, "Opposition parties have demanded a public inquiry into the contracts.")
    assert any(e.type == "REQUEST" and "Opposition parties" in names(ex, e.source) for e in facts(ex))


def test_praise(extractor):
    ex = extract(extractor, "The prime minister praised the rescue workers on Sunday.")
    assert any(e.type == "SUPPORT" and names(ex, e.target) == ["rescue workers"] for e in facts(ex))


def test_a_lawsuit_announced(extractor):
    ex = extract(extractor, "The firm said it would take the regulator to court over the fine.")
    suits = [e for e in ex.events if e.type in ("ACCUSE", "THREATEN")]
    assert suits and suits[0].modality in ("planned", "actual"), ex.events
    assert "firm" in names(ex, suits[0].source)


@pytest.mark.xfail(reason="a judgement in a quotation with no accusation verb is found only when the model "
                   "is sure of it (such judgements have low cross-validated recall: "
                   "docs/evaluation-events.md); this one falls under the shipped threshold", strict=False)
def test_criticism_without_an_accusation_verb(extractor):
    ex = extract(extractor, '"This budget is a disgrace and a betrayal of working families," '
                            "the shadow chancellor, Jane Doyle, said.")
    assert any(e.type == "ACCUSE" and names(ex, e.source) == ["Jane Doyle"] for e in ex.events), ex.events


# ---- hypothetical or negated acts are never facts ------------------------------------------------
@pytest.mark.parametrize("text", [
    "No other party was prepared to let her lead it.",
    "British warships were on standby should an evacuation become necessary.",
    "Russia did not attack the convoy, the ministry said.",
    "Brazil could attack Paraguay if the talks fail.",
])
def test_what_did_not_happen_is_not_shown_as_a_fact(extractor, text):
    ex = extract(extractor, text)
    assert not any(e.type in ("AID", "ASSAULT", "COERCE") for e in facts(ex)), ex.events


# ---- one clause, one event -----------------------------------------------------------------------
def test_one_clause_is_one_event(extractor):
    ex = extract(extractor, "The United States gave military support to Ukraine in March.")
    assert len(ex.events) == 1 and ex.events[0].type == "AID", ex.events


def test_a_pledge_of_support_is_one_act_of_support(extractor):
    ex = extract(extractor, "The Bolivian president pledged full support for Venezuela on Monday.")
    # pledging support is giving it (PLV codes it so), and the noun naming the act is no second edge
    assert [(e.type, e.promised, e.modality) for e in ex.events] == [("SUPPORT", None, "actual")], ex.events
    assert names(ex, ex.events[0].target) == ["Venezuela"]
    assert any("full support" in span.text for span in ex.events[0].also_evidence), ex.events[0].also_evidence


# ---- PLOVER as PLOVER codes it ---------------------------------------------------------------------------
def test_a_promise_of_aid_is_an_agreement(extractor):
    ex = extract(extractor, "Japan pledged $2 billion in aid to Indonesia.")
    agree = [e for e in facts(ex) if e.type == "AGREE"]
    assert agree and agree[0].promised == "AID", ex.events
    assert names(ex, agree[0].target) == ["Indonesia"]


def test_an_announced_act_is_an_intent(extractor):
    ex = extract(extractor, "Germany will send aid to the flood victims in Pakistan next week.")
    assert any(e.type == "AGREE" and e.promised == "AID" for e in facts(ex)), ex.events


def test_a_threat_with_a_condition_was_made(extractor):
    ex = extract(extractor, "Iran threatened to close the Strait of Hormuz if sanctions were tightened.")
    assert any(e.type == "THREATEN" and names(ex, e.source) == ["Iran"] for e in facts(ex)), ex.events


def test_a_protest_is_coded_against_the_state_of_its_place_and_says_so(extractor):
    ex = extract(extractor, "Thousands of students rallied in Algiers against the new law.")
    protest = next(e for e in ex.events if e.type == "PROTEST")
    assert names(ex, protest.target) == ["Algeria"]
    assert [(i.role, i.actor) for i in protest.implied] == [("target", protest.target[0])]
    implied = protest.implied[0]
    assert implied.evidence is not None and implied.evidence.text == "Algiers"
    assert "place" in implied.basis


def test_confidence_is_the_models_probability(extractor):
    ex = extract(extractor, "Police arrested two protesters outside the parliament in London.")
    arrest = next(e for e in ex.events if e.type == "COERCE")
    assert 0.5 < arrest.confidence <= 1.0  # a clear arrest: the model is sure
    weak = extract(extractor, "The prime minister praised the rescue workers on Sunday.").events[0]
    assert weak.confidence != arrest.confidence  # a probability, not a constant per lexicon entry


# ---- not the article -----------------------------------------------------------------------------
def test_reader_comments_are_not_the_articles_news(extractor):
    text = ("Talks resume in Geneva\n\nEnvoys from Armenia and Azerbaijan met in Geneva on Monday to resume "
            "talks, officials said.\n\nThe two foreign ministers are expected to meet again next month, "
            "diplomats said.\n\nComments (2)\n\nreader123: Azerbaijan attacked Armenia again and the "
            "government lied about it.\n\nanother_reader: I condemn Armenia's government.\n")
    ex = extract(extractor, text)
    comments_at = text.index("Comments (2)")
    assert ex.events and all(e.trigger.start < comments_at for e in ex.events), ex.events
