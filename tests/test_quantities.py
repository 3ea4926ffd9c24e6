"""Quantities: value, qualifier, unit, item, currency, PLOVER role, and the event they belong to."""

from __future__ import annotations

import pytest

from newsgraph.config import Settings
from newsgraph.extract.pipeline import build_pipeline


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline(Settings())


def quantities(nlp, text):
    return nlp(text)._.ng_quantities


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "The navy seized more than 2,500 crates of rifles off the coast.",
            {"value": 2500, "qualifier": "more than", "unit": "crates", "item": "rifles"},
        ),
        (
            "Congress approved $95 billion for the allies.",
            {"value": 95e9, "currency": "USD", "role": "money"},
        ),
        (
            "Australia will send 3,000 troops to the region.",
            {"value": 3000, "item": "troops", "role": "size"},
        ),
        ("Gunmen killed 14 people near the market.", {"value": 14, "item": "people", "role": "dead"}),
        ("The blast wounded twenty villagers.", {"value": 20, "item": "villagers", "role": "injured"}),
        (
            "The agency delivered nearly 40,000 tonnes of wheat.",
            {"value": 40000, "qualifier": "nearly", "unit": "tonnes", "item": "wheat"},
        ),
        ("Exports fell 7.5 percent in May.", {"value": 7.5, "unit": "percent"}),
    ],
)
def test_quantity_fields(nlp, text, expected):
    found = quantities(nlp, text)
    assert found, text
    q = found[0]
    assert text[q.start : q.end] == q.text
    for key, value in expected.items():
        assert getattr(q, key) == value, (key, q)


def test_years_and_dates_are_not_quantities(nlp):
    assert quantities(nlp, "The treaty was signed in 1994 and renewed on 12 March 2019.") == []


def test_ids_are_sequential(nlp):
    found = quantities(nlp, "Rebels freed 12 hostages and 3 soldiers.")
    assert [q.id for q in found] == ["n1", "n2"]


def test_quantity_links_to_its_event(nlp):
    doc = nlp("Belgium transferred ten helicopters and over 4,000 rounds of ammunition to Ukraine.")
    aid = next(e for e in doc._.ng_events if e.type == "AID")
    linked = [q for q in doc._.ng_quantities if q.id in aid.quantities]
    assert any(q.value == 4000 and q.qualifier == "over" and q.item == "ammunition" for q in linked)


def test_casualties_link_to_the_attack(nlp):
    doc = nlp("Militants attacked Nigeria's army on Sunday, killing 12 soldiers.")
    ids = {q for e in doc._.ng_events for q in e.quantities}
    dead = [q for q in doc._.ng_quantities if q.role == "dead"]
    assert dead and dead[0].id in ids
