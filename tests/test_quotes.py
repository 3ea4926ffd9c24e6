"""newsgraph_quotes end to end: direct, partial and indirect quotes with speakers, cues and addressees.

Every sentence here was written for these tests.
"""

from __future__ import annotations

import pytest

from newsgraph.contract import Extraction, Quote


def speaker_name(ex: Extraction, q: Quote) -> str:
    actor = ex.actor(q.speaker)
    return actor.name if actor else ""


def find(ex: Extraction, needle: str) -> Quote:
    hits = [q for q in ex.quotes if needle in q.text]
    assert hits, f"no quote contains {needle!r}: {[q.text for q in ex.quotes]}"
    return hits[0]


DIRECT = (
    "Paris Mayor Anne Hidalgo said on Friday that the city would close two bridges for repairs.\n\n"
    "“We will rebuild the bridge before the summer. Nobody will be left without a crossing,” "
    "Hidalgo said.\n\n"
    "“The work starts Monday,” she told reporters. “It will take six weeks.”\n\n"
    "“We have waited too long for this.\n\n"
    "“Now the money is there,” she added.\n\n"
    "“Why now?” asked Pierre Martin, a local shopkeeper.\n\n"
    "“Never,” Martin replied.\n"
)


@pytest.fixture(scope="module")
def direct(extract) -> Extraction:
    return extract(DIRECT)


def test_multi_sentence_direct_quote_with_named_speaker(direct):
    q = find(direct, "We will rebuild")
    assert q.kind == "direct"
    assert q.text == "We will rebuild the bridge before the summer. Nobody will be left without a crossing,"
    assert DIRECT[q.start:q.end] == q.text
    assert "Hidalgo" in speaker_name(direct, q)
    assert q.cue == "said"
    assert DIRECT[q.speaker_span.start:q.speaker_span.end] == "Hidalgo"
    assert DIRECT[q.cue_span.start:q.cue_span.end] == "said"
    assert DIRECT[q.sentence.start:q.sentence.end].endswith("Hidalgo said.")
    assert DIRECT[q.sentence.start:q.sentence.end].startswith("“We will rebuild")  # both sentences of it


def test_split_quote_is_one_quote_with_two_parts(direct):
    q = find(direct, "The work starts Monday")
    assert q.kind == "direct"
    assert [DIRECT[p.start:p.end] for p in q.parts] == ["The work starts Monday,", "It will take six weeks."]
    assert "Hidalgo" in speaker_name(direct, q)
    assert DIRECT[q.speaker_span.start:q.speaker_span.end] == "she"  # where the speaker is named here
    assert q.cue == "told"
    assert not any("six weeks" in other.text for other in direct.quotes if other.id != q.id)


def test_quote_continued_in_next_paragraph(direct):
    q = find(direct, "We have waited too long")
    assert len(q.parts) == 2
    assert DIRECT[q.parts[1].start:q.parts[1].end] == "Now the money is there,"
    assert "Hidalgo" in speaker_name(direct, q)
    assert q.cue == "added"


def test_question_and_one_word_quotes(direct):
    question = find(direct, "Why now?")
    assert question.text == "Why now?" and question.cue == "asked"
    assert "Martin" in speaker_name(direct, question)
    one = find(direct, "Never")
    assert one.text == "Never," and one.kind == "direct" and "Martin" in speaker_name(direct, one)


def test_ids_in_text_order(direct):
    assert [q.id for q in direct.quotes] == [f"q{i}" for i in range(1, len(direct.quotes) + 1)]
    assert [q.start for q in direct.quotes] == sorted(q.start for q in direct.quotes)
    assert direct.quotes[0].kind == "indirect" and direct.quotes[0].text.startswith("the city would close")


def test_partial_quotes_take_the_subject_of_the_governing_verb(extract):
    text = ("Defence Minister Boris Pistorius called the report “deeply flawed” and praised Poland as a "
            "“reliable and steadfast partner” on Tuesday.")
    ex = extract(text)
    flawed = find(ex, "deeply flawed")
    assert flawed.kind == "partial" and flawed.text == "deeply flawed" and flawed.cue == "called"
    assert "Pistorius" in speaker_name(ex, flawed)
    partner = find(ex, "reliable and steadfast")
    assert partner.kind == "partial" and partner.cue == "praised"
    assert "Pistorius" in speaker_name(ex, partner)
    assert [ex.actor(a).country for a in partner.about] == ["POL"]  # the praised, not only the quoted words
    assert len(ex.quotes) == 2  # no indirect duplicate of the same statement


def test_partial_quote_of_a_metonym_speaker(extract):
    text = "Downing Street has promised a “swift and thorough” inquiry into the leak."
    ex = extract(text)
    q = find(ex, "swift and thorough")
    assert q.kind == "partial" and q.cue == "promised"
    assert q.speaker_text == "Downing Street"
    assert text[q.speaker_span.start:q.speaker_span.end] == "Downing Street"


def test_highlighted_partial_quote(extract):
    ex = extract("Senator Maria Cantwell highlighted the company’s “reckless” cost cutting in a hearing.")
    q = find(ex, "reckless")
    assert q.kind == "partial" and q.cue == "highlighted" and "Cantwell" in speaker_name(ex, q)


def test_indirect_speech_with_that_clause_and_addressee(extract):
    text = "Chancellor Olaf Scholz informed the Bundestag that Germany would send more air defence systems."
    ex = extract(text)
    q = find(ex, "Germany would send")
    assert q.kind == "indirect"
    assert q.text == "Germany would send more air defence systems"
    assert q.cue == "informed" and "Scholz" in speaker_name(ex, q)
    assert q.addressee is not None and "Bundestag" in ex.actor(q.addressee).name
    assert any("Germany" in ex.actor(a).name or ex.actor(a).country == "DEU" for a in q.about)


def test_told_reporters_and_warned(extract):
    text = ("Prime Minister Keir Starmer told reporters that talks would continue. "
            "He warned that Britain would not accept further delays.")
    ex = extract(text)
    told = find(ex, "talks would continue")
    assert told.cue == "told" and "Starmer" in speaker_name(ex, told)
    warned = find(ex, "Britain would not accept")
    assert warned.cue == "warned" and "Starmer" in speaker_name(ex, warned)
    assert text[warned.speaker_span.start:warned.speaker_span.end] == "He"


def test_reporting_noun_with_possessor_and_addressee(extract):
    text = ("Despite Vladimir Putin's assurances to Emmanuel Macron that Russia would not invade, "
            "the troops crossed the border.")
    ex = extract(text)
    q = find(ex, "Russia would not invade")
    assert q.kind == "indirect" and q.cue == "assurances"
    assert "Putin" in speaker_name(ex, q)
    assert q.addressee is not None and "Macron" in ex.actor(q.addressee).name


def test_possessive_claim(extract):
    ex = extract("Officials dismissed Viktor Orban's claim that the sanctions had failed.")
    claim = [q for q in ex.quotes if q.cue == "claim"]
    assert len(claim) == 1 and claim[0].text == "the sanctions had failed"
    assert claim[0].speaker is not None and claim[0].speaker_text == "Viktor Orban"
    # the officials' dismissal is a statement of its own, about Orban's claim
    dismissal = [q for q in ex.quotes if q.cue == "dismissed"]
    assert dismissal and dismissal[0].speaker_text == "Officials"


def test_according_to_at_start_and_end(extract):
    text = ("According to a Foreign Ministry spokesman, the talks will resume in Geneva next week.\n\n"
            "The ceasefire has largely held, according to Antonio Guterres.")
    ex = extract(text)
    start = find(ex, "talks will resume")
    assert start.text == "the talks will resume in Geneva next week" and start.cue == "According to"
    assert start.speaker is not None and "spokesman" in (ex.actor(start.speaker).role or "")
    end = find(ex, "ceasefire has largely held")
    assert end.text == "The ceasefire has largely held" and "Guterres" in speaker_name(ex, end)


@pytest.mark.parametrize("sentence, cue, content", [
    ("Joe Biden underscored Japan’s growing role in regional security during the visit.", "underscored",
     "Japan’s growing role in regional security"),
    ("Fumio Kishida expressed gratitude for America’s steady support of Japan.", "expressed",
     "gratitude for America’s steady support of Japan"),
    ("Olaf Scholz criticized Hungary’s decision to block the aid package.", "criticized",
     "Hungary’s decision to block the aid package"),
    ("Emmanuel Macron emphasized the need for a common European defence.", "emphasized",
     "the need for a common European defence"),
])
def test_attitude_cues_are_statements(extract, sentence, cue, content):
    ex = extract(sentence)
    q = find(ex, content)
    assert q.kind == "indirect" and q.cue == cue and q.text == content
    assert q.speaker_text and q.speaker_text.split()[-1] in sentence.split()[1]


def test_title_only_speaker_becomes_an_actor(extract):
    ex = extract("A Foreign Ministry spokesman said that Beijing opposed the sanctions. "
                 "The spokesman added that no date had been set for new talks.")
    q = find(ex, "Beijing opposed")
    actor = ex.actor(q.speaker)
    assert actor is not None and actor.kind == "person" and "spokesman" in (actor.role or "")
    assert find(ex, "no date had been set").speaker == q.speaker  # one actor, not one per mention


def test_pronoun_speaker_without_antecedent_keeps_text(extract):
    text = "They said the border would stay closed."
    ex = extract(text)
    q = find(ex, "the border would stay closed")
    assert q.speaker_text == "They"
    assert text[q.speaker_span.start:q.speaker_span.end] == "They"


def test_unbalanced_marks_cost_only_the_broken_quote(extract):
    text = ("In a statement, the nurses’ union said its members were “exhausted beyond words.\n\n"
            "“We will strike on Monday,” union leader Pat Cullen said.\n\n"
            "“Nobody wants this,” she added.")
    ex = extract(text)
    strike = find(ex, "We will strike on Monday")
    assert strike.kind == "direct" and "Cullen" in speaker_name(ex, strike)
    nobody = find(ex, "Nobody wants this")
    assert nobody.kind == "direct" and "Cullen" in speaker_name(ex, nobody)
    assert not any("exhausted beyond words" in q.text and q.kind != "indirect" for q in ex.quotes)
    assert any(w.code == "quote-marks" for w in ex.warnings)


def test_apostrophes_do_not_open_quotes(extract):
    text = ("The Kremlin’s envoy didn’t comment on the ’90s agreements. "
            "“We don’t negotiate in public,” Dmitry Peskov said.")
    ex = extract(text)
    direct = [q for q in ex.quotes if q.kind != "indirect"]
    assert [q.text for q in direct] == ["We don’t negotiate in public,"]
    assert "Peskov" in speaker_name(ex, direct[0])


def test_scare_quotes_are_not_statements(extract):
    ex = extract("Companies that use the ‘made in Europe’ label face new rules from May.")
    assert ex.quotes == []


def test_colon_cue_and_new_statement_after_a_quote(extract):
    text = ("Angela Rayner told a crowd in Leeds: “We are stronger together.” She said the plan would "
            "“wreck the economy.”")
    ex = extract(text)
    together = find(ex, "We are stronger together")
    assert together.kind == "direct" and together.cue == "told" and "Rayner" in together.speaker_text
    wreck = find(ex, "wreck the economy")
    assert wreck.kind == "partial" and wreck.cue == "said"
    assert text[wreck.speaker_span.start:wreck.speaker_span.end] == "She"


def test_headline_is_not_taken_for_the_subject_or_a_statement(extract):
    text = ("Union Says ‘Enough Is Enough’ Over Pay\n\n"
            "LONDON — The Royal College of Nursing said in a statement on Monday that nurses would strike "
            "in June.\n")
    ex = extract(text)
    assert not any("Enough" in q.text for q in ex.quotes)
    q = find(ex, "nurses would strike in June")
    assert q.cue == "said" and "Royal College of Nursing" in q.speaker_text


def test_quoted_titles_and_refusals_are_not_statements(extract):
    text = ("The senator spoke to NBC’s “Meet the Press” on Sunday. Her spokesman declined to comment "
            "on the report. The ministry did not say when the talks would resume. Asked whether he would "
            "resign, the minister said he had the full support of the cabinet.")
    ex = extract(text)
    assert not any("Meet the Press" in q.text or "the report" == q.text for q in ex.quotes)
    assert not any("talks would resume" in q.text for q in ex.quotes)
    asked = [q for q in ex.quotes if q.cue == "Asked"]
    assert all(q.speaker is None for q in asked) and not [q for q in asked if q.speaker_text]
    said = find(ex, "full support of the cabinet")
    assert said.cue == "said" and "minister" in said.speaker_text


def test_nested_statement_of_the_same_speaker_is_not_repeated(extract):
    text = ("Senator Amy Klobuchar said she believes the bill will pass, adding that talks would go on. "
            "Officials rejected Elon Musk's claim that the agency had wasted billions.")
    ex = extract(text)
    said = find(ex, "she believes the bill will pass")
    assert said.cue == "said" and said.text == "she believes the bill will pass"
    assert not any(q.cue == "believes" for q in ex.quotes)
    adding = find(ex, "talks would go on")
    assert adding.cue == "adding" and "Klobuchar" in speaker_name(ex, adding)
    # someone else's statement inside a statement stays: it says who claimed what
    assert [q.text for q in ex.quotes if q.cue == "claim"] == ["the agency had wasted billions"]


def test_uncued_quote_keeps_the_speaker_but_names_nobody(extract):
    text = ("“We will appeal,” said Letitia James, the state attorney general.\n\n"
            "“This ruling will not stand.”\n")
    ex = extract(text)
    first, second = find(ex, "We will appeal"), find(ex, "This ruling will not stand")
    assert second.speaker == first.speaker and first.speaker is not None
    assert second.speaker_span is None and second.cue is None and second.confidence <= 0.6


def test_according_to_and_reported_wishes_are_one_statement(extract):
    ex = extract("Most voters want lower taxes, according to the governor. "
                 "Officials said residents hope to return home by the spring.")
    assert [(q.cue, q.text) for q in ex.quotes] == [
        ("according to", "Most voters want lower taxes"),
        ("said", "residents hope to return home by the spring"),
    ]


@pytest.mark.parametrize("text", [
    "", "“", "”", '""', "“”", "\n\n", "said", "“a", "a”", "‘", "He said: “", "according to",
    "“One,” “two,” “three” she said he said “four",
    "' ' ’ ‘ \" “ ” said told warned according to that\n“\n”",
])
def test_stray_marks_never_break_extraction(extractor, text):
    doc = extractor.nlp(text)
    for q in doc._.ng_quotes:
        assert 0 <= q.start <= q.end <= len(text)
        assert all(text[p.start:p.end] for p in q.parts)
        if q.speaker_span is not None:
            assert 0 <= q.speaker_span.start < q.speaker_span.end <= len(text)


def test_wire_copy_constructions(extract):
    text = ("Kenya Warns of Flood Risk\n\n"
            "NAIROBI (AP) — The interior ministry warned on Monday that rivers would burst their banks, "
            "state media reported.\n\n"
            "The Nation newspaper quoted a senior police officer as saying that roads had been closed.\n\n"
            "President William Ruto vowed that the government would respond “within hours, not days.”\n\n"
            "The African Union expressed “deep concern” over the flooding and called for calm.\n")
    ex = extract(text)
    reported = find(ex, "rivers would burst")
    assert reported.cue == "reported" and not reported.text.startswith("NAIROBI")
    assert reported.text.startswith("The interior ministry warned")
    saying = find(ex, "roads had been closed")
    assert saying.cue == "saying" and "officer" in saying.speaker_text
    within = find(ex, "within hours")
    assert within.kind == "partial" and within.cue == "vowed" and "Ruto" in within.speaker_text
    concern = find(ex, "deep concern")
    assert concern.kind == "partial" and concern.cue == "expressed"
    assert "African Union" in concern.speaker_text


def test_reported_content_running_on_into_a_quotation_is_one_statement(extract):
    text = ("The spokeswoman also said that the group was not tied to any party, “we see ourselves as part "
            "of a wider movement.”\n\nPeter Dutton said the plan would work, “if we stay the course.”\n")
    ex = extract(text)
    first = find(ex, "the group was not tied to any party")
    assert first.kind == "indirect" and len(first.parts) == 2
    assert text[first.parts[1].start:first.parts[1].end] == "we see ourselves as part of a wider movement."
    second = find(ex, "the plan would work")
    assert second.kind == "indirect" and "if we stay the course" in second.text
    assert len(ex.quotes) == 2


def test_according_to_plan_is_no_source(extract):
    ex = extract("The launch went according to plan, officials said.")
    assert [(q.cue, q.text) for q in ex.quotes] == [("said", "The launch went according to plan")]


def test_colon_ties_a_quotation_to_the_paragraph_before(extract):
    ex = extract("Talks Collapse in Geneva\n\nThe foreign minister said:\n\n“We will not give up. Never.”\n")
    q = find(ex, "We will not give up")
    assert q.kind == "direct" and q.cue == "said" and "minister" in q.speaker_text


def test_a_request_reports_what_was_asked_not_whom(extract):
    ex = extract("The senator asked the committee to delay the vote.")
    [q] = ex.quotes
    assert (q.kind, q.cue, q.text) == ("indirect", "asked", "to delay the vote")
    assert q.speaker_text == "senator"
