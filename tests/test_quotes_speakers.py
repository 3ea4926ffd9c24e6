"""Who said it: the error classes of issue 12, each with sentences written for these tests.

Speakers across the article (turn-taking, continuation paragraphs, titles and pronouns resolved to the
named person), the body a speaker speaks for, statements against non-statements, speaker texts that name
someone, and speakers linked to the actor table.
"""

from __future__ import annotations

import pytest

from newsgraph.contract import Extraction, Quote


def find(ex: Extraction, needle: str) -> Quote:
    hits = [q for q in ex.quotes if needle in q.text]
    assert hits, f"no quote contains {needle!r}: {[q.text for q in ex.quotes]}"
    return hits[0]


def name(ex: Extraction, actor_id: str | None) -> str:
    actor = ex.actor(actor_id)
    return actor.name if actor else ""


# --- speakers across the article -----------------------------------------------------------------------
def test_a_quotation_after_another_speakers_words_goes_to_the_new_speaker(extract):
    ex = extract("“We will not give up on the rail plan,” the prime minister said on Tuesday.\n\n"
                 "The opposition leader disagreed. “We have made our position clear,” he said.")
    first, second = find(ex, "rail plan"), find(ex, "position clear")
    assert "prime minister" in name(ex, first.speaker)
    assert "opposition leader" in name(ex, second.speaker)
    assert ex.quotes[-1].speaker_text == "he"


def test_an_uncued_paragraph_continues_the_last_speaker_not_the_first(extract):
    ex = extract("“The harbour will reopen in May,” said Harbour Master Ines Varga.\n\n"
                 "“Nobody has told us when,” said Tomas Lind, who runs a ferry company.\n\n"
                 "“We have lost half of our bookings already.”\n")
    assert "Varga" in name(ex, find(ex, "reopen in May").speaker)
    last = find(ex, "half of our bookings")
    assert "Lind" in name(ex, last.speaker)
    assert last.speaker_span is None  # known from the quote before, not named for this one


def test_a_quotation_over_several_paragraphs_is_one_quote_of_one_speaker(extract):
    text = ("Finance Minister Petra Holm defended the budget on Monday.\n\n"
            "“These are hard choices. We did not make them lightly.\n\n"
            "“But the deficit cannot wait another year,” Holm said.\n")
    ex = extract(text)
    q = find(ex, "hard choices")
    assert q.kind == "direct" and len(q.parts) == 2 and "deficit cannot wait" in q.text
    assert "Holm" in name(ex, q.speaker)


def test_a_title_speaker_is_the_office_holder_named_earlier(extract):
    ex = extract("Trade Secretary Jane Holloway visited the port of Dover on Monday to meet exporters.\n\n"
                 "The talks ran late into the evening.\n\n"
                 "“The deal is done, and it is a good one,” the Trade Secretary said.")
    assert name(ex, find(ex, "deal is done").speaker) == "Jane Holloway"


def test_a_former_office_holder_is_the_ex_minister(extract):
    ex = extract("Former defence minister Tom Aldridge criticised the plan on Sunday.\n\n"
                 "“This is a mistake that we will regret,” the ex-minister said.")
    assert name(ex, find(ex, "mistake that we will regret").speaker) == "Tom Aldridge"


def test_a_pronoun_speaker_is_the_person_named_before(extract):
    ex = extract("Mayor Lucia Ferraro opened the new bridge on Saturday. "
                 "She said it would halve travel times.")
    q = find(ex, "halve travel times")
    assert q.speaker_text == "She" and name(ex, q.speaker) == "Lucia Ferraro"


def test_a_relative_pronoun_names_the_speaker_of_its_clause(extract):
    ex = extract("Senator Ana Ruiz, who said the bill would fail, voted against it on Thursday.")
    q = find(ex, "the bill would fail")
    assert q.speaker_text == "who" and name(ex, q.speaker) == "Ana Ruiz"


# --- the body a speaker speaks for ------------------------------------------------------------------------
def test_a_spokesman_speaks_for_the_body_named_in_the_phrase(extract):
    ex = extract("A spokesman for the Ministry of Defence said the exercise would go ahead.")
    q = find(ex, "exercise would go ahead")
    assert "spokesman" in q.speaker_text
    assert "Ministry of Defence" in name(ex, q.speaker_organization)


def test_an_official_speaks_for_the_office_before_the_title(extract):
    ex = extract("“We are monitoring the situation,” a State Department spokesman told reporters.")
    q = find(ex, "monitoring the situation")
    assert "State Department" in name(ex, q.speaker_organization)


def test_a_body_speaking_for_itself_has_no_other_organization(extract):
    ex = extract("The European Commission said the rules would apply from January.")
    q = find(ex, "rules would apply")
    assert "European Commission" in name(ex, q.speaker) and q.speaker_organization != q.speaker


# --- statements and non-statements ------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "The government is seeking to cut the budget by a tenth.",
    "A poll found 60% opposed the plan.",
    "She planned to spend the summer abroad.",
    "The ministry is trying to reach an agreement before the vote.",
    "The figures show that unemployment fell in March.",
    "The council decided to close the library.",
    "The talks seem to have stalled.",
])
def test_intentions_attempts_polls_and_plans_are_not_quotes(extract, text):
    assert extract(text).quotes == []


@pytest.mark.parametrize("text, content", [
    ("The minister said the budget would be cut by a tenth.", "the budget would be cut"),
    ("The union hopes that the talks will resume next week.", "the talks will resume"),
    ("The council warned that the library would close.", "the library would close"),
])
def test_statements_stay_quotes(extract, text, content):
    assert find(extract(text), content).speaker is not None


# --- speaker texts that name someone --------------------------------------------------------------------
def test_one_of_them_is_said_by_them(extract):
    ex = extract("Several protesters gathered outside the court. "
                 "“We are not going anywhere,” one of them said.")
    q = find(ex, "not going anywhere")
    assert q.speaker_text == "them" and "protesters" in name(ex, q.speaker)


@pytest.mark.parametrize("text", [
    "Several protesters gathered outside the court. “We are not going anywhere,” one said.",
    "Two men were arrested. “It was a mistake,” one told the court on Monday.",
    "The votes were counted twice. 2 said the count was wrong.",
    "“The count was wrong” - said the observers' report.",
])
def test_speaker_text_is_never_a_numeral_one_or_punctuation(extract, text):
    for q in extract(text).quotes:
        if q.speaker_text is not None:
            assert any(ch.isalpha() for ch in q.speaker_text), q
            assert q.speaker_text.lower() != "one" and not q.speaker_text.strip().isdigit(), q


def test_speaker_token_rules(extractor):
    from newsgraph.extract.quote_frames import speaker_token

    doc = extractor.nlp.make_doc("one of the officials - 12 most of them Smith")
    for component in ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"):
        doc = extractor.nlp.get_pipe(component)(doc)
    assert speaker_token(doc[4]) is None  # "-"
    assert speaker_token(doc[5]) is None  # "12"
    assert speaker_token(doc[9]).text == "Smith"


# --- speakers linked to the actor table -------------------------------------------------------------------
def test_an_actor_named_as_speaker_is_linked(extract):
    ex = extract("Acme Corporation lost its case in the High Court on Friday. "
                 "Acme said it would appeal the ruling.")
    q = find(ex, "appeal the ruling")
    assert q.speaker is not None and "Acme" in name(ex, q.speaker)
    assert q.speaker_text == "Acme"


def test_every_speaker_span_that_covers_an_actor_mention_is_linked(extract):
    ex = extract("Globex Industries rejected the offer. Globex said the bid undervalued the company, and "
                 "the chief executive of Globex told staff that no jobs would go.")
    for q in ex.quotes:
        assert q.speaker is not None, q


# --- quotations introduced or signed outside a reporting verb (sentences written for these tests) ---------
def test_a_quotation_signed_with_a_dash_is_said_by_the_name_after_it(extract):
    signed = (("\u201cThe plan will not survive.\u201d\n\n\u2013 Ruth Calloway, Leeds.", "Ruth Calloway"),
              ("\"We are not going anywhere.\"\n\n-Tomas Brandt, tweeting after the vote.", "Tomas Brandt"))
    for text, who in signed:
        [q] = [q for q in extract(text).quotes if q.kind == "direct"]
        assert q.speaker_text == who, (text, q)
        assert q.cue is None  # a dash is no reporting word
    # a dash that starts a sentence of the article signs nothing
    ex = extract("\u201cWe will win,\u201d the mayor said.\n\n\u2013 The count ended at midnight.")
    assert [q.speaker_text for q in ex.quotes] == ["mayor"]


def test_a_reporting_sentence_right_before_a_quotation_introduces_it(extract):
    ex = extract("Ana Ruiz said in a statement on Friday. \u201cThere are no ballots to recount.\u201d")
    [q] = ex.quotes
    assert (q.kind, q.speaker_text, q.cue) == ("direct", "Ana Ruiz", "said")


def test_a_colon_after_a_clause_with_a_subject_introduces_the_quotation(extract):
    ex = extract("The senator paid her rival a back-handed compliment: \u201cYou never have to guess where "
                 "he stands.\u201d")
    [q] = ex.quotes
    assert q.speaker_text == "senator" and q.cue == "paid"
