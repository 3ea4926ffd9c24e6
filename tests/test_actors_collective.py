"""Collective descriptions, title-only offices and related actor rules, on sentences of our own."""

from __future__ import annotations

import pytest
import spacy

from newsgraph.config import Settings
from newsgraph.extract import actors  # noqa: F401  (registers the component)
from newsgraph.extract.base import ArticleContext, register_extensions


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.load(Settings().model)
    nlp.add_pipe("newsgraph_actors")
    return nlp


def run(nlp, text: str, dateline: str | None = None):
    register_extensions()
    doc = nlp.make_doc(text)
    doc._.ng_article = ArticleContext(article_id="t", published=None, dateline_place=dateline)
    return nlp(doc)


def mentioned(doc, text: str):
    """The actor of the mention whose text contains ``text`` (None when no mention does)."""
    for m in doc._.ng_actors.mentions:
        if text in doc[m.token_start:m.token_end].text:
            return doc._.ng_actors.get(m.actor_id)
    return None


@pytest.mark.parametrize(("sentence", "phrase", "kind"), [
    ("The international community condemned the shelling of the port on Tuesday.",
     "international community", "group"),
    ("Ministers said their partners would send more aid to the refugees next month.", "partners", "group"),
    ("Officials said the coalition carried out nine raids near the border overnight.", "coalition",
     "organization"),
    ("Several nations pledged money for the reconstruction of the bridge.", "nations", "group"),
])
def test_collective_descriptions_are_actors(nlp, sentence, phrase, kind):
    actor = mentioned(run(nlp, sentence), phrase)
    assert actor is not None and actor.kind == kind


@pytest.mark.parametrize(("sentence", "phrase", "role"), [
    ("The Foreign Secretary said the talks with Egypt went well.", "Foreign Secretary", "Foreign Secretary"),
    ("The Minister for the Middle East visited Amman on Monday.", "Minister", "Minister"),
    ("The defence secretary announced new funding for the navy.", "defence secretary", "defence secretary"),
])
def test_definite_offices_are_person_actors(nlp, sentence, phrase, role):
    actor = mentioned(run(nlp, sentence), phrase)
    assert actor is not None and actor.kind == "person" and actor.role == role


def test_office_takes_the_dateline_country(nlp):
    doc = run(nlp, "The Foreign Secretary welcomed the ceasefire.", dateline="London")
    actor = mentioned(doc, "Secretary")
    assert actor is not None and actor.country == "GBR"


def test_capitalised_body_after_the_is_not_a_person(nlp):
    actor = mentioned(run(nlp, "The Foreign Office said the Prime Minister would travel to Oslo."), "Office")
    assert actor is None or actor.kind != "person"


@pytest.mark.parametrize(("sentence", "word", "code"), [
    ("Officials reopened the Syrian border crossing on Sunday.", "Syrian", "SYR"),
    ("Iraqi oil exports rose sharply in March.", "Iraqi", "IRQ"),
])
def test_state_adjective_before_any_noun_names_the_state(nlp, sentence, word, code):
    doc = run(nlp, sentence)
    actor = mentioned(doc, word)
    assert actor is not None and actor.kind == "state" and actor.country == code
    assert [m.how for m in doc._.ng_actors.mentions if doc[m.token_start].text == word] == ["modifier"]


def test_ethnic_adjective_names_no_state(nlp):
    doc = run(nlp, "Police dispersed ethnic Albanian protests in the town.")
    actor = mentioned(doc, "Albanian")
    assert actor is None or actor.kind != "state"


@pytest.mark.parametrize(("sentence", "phrase", "code"), [
    ("Peshmerga units retook the village near Erbil.", "Peshmerga", "IRQ"),
    ("The KRG signed the budget deal with Baghdad.", "KRG", "IRQ"),
    ("Officials said Da\u2019esh lost control of the town.", "Da\u2019esh", None),
])
def test_kurdish_bodies_and_apostrophe_spellings(nlp, sentence, phrase, code):
    actor = mentioned(run(nlp, sentence), phrase)
    assert actor is not None and actor.country == code and actor.kind in ("organization", "group")


@pytest.mark.parametrize("phrase", ["enemy", "service members", "families"])
def test_generic_conflict_groups(nlp, phrase):
    doc = run(nlp, "The enemy shelled the camp where two service members and several families were staying.")
    actor = mentioned(doc, phrase)
    assert actor is not None and actor.kind == "group"


def test_lone_capitalised_role_noun_after_the_is_a_body(nlp):
    actor = mentioned(run(nlp, "The Coalition carried out five raids near the dam."), "Coalition")
    assert actor is not None and actor.kind == "organization"


def test_allies_need_a_determiner(nlp):
    assert mentioned(run(nlp, "He said allies might object to the plan."), "allies") is None
    actor = mentioned(run(nlp, "Turkey and its allies rejected the plan."), "allies")
    assert actor is not None and actor.kind == "group"


@pytest.mark.parametrize(("sentence", "phrase", "found"), [
    ("Both countries signed the accord in Geneva.", "countries", True),
    ("Countries around the world watched the launch.", "Countries", False),
    ("All parties agreed to a ceasefire.", "parties", True),
    ("Army units moved towards the river overnight.", "units", True),
])
def test_determined_collectives(nlp, sentence, phrase, found):
    actor = mentioned(run(nlp, sentence), phrase)
    assert (actor is not None and actor.kind == "group") is found
