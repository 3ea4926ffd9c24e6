"""The event coder's rule layer: constructions, arguments, polarity, modality, claims, dedup, dates (sentences
written for the tests).

The trained model (tests/test_events_model.py) decides which candidates are events and of what type; it
builds on this layer for arguments, polarity and modality. ``event_model = "lexicon"`` runs the layer alone
(the trigger lexicon deciding), which is what these tests exercise."""

from __future__ import annotations

import pytest

from newsgraph.config import Settings
from newsgraph.extract.pipeline import Extractor, build_pipeline
from newsgraph.ingest.readers import ArticleInput


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline(Settings(event_model="lexicon"))


def promised(nlp, text):
    """(type, promised) for each event of ``text``."""
    return [(e.type, e.promised) for e in nlp(text)._.ng_events]


def coded(nlp, text):
    """(type, source names, target names, polarity, modality) for each event of ``text``."""
    doc = nlp(text)
    table = doc._.ng_actors

    def names(ids):
        return frozenset(table.get(a).name for a in ids)

    return [(e.type, names(e.source), names(e.target), e.polarity, e.modality) for e in doc._.ng_events]


def has(events, type_, source, target, polarity="positive", modality="actual"):
    return any(
        t == type_
        and any(source in s for s in src)
        and any(target in x for x in tgt)
        and p == polarity
        and m == modality
        for t, src, tgt, p, m in events
    )


# ---- constructions ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, type_, source, target",
    [
        ("Germany criticized Hungary over its veto.", "ACCUSE", "Germany", "Hungary"),
        ("Ukraine was attacked by Russia on Tuesday.", "ASSAULT", "Russia", "Ukraine"),  # passive
        ("Japan gave Ukraine new armoured vehicles.", "AID", "Japan", "Ukraine"),  # dative
        ("Norway transferred air defence systems to Ukraine.", "AID", "Norway", "Ukraine"),  # "to X"
        ("Egypt negotiated with Israel over the border crossing.", "CONSULT", "Egypt", "Israel"),  # "with X"
        ("Iran has been supplying Russia with drones.", "AID", "Iran", "Russia"),  # supplying X with Y
        (
            "Armenia condemned Turkey's support for Azerbaijan.",
            "SUPPORT",
            "Turkey",
            "Azerbaijan",
        ),  # possessive
        (
            "Armenia condemned Turkey's support for Azerbaijan.",
            "ACCUSE",
            "Armenia",
            "Turkey",
        ),  # owner of object
        ("Hungary was compelled to make concessions to Poland.", "CONCEDE", "Hungary", "Poland"),  # control
        (
            "Analysts watched Venezuela, which threatened Guyana over the disputed region.",
            "THREATEN",
            "Venezuela",
            "Guyana",
        ),  # relative clause
        ("Antony Blinken, the US secretary of state, praised Kenya.", "SUPPORT", "Blinken", "Kenya"),
        ("Sweden warned Russia against further provocations.", "THREATEN", "Sweden", "Russia"),
        ("Portugal apologized to Brazil for the remarks.", "SUPPORT", "Portugal", "Brazil"),
        ("Poland expelled Belarusian diplomats on Friday.", "SANCTION", "Poland", "Belarus"),
    ],
)
def test_constructions(nlp, text, type_, source, target):
    events = coded(nlp, text)
    assert has(events, type_, source, target), events


def test_coordination_on_both_sides(nlp):
    events = coded(nlp, "France and Germany condemned Iran and Syria.")
    accuse = [e for e in events if e[0] == "ACCUSE"]
    assert len(accuse) == 1
    _, src, tgt, _, _ = accuse[0]
    assert {"France", "Germany"} <= set(src) and {"Iran", "Syria"} <= set(tgt)


def test_prepositional_nominal_visit_is_planned(nlp):
    events = coded(nlp, "An upcoming visit from Emmanuel Macron to India was announced.")
    assert has(events, "CONSULT", "Macron", "India", modality="planned"), events


def test_cooperation_between_is_reciprocal(nlp):
    events = coded(nlp, "Officials praised the growing cooperation between Vietnam and Japan.")
    coop = [e for e in events if e[0] == "COOPERATE"]
    assert coop and coop[0][1] == coop[0][2] == frozenset({"Vietnam", "Japan"})


def test_warnings_about_support_target_its_sources(nlp):
    events = coded(nlp, "Canada issued warnings about support from Iran and Belarus for the junta.")
    threat = [e for e in events if e[0] == "THREATEN"]
    assert threat and "Canada" in threat[0][1] and {"Iran", "Belarus"} <= set(threat[0][2])


def test_gerund_under_warning_has_no_borrowed_agent(nlp):
    # the warner is not the one "aiding": no AID event from Britain
    events = coded(nlp, "Britain repeated its warnings against aiding Serbia.")
    assert not any(e[0] == "AID" for e in events), events


def test_passive_retreat_is_done_by_its_subject(nlp):
    events = coded(nlp, "Hundreds of Colombian guerrillas have been demobilized.")
    assert any(e[0] == "RETREAT" and any("guerrillas" in s for s in e[1]) for e in events), events


def test_coordinated_nationality_adjectives_and_joint_exercises(nlp):
    events = coded(nlp, "French and Egyptian warships held joint naval exercises in the Mediterranean.")
    coop = [e for e in events if e[0] == "COOPERATE"]
    # one group per state ("French warships", "Egyptian warships"), each of its state, on both sides
    both = {"French warships", "Egyptian warships"}
    assert coop and both <= set(coop[0][1]) and both <= set(coop[0][2]), events


def test_permission_targets_whom_it_is_for(nlp):
    # an announced concession is an intent that happened, as PLOVER codes it: AGREE, promised CONCEDE
    text = "Turkey will allow Syrian refugees to return home."
    assert has(coded(nlp, text), "AGREE", "Turkey", "Syrian refugees"), coded(nlp, text)
    assert ("AGREE", "CONCEDE") in promised(nlp, text)


def test_strikes_by_armed_forces_are_attacks(nlp):
    assert has(
        coded(nlp, "Turkish military aircraft carried out strikes on Iraq."), "ASSAULT", "Turk", "Iraq"
    )
    events = coded(nlp, "Teachers in Kenya held a general strike against the government of Kenya.")
    assert any(e[0] == "PROTEST" for e in events) and not any(e[0] == "ASSAULT" for e in events), events


def test_trigger_needs_actors(nlp):
    assert coded(nlp, "The weather criticized nobody in particular.") == []


# ---- polarity and modality ------------------------------------------------------------------------
def test_negation(nlp):
    assert has(coded(nlp, "Chile did not send troops to Peru."), "AID", "Chile", "Peru", polarity="negative")
    assert has(
        coded(nlp, "Kenya never attacked Somalia."), "ASSAULT", "Kenya", "Somalia", polarity="negative"
    )


def test_refusing_permission_is_a_ban(nlp):
    text = "Belarus will not allow Polish observers to enter the country."
    events = coded(nlp, text)
    # an announced ban: a threat as PLOVER codes it, the ban its act
    assert any(e[0] == "THREATEN" and e[3] == "positive" and e[4] == "actual" for e in events), events
    assert ("THREATEN", "COERCE") in promised(nlp, text)


def test_rejected_commitment_is_negative(nlp):
    events = coded(nlp, "Zambia reneged on its commitment to Malawi.")
    assert not any(e[0] == "AGREE" and e[3] == "positive" for e in events), events


def test_denial_negates_the_content(nlp):
    events = coded(nlp, "Mexico denied that it had supplied weapons to Venezuela.")
    assert has(events, "AID", "Mexico", "Venezuela", polarity="negative"), events


def test_refusal_negates_the_deed(nlp):
    events = coded(nlp, "Greece refused to release Turkey's fishermen.")
    assert not any(e[0] == "CONCEDE" and e[3] == "positive" for e in events), events
    assert any(e[0] == "REJECT" for e in events), events


@pytest.mark.parametrize(
    "text, type_, source, target, modality",
    [
        ("Germany might impose sanctions on Belarus.", "SANCTION", "Germany", "Belarus", "hypothetical"),
        ("Brazil could attack Paraguay.", "ASSAULT", "Brazil", "Paraguay", "hypothetical"),
        ("If Iran attacks Israel, the region will suffer.", "ASSAULT", "Iran", "Israel", "hypothetical"),
        (
            "Sweden could expel Russian diplomats if the spying continues.",
            "SANCTION",
            "Sweden",
            "Russian diplomats",
            "hypothetical",
        ),
        ("Will Japan provide aid to the Philippines?", "AID", "Japan", "Philippines", "question"),
        ("What is Egypt going to give Sudan in return?", "AID", "Egypt", "Sudan", "question"),
    ],
)
def test_modality(nlp, text, type_, source, target, modality):
    events = coded(nlp, text)
    assert has(events, type_, source, target, modality=modality), events


@pytest.mark.parametrize(
    "text, type_, source, target, act",
    [
        # the noun "aid" names the promised act: one clause, one event, not AGREE and a planned AID beside it
        ("Spain will send aid to Morocco.", "AGREE", "Spain", "Morocco", "AID"),
        ("Italy plans to send troops to Libya.", "AGREE", "Italy", "Libya", "AID"),
        ("Austria is expected to host Slovakia's president next week.", "AGREE", "Austria", "Slovakia",
         "CONSULT"),
        ("Nigeria will withdraw its peacekeepers from Chad unless the fighting stops.", "THREATEN", "Nigeria",
         "Chad", "SANCTION"),
        ("Hungary will not accept refugees from Greece.", "REJECT", "Hungary", "Greece", "AGREE"),
        # a demanded act is the demand's content, as a promised one is a promise's: one event, not two
        ("Chile demanded that Peru withdraw its troops from Bolivia.", "REQUEST", "Chile", "Peru", "RETREAT"),
    ],
)
def test_announced_acts_are_coded_as_plover_codes_them(nlp, text, type_, source, target, act):
    """An announced act told by a verb is an intent that happened: AGREE for cooperation, THREATEN for a
    hostile measure, REJECT for a refusal to cooperate, the announced act kept in ``promised``."""
    events = coded(nlp, text)
    assert has(events, type_, source, target), events  # positive, actual
    assert (type_, act) in promised(nlp, text), promised(nlp, text)
    assert not has(events, act, source, target, modality="planned"), events
    assert [e[0] for e in events].count(act) == 0, events  # nor as a hypothetical event beside it


def test_threat_to_act_is_one_threat(nlp):
    events = coded(nlp, "Russia threatened to attack Georgia.")
    assert has(events, "THREATEN", "Russia", "Georgia"), events
    assert not any(e[0] == "ASSAULT" and e[4] == "actual" for e in events), events


def test_condition_names_the_threatened_party(nlp):
    events = coded(nlp, "Serbia threatened to halt talks if Croatia holds the vote.")
    assert has(events, "THREATEN", "Serbia", "Croatia"), events


# ---- claims, evidence, dedup, dates -----------------------------------------------------------------
@pytest.fixture(scope="module")
def extractor(nlp):
    return Extractor(Settings(event_model="lexicon"), nlp=nlp)


def test_event_in_a_quote_is_attributed_to_its_speaker(extractor):
    text = '"Russia has attacked Ukraine again," Volodymyr Zelensky said on Monday.'
    ex = extractor.extract(ArticleInput(text=text, id="t1"))
    attack = next(e for e in ex.events if e.type == "ASSAULT")
    speaker = ex.actor(attack.attributed_to)
    assert speaker is not None and "Zelensky" in speaker.name
    assert attack.quote and any(q.id == attack.quote for q in ex.quotes)


def test_unquoted_event_is_the_articles(extractor):
    ex = extractor.extract(ArticleInput(text="Norway transferred air defence systems to Ukraine.", id="t2"))
    assert ex.events and ex.events[0].attributed_to is None and ex.events[0].quote is None


def test_every_event_is_fully_specified(extractor):
    text = "Israeli soldiers arrested more than 100 Palestinians in Hebron on Saturday. Japan praised Kenya."
    ex = extractor.extract(ArticleInput(text=text, id="t3", published="2024-06-18"))
    assert [e.id for e in ex.events] == [f"e{k}" for k in range(1, len(ex.events) + 1)]
    for e in ex.events:
        assert text[e.trigger.start : e.trigger.end] == e.trigger.text
        assert text[e.evidence.start : e.evidence.end] == e.evidence.text
        assert e.evidence.start <= e.trigger.start and e.trigger.end <= e.evidence.end
        assert e.cameo and e.quad_class in (1, 2, 3, 4) and e.goldstein is not None and 0 < e.confidence <= 1
    arrest = next(e for e in ex.events if e.type == "COERCE")
    assert arrest.date == "2024-06-15"  # the Saturday before Tuesday 18 June
    assert arrest.location == "Hebron"
    assert arrest.quantities and ex.quantities[0].id == arrest.quantities[0]


def test_act_at_a_known_place_needs_no_target(extractor):
    text = "Kenya's president said he will extend the night curfew in Nairobi after the riots there."
    ex = extractor.extract(ArticleInput(text=text, id="t7"))
    # an announced hostile measure is a threat (PLOVER), the curfew its act; it happens at the stated place
    curfew = [e for e in ex.events if e.type == "THREATEN" and e.promised == "COERCE"]
    assert (
        curfew
        and curfew[0].modality == "actual"
        and curfew[0].location == "Nairobi"
        and curfew[0].location_country == "KEN"
    ), ex.events


def test_relative_dates_resolve_against_publication(extractor):
    text = "Japan criticized China yesterday over the conduct of its coast guard near the disputed islands."
    ex = extractor.extract(ArticleInput(text=text, id="t4", published="2024-03-01"))
    assert ex.events[0].date == "2024-02-29"


def test_same_event_twice_is_one_event(extractor):
    text = "Iran has supplied Russia with drones. Iran has been supplying Russia with drones for months."
    ex = extractor.extract(ArticleInput(text=text, id="t5"))
    aid = [e for e in ex.events if e.type == "AID"]
    assert len(aid) == 1 and len(aid[0].also_evidence) == 1
    assert aid[0].also_evidence[0].text in text


def test_different_events_stay_apart(extractor):
    text = "Iran supplied Russia with drones. Russia attacked Ukraine."
    ex = extractor.extract(ArticleInput(text=text, id="t6"))
    assert sorted(e.type for e in ex.events) == ["AID", "ASSAULT"]


def test_user_lexicon_adds_and_removes_triggers(tmp_path):
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        'groups:\n  - {type: ACCUSE, cameo: "111", verbs: [upbraid]}\n'
        "remove:\n  - {trigger: praise, pos: verb}\n",
        encoding="utf-8",
    )
    nlp = build_pipeline(Settings(trigger_lexicons=(extra,), event_model="lexicon"))
    assert has(coded(nlp, "Chile upbraided Bolivia."), "ACCUSE", "Chile", "Bolivia")
    assert has(coded(nlp, "Chile lauded Bolivia."), "SUPPORT", "Chile", "Bolivia")  # the rest stays
    assert not any(e[0] == "SUPPORT" for e in coded(nlp, "Chile praised Bolivia."))


# ---- attacks by weapons with no one named behind them ----------------------------------------------
@pytest.mark.parametrize(
    "text, target, country",
    [
        ("A car bomb near the town of Tikrit killed four Iraqi policemen.", "Iraqi policemen", "IRQ"),
        ("Two Afghan soldiers were killed by a roadside bomb outside the city of Kandahar.",
         "Afghan soldiers", "AFG"),
        ("Three Nigerian soldiers died after a landmine explosion near Maiduguri.", None, None),
    ],
)
def test_attacks_by_weapons_have_no_named_source_and_keep_their_place(nlp, text, target, country):
    doc = nlp(text)
    table = doc._.ng_actors
    attacks = [e for e in doc._.ng_events if e.type == "ASSAULT"]
    if target is None:  # "died" is no attack verb: nothing to code
        assert attacks == []
        return
    assert len(attacks) == 1
    assert [table.get(a).name for a in attacks[0].target] == [target]
    assert attacks[0].location_country == country
    # PLOVER codes the state where it happened as the source; the extraction says it is implied, and why
    assert [table.get(a).country for a in attacks[0].source] == [country]
    assert [(i.role, i.actor) for i in attacks[0].implied] == [("source", attacks[0].source[0])]


def test_an_attack_by_a_named_actor_still_needs_that_actor(nlp):
    events = coded(nlp, "An explosion rocked the capital on Monday, and Kenyan police arrested two men.")
    assert not any(t == "ASSAULT" and not src for t, src, *_ in events)


def test_a_camp_belongs_to_the_people_it_houses(nlp):
    events = coded(nlp, "A camp for Sudanese refugees was shelled by Chadian rebels on Tuesday.")
    assert has(events, "ASSAULT", "Chadian rebels", "Sudanese refugees")


def test_participle_after_a_passive_is_done_by_its_agent(nlp):
    events = coded(nlp, "The convoy was ambushed by Somali militants, wounding six Kenyan soldiers.")
    assert not any(any("Kenyan" in s for s in src) and t == "ASSAULT" for t, src, *_ in events)


def test_particle_split_from_its_verb_by_the_object(nlp):
    events = coded(nlp, "Uzbekistan forced the British aid agency out of the country in May.")
    assert any(t == "SANCTION" for t, *_ in events), events


def test_renewed_demand_targets_whom_it_is_made_of(nlp):
    events = coded(nlp, "The African Union renewed its demand on Monday that Sudan open the crossings.")
    assert has(events, "REQUEST", "African Union", "Sudan")
    assert not has(events, "CONCEDE", "Sudan", "")  # the demanded act is not a deed
    assert not any(t != "REQUEST" and m == "actual" for t, src, tgt, p, m in events)


def test_measured_nominal_event_takes_the_light_verb(nlp):
    events = coded(nlp, "Indian and Japanese warships began five days of naval exercises off Chennai.")
    coop = [e for e in events if e[0] == "COOPERATE"]
    assert coop and {"Indian warships", "Japanese warships"} <= set(coop[0][1]), events


def test_curfew_with_no_place_falls_on_the_imposers_own_state(nlp):
    events = coded(nlp, "The Malian government lifted the nightly curfew on Monday.")
    assert has(events, "CONCEDE", "Mali", "Mali"), events
    doc = nlp("Israel imposed a curfew in Hebron on Friday.")
    [ev] = [e for e in doc._.ng_events if e.type == "COERCE"]
    assert ev.target == [] and ev.location_country == "PSE"  # a stated place wins


def test_event_coder_shares_the_actor_resolvers_knowledge_base(nlp):
    assert nlp.get_pipe("newsgraph_events").kb is nlp.get_pipe("newsgraph_actors").kb


def test_place_of_a_when_clause_locates_the_act(nlp):
    doc = nlp("Two Chechen gunmen killed nine people when they opened fire in Grozny on Friday.")
    kills = [e for e in doc._.ng_events if e.trigger.text == "killed"]
    assert kills and kills[0].location_country == "RUS"


def test_a_named_person_met_is_the_target_not_the_place_of_the_meeting(nlp):
    # written for the test: the place's country is an actor too, but the meeting is with the person
    events = coded(nlp, "Rebel commanders met Jonas Halvorsen at a hotel in the Norwegian capital on Friday.")
    consult = [(src, tgt) for t, src, tgt, _, _ in events if t == "CONSULT"]
    assert consult and all(tgt == {"Jonas Halvorsen"} for _, tgt in consult), events
