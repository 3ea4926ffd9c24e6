"""Texts longer than one Doc: the part planner, and extraction in parts with offsets into the whole text."""

from __future__ import annotations

import pytest

from newsgraph.config import Settings
from newsgraph.contract import Extraction
from newsgraph.extract.chunks import plan_chunks
from newsgraph.extract.pipeline import Extractor
from newsgraph.ingest.readers import ArticleInput

PARAGRAPHS = [
    "Chile and Peru signed a fishing agreement in Lima on Monday, the two foreign ministries said.",
    "Kenya sent troops to Haiti on Tuesday to support the local police, the government in Nairobi said.",
    "Canada criticised Mexico on Friday over new tariffs on steel imports, officials in Ottawa said.",
    "\u201cWe will not accept these measures,\u201d Canadian Trade Minister Mary Ng told reporters.",
    "Japan pledged aid to the Philippines after the typhoon, the foreign ministry in Tokyo said.",
]


def assert_spans_match(ex: Extraction, text: str) -> int:
    """Every span of the extraction is ``text[start:end]``; returns how many were checked."""
    n = 0
    for actor in ex.actors:
        for m in actor.mentions:
            assert text[m.start:m.end] == m.text, (actor.name, m)
            n += 1
    for q in ex.quotes:
        if not q.parts:
            assert text[q.start:q.end] == q.text, q
        for span in [*q.parts, q.speaker_span, q.cue_span, q.sentence]:
            if span is not None:
                assert 0 <= span.start <= span.end <= len(text), (q.id, span)
        n += 1
    for e in ex.events:
        for span in [e.trigger, e.evidence, *e.also_evidence]:
            assert text[span.start:span.end] == span.text, (e.id, span)
            n += 1
    for qty in ex.quantities:
        assert text[qty.start:qty.end] == qty.text, qty
        n += 1
    return n


def assert_references_resolve(ex: Extraction) -> None:
    actors, quotes, qtys = {a.id for a in ex.actors}, {q.id for q in ex.quotes}, {q.id for q in ex.quantities}
    assert len(actors) == len(ex.actors) and len(quotes) == len(ex.quotes)
    assert len({e.id for e in ex.events}) == len(ex.events)
    for a in ex.actors:
        assert a.organization is None or a.organization in actors
    for q in ex.quotes:
        assert {q.speaker, q.addressee} - {None} <= actors and set(q.about) <= actors
    for e in ex.events:
        assert set(e.source) | set(e.target) | ({e.attributed_to} - {None}) <= actors
        assert e.quote is None or e.quote in quotes
        assert set(e.quantities) <= qtys


# -- the planner ---------------------------------------------------------------------------------------


def _check_plan(text: str, limit: int) -> list[tuple[int, int]]:
    parts = plan_chunks(text, limit)
    assert parts[0][0] == 0 and parts[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(parts, parts[1:], strict=False))  # contiguous, no gap or overlap
    assert all(0 < end - start <= limit for start, end in parts) or text == ""
    return parts


def test_parts_end_at_paragraph_breaks():
    text = "\n\n".join(PARAGRAPHS * 6)
    parts = _check_plan(text, 400)
    assert len(parts) > 3
    for _start, end in parts[:-1]:
        assert text[end - 2:end] == "\n\n" and text[end] != "\n"  # the next part starts a paragraph


def test_a_single_line_is_cut_at_sentence_ends_then_white_space_then_anywhere():
    line = " ".join(PARAGRAPHS * 6)
    for start, end in _check_plan(line, 500)[:-1]:
        assert line[end - 2:end] == ". " or line[end - 1] == " "
        assert line[start:end].rstrip().endswith(".")
    words = " ".join(["word"] * 500)
    assert all(words[end - 1] == " " for _s, end in _check_plan(words, 333)[:-1])
    blob = "x" * 2_000
    assert _check_plan(blob, 300) == [(i, min(i + 300, 2_000)) for i in range(0, 2_000, 300)]


def test_a_late_paragraph_break_wins_over_an_early_one():
    text = "A" * 10 + "\n\n" + "B" * 900 + ". " + "C" * 50 + "\n" + "D" * 500
    assert plan_chunks(text, 1000)[0] == (0, 965)  # the late line break, not the early blank line


def test_short_text_is_one_part_and_the_limit_must_be_positive():
    assert plan_chunks("Short.", 100) == [(0, 6)]
    assert plan_chunks("", 100) == [(0, 0)]
    with pytest.raises(ValueError):
        plan_chunks("x", 0)


# -- extraction in parts -------------------------------------------------------------------------------


def test_seed_article_in_parts_keeps_offsets_and_events(extractor, seed_text):
    whole = extractor.extract(ArticleInput(text=seed_text, id="seed"))
    in_parts = Extractor(Settings(chunk_chars=1200), nlp=extractor.nlp)
    parted = in_parts.extract(ArticleInput(text=seed_text, id="seed"))
    assert assert_spans_match(parted, seed_text) > 50
    assert_references_resolve(parted)
    assert [w.code for w in parted.warnings] == ["long-text"] and "parts" in parted.warnings[0].message
    # Paragraph breaks end sentences anyway: the events are the same, found in the same places.
    assert sorted((e.type, e.evidence.start) for e in parted.events) == sorted(
        (e.type, e.evidence.start) for e in whole.events)
    assert parted.article == whole.article
    # An actor named in several parts is one actor with all its mentions.
    keys = [(a.kind, a.code, a.name) for a in parted.actors]
    assert len(keys) == len(set(keys))
    by_name = {a.name: a for a in parted.actors}
    whole_by_name = {a.name: a for a in whole.actors}
    for name in ("Russia", "China", "North Korea", "Ukraine"):
        assert {(m.start, m.end) for m in whole_by_name[name].mentions} <= {
            (m.start, m.end) for m in by_name[name].mentions}


def test_text_over_the_models_length_limit_is_extracted_not_refused(extractor):
    """spaCy raised E088 for a text over nlp.max_length and the whole batch stopped."""
    closing = "Norway signed a trade agreement with Iceland in Oslo on Sunday, the Norwegian government said."
    text = "\n\n".join([*PARAGRAPHS * 40, closing])  # about 18,900 characters
    small_limit = Extractor(Settings(), nlp=extractor.nlp)
    saved = extractor.nlp.max_length
    extractor.nlp.max_length = 5_000
    try:
        results = list(small_limit.extract_many([ArticleInput(text=text, id="long"),
                                                 ArticleInput(text=PARAGRAPHS[0], id="short")]))
    finally:
        extractor.nlp.max_length = saved
    long, short = results
    assert small_limit.settings.chunk_chars > 5_000  # the model's limit, not the setting, cut the text here
    assert [w.code for w in long.warnings] == ["long-text"]
    assert f"{len(text):,} characters" in long.warnings[0].message
    assert assert_spans_match(long, text) > 100
    assert_references_resolve(long)
    agree = [e for e in long.events if e.evidence.text.startswith("Norway signed")]
    assert agree and {e.evidence.start for e in agree} == {text.index(closing)}  # in the last part
    assert len({a.name for a in long.actors}) == len(long.actors)
    assert short.article.id == "short" and not short.warnings and short.events


def test_batches_hold_at_most_two_parts_worth_of_characters(extractor, monkeypatch):
    """The model's memory grows with a batch's characters: a long text's parts are not piped all at once."""
    in_parts = Extractor(Settings(chunk_chars=1500), nlp=extractor.nlp)
    batches: list[int] = []
    real_pipe = extractor.nlp.pipe

    def counting_pipe(items, **kwargs):
        if kwargs.get("as_tuples"):  # the extractor's batches (components may pipe patterns too)
            items = list(items)
            batches.append(sum(len(doc.text) for doc, _ctx in items))
        return real_pipe(items, **kwargs)

    monkeypatch.setattr(extractor.nlp, "pipe", counting_pipe)
    texts = ["\n\n".join(PARAGRAPHS * 8), PARAGRAPHS[0], PARAGRAPHS[1], "\n\n".join(PARAGRAPHS * 3)]
    results = list(in_parts.extract_many([ArticleInput(text=t, id=f"t{i}") for i, t in enumerate(texts)]))
    monkeypatch.undo()
    assert [r.article.id for r in results] == ["t0", "t1", "t2", "t3"]
    assert len(batches) >= 2 and max(batches) <= 3000  # one batch would have held all 5,400
    assert sum(batches) == sum(len(t) for t in texts)
    for r, t in zip(results, texts, strict=True):
        assert_spans_match(r, t)
