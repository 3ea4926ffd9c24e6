"""First-person pronouns inside direct quotations, on sentences written for these tests."""

from __future__ import annotations

import pytest

from newsgraph.config import Settings
from newsgraph.extract.pipeline import build_pipeline


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline(Settings())


def pronoun_actor(doc, word: str):
    for m in doc._.ng_actors.mentions:
        if m.how == "pronoun" and doc[m.token_start:m.token_end].text == word:
            return doc._.ng_actors.get(m.actor_id)
    return None


def test_i_and_my_are_the_speaker(nlp):
    doc = nlp('"I am proud of my team and I expect a deal soon," Norwegian Prime Minister Jonas Gahr Store '
              'told reporters in Oslo.')
    assert doc._.ng_quotes and doc._.ng_quotes[0].speaker
    speaker = doc._.ng_quotes[0].speaker
    assert pronoun_actor(doc, "I") is not None and pronoun_actor(doc, "I").id == speaker
    assert pronoun_actor(doc, "my") is not None and pronoun_actor(doc, "my").id == speaker


def test_we_is_the_speaking_body(nlp):
    doc = nlp('"We will keep supporting our partners in the region," the German Foreign Ministry said.')
    quote = doc._.ng_quotes[0]
    we, our = pronoun_actor(doc, "We"), pronoun_actor(doc, "our")
    assert we is not None and we.id == quote.speaker and our is not None and our.id == quote.speaker


def test_a_persons_we_is_their_state(nlp):
    doc = nlp('"We will never accept this," Prime Minister Donald Tusk said after Poland closed the border.')
    speaker = doc._.ng_actors.get(doc._.ng_quotes[0].speaker)
    we = pronoun_actor(doc, "We")
    assert speaker.kind == "person" and speaker.country == "POL"
    assert we is not None and we.kind == "state" and we.country == "POL"


def test_pronouns_outside_quotes_are_left_alone(nlp):
    doc = nlp("We visited the border town on Friday, where officials said the road was closed.")
    assert pronoun_actor(doc, "We") is None


def test_statement_block_after_said_colon(nlp):
    doc = nlp("Norwegian Prime Minister Jonas Gahr Store said:\n\nThe floods caused great damage. I offer my "
              "condolences to the families, and we will send help.")
    speaker = next(m.actor_id for m in doc._.ng_actors.mentions if m.how == "name"
                   and doc[m.token_start:m.token_end].text == "Jonas Gahr Store")
    assert pronoun_actor(doc, "I") is not None and pronoun_actor(doc, "I").id == speaker
    assert pronoun_actor(doc, "my") is not None and pronoun_actor(doc, "my").id == speaker

