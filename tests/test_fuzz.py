"""Property-based fuzzing: the readers, quote-mark pairing and the extractor never raise on odd input, and
every evidence span of an extraction is the text at its offsets.

A bounded run is part of the suite; ``scripts/fuzz.sh`` runs many more examples
(``NEWSGRAPH_FUZZ_EXAMPLES``). Inputs are real sentences (the bundled examples and sentences written here)
mutated with stray and mixed quotation marks, control and invisible characters, very long tokens and other
scripts.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph.config import Settings
from newsgraph.extract.quote_marks import find_quotes
from newsgraph.ingest.readers import ArticleInput, InputProblem, iter_inputs

EXAMPLES = int(os.environ.get("NEWSGRAPH_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize="NEWSGRAPH_FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
REPO = Path(__file__).resolve().parents[1]

SENTENCES = [
    "Germany pledged air defence systems to Ukraine on Monday, the defence ministry in Berlin said.",
    "\u201cWe will stand with Ukraine for as long as it takes,\u201d Chancellor Olaf Scholz said.",
    "Russia struck the port of Odesa with drones overnight, killing three people, officials said.",
    "France may impose new sanctions on Russia, President Emmanuel Macron told reporters in Paris.",
    "\u201cThese attacks are unacceptable,\u201d he said. \u201cWe will respond.\u201d",
    "The talks, mediated by Qatar and Egypt, ended without an agreement, according to a Hamas official.",
    "Kenya sent 400 police officers to Haiti, where gangs control most of the capital.",
    "\u2018It is not over,\u2019 the minister said of the \u2018so-called\u2019 ceasefire.",
    "North Korea fired a ballistic missile into the sea on Tuesday, South Korea's military said.",
]
SENTENCES += [p for p in (REPO / "examples" / "ceasefire-talks.txt").read_text(encoding="utf-8").split("\n\n")
              if len(p) > 40][:6]

QUOTE_MARKS = "\"'\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019`\u201a\u2039\u203a"
ODD_CHARACTERS = [chr(c) for c in range(32) if c not in (9, 10)] + [
    "\x7f", "\u0085", "\u00a0", "\u00ad", "\u200b", "\u200d", "\u200e", "\u200f", "\u2028", "\u2029",
    "\u202e", "\ufeff", "\ufffd", "\ufffe", "\U0001f600", "e\u0301", "\u0301", "\ud7ff"]
OTHER_SCRIPTS = ["\u041c\u043e\u0441\u043a\u0432\u0430", "\u5317\u4eac\u5e02",
                 "\u0627\u0644\u0642\u0627\u0647\u0631\u0629",
                 "\u0391\u03b8\u03ae\u03bd\u03b1", "\u05d9\u05e8\u05d5\u05e9\u05dc\u05d9\u05dd",
                 "\u0939\u093f\u0928\u094d\u0926\u0940", "\U0001f1fa\U0001f1e6", "\uff26\uff55\uff4c\uff4c",
                 "\U0001d400\U0001d401"]
long_tokens = st.builds(lambda ch, n: ch * n, st.sampled_from(["a", "x-", "9", "_", "/", "\u00e9", "\u4e2d"]),
                        st.integers(200, 3000))
insertions = st.one_of(st.sampled_from(list(QUOTE_MARKS)), st.sampled_from(ODD_CHARACTERS),
                       st.sampled_from(OTHER_SCRIPTS), long_tokens,
                       st.sampled_from(["\n", "\n\n", "  ", "\t"]), st.text(max_size=8))


@st.composite
def mutated_texts(draw: st.DrawFn) -> str:
    """A few real sentences with insertions at random places and, sometimes, a stretch cut out."""
    text = " ".join(draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=4)))
    for _ in range(draw(st.integers(0, 8))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(insertions) + text[at:]
    if draw(st.booleans()):
        a = draw(st.integers(0, len(text)))
        b = draw(st.integers(a, min(len(text), a + 40)))
        text = text[:a] + text[b:]
    return text


def assert_evidence_matches(ex, text: str) -> None:
    for actor in ex.actors:
        for m in actor.mentions:
            assert text[m.start:m.end] == m.text, (actor.name, m)
    for q in ex.quotes:
        assert 0 <= q.start <= q.end <= len(text)
        if not q.parts:
            assert text[q.start:q.end] == q.text, q
        else:  # a split quote's text is its parts joined
            assert all(0 <= p.start <= p.end <= len(text) for p in q.parts), q
            assert q.text == " ".join(text[p.start:p.end] for p in q.parts), q
        for span in (q.speaker_span, q.cue_span, q.sentence):
            assert span is None or 0 <= span.start <= span.end <= len(text), q
        if q.speaker_span is not None and q.speaker_text is not None:
            assert text[q.speaker_span.start:q.speaker_span.end] == q.speaker_text, q
    for e in ex.events:
        for span in (e.trigger, e.evidence, *e.also_evidence):
            assert text[span.start:span.end] == span.text, (e.id, span)
    for qty in ex.quantities:
        assert text[qty.start:qty.end] == qty.text, qty


# -- readers -------------------------------------------------------------------------------------------


def _read(data: bytes, settings_: Settings | None = None) -> list[ArticleInput | InputProblem]:
    items = list(iter_inputs(["-"], settings_ or Settings(max_input_bytes=200_000), stdin=io.BytesIO(data)))
    assert items, "every input gives an article or a problem"
    for item in items:
        assert isinstance(item, ArticleInput | InputProblem)
        if isinstance(item, ArticleInput):
            assert item.text.strip()
        else:
            assert item.message and item.origin.startswith("<stdin>")
    return items


@FUZZ
@given(st.binary(max_size=3000))
def test_text_reader_takes_any_bytes(data):
    _read(data)


@FUZZ
@given(mutated_texts(), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]))
def test_text_reader_takes_mutated_text_in_any_encoding(text, encoding):
    _read(text.encode(encoding, errors="replace"))


_TAGS = ["<html>", "</html>", "<body>", "<article>", "</article>", "<p>", "</p>", "<h1>", "</h1>", "<div>",
         "<script>", "</script>", "<style>", "<!--", "-->", "<![CDATA[", "]]>", "<meta charset='x'>", "&amp;",
         "&#0;", "&#x110000;", "&nosuch;", "<", ">", "<p class=\"a", "<title>", "</title>",
         "<svg><foreignObject>", "<table><tr><td>", "<br/>", "<?xml version='1.0'?>", "<!DOCTYPE html>"]


@FUZZ
@given(st.lists(st.one_of(st.sampled_from(_TAGS), mutated_texts()), min_size=1, max_size=14))
def test_html_reader_never_raises(pieces):
    page = "<!doctype html>" + "".join(pieces)
    for item in _read(page.encode("utf-8", errors="replace")):
        if isinstance(item, InputProblem):
            assert item.code in ("no-article", "bad-input", "encoding", "empty", "binary"), item


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=6), kids, max_size=3),
    max_leaves=8)
_records = st.fixed_dictionaries({}, optional={
    "id": _json_values, "text": st.one_of(mutated_texts(), _json_values), "html": _json_values,
    "title": _json_values, "published": st.one_of(st.text(max_size=12), _json_values), "url": _json_values,
    "source": _json_values})


@FUZZ
@given(st.lists(st.one_of(_records.map(json.dumps), st.text(max_size=40), _json_values.map(json.dumps)),
                min_size=1, max_size=8))
def test_jsonl_reader_gives_one_result_per_line(lines):
    items = _read(("\n".join(lines) + "\n").encode("utf-8", errors="replace"))
    non_empty = [ln for ln in lines if ln.strip()]
    if non_empty and not "\n".join(lines).strip().startswith(("[", "{")):
        assert len(items) >= 1
    for item in items:
        if isinstance(item, ArticleInput):
            assert isinstance(item.text, str) and all(isinstance(getattr(item, k), str | None)
                                                      for k in ("id", "title", "published", "url", "source"))


# -- quotation marks -----------------------------------------------------------------------------------


@FUZZ
@given(st.one_of(mutated_texts(), st.text(alphabet=QUOTE_MARKS + "ab .,\n", max_size=200)))
def test_quote_mark_pairing_spans_are_inside_the_text_and_in_order(text):
    # Not asserted: that quotations never overlap. Malformed nesting such as “'“”…” … ‘…,’ pairs a single
    # mark across a nested double quotation (found by scripts/fuzz.sh; reported, not fixed here).
    scan = find_quotes(text)
    previous_start = 0
    for quote in scan.quotes:
        assert quote.parts and len(quote.parts) == len(quote.marks)
        for (start, end), (open_at, close_at) in zip(quote.parts, quote.marks, strict=True):
            assert 0 <= start <= end <= len(text)
            assert 0 <= open_at < start and text[open_at] in QUOTE_MARKS
            assert close_at == -1 or (end <= close_at < len(text) and text[close_at] in QUOTE_MARKS)
        assert all(a[1] <= b[0] for a, b in zip(quote.parts, quote.parts[1:], strict=False))
        assert quote.start >= previous_start
        previous_start = quote.start
    assert all(0 <= i < len(text) and text[i] in QUOTE_MARKS for i in scan.broken)


# -- the extractor -------------------------------------------------------------------------------------


@FUZZ
@given(mutated_texts())
def test_extractor_never_raises_and_evidence_matches_the_text(extractor, text):
    if not text.strip():
        return
    ex = extractor.extract(ArticleInput(text=text, id="fuzz"))
    assert ex.article.text_sha256
    assert_evidence_matches(ex, text)


@settings(FUZZ, max_examples=max(10, EXAMPLES // 2))
@given(st.lists(mutated_texts(), min_size=2, max_size=3))
def test_extractor_in_parts_keeps_evidence_offsets(extractor, texts):
    """The same properties when the text is long enough to be extracted in parts."""
    from newsgraph.extract.pipeline import Extractor

    text = "\n\n".join(texts)
    in_parts = Extractor(Settings(chunk_chars=max(50, len(text) // 3)), nlp=extractor.nlp)
    ex = in_parts.extract(ArticleInput(text=text, id="fuzz-parts"))
    assert_evidence_matches(ex, text)
    assert len({a.id for a in ex.actors}) == len(ex.actors)
    known = {a.id for a in ex.actors}
    for e in ex.events:
        assert set(e.source) | set(e.target) <= known
    for q in ex.quotes:
        assert q.speaker is None or q.speaker in known


@pytest.mark.parametrize("text", [
    "\x00" * 50 + "Russia struck Odesa.",
    "\u201c" * 500 + " Russia struck Odesa. " + "\u201d" * 500,
    "a" * 200_000,
    "Russia struck Odesa. " + "\u202e\u200f" * 300 + " \u201cNo,\u201d he said.",
])
def test_extractor_on_extreme_inputs(extractor, text):
    assert_evidence_matches(extractor.extract(ArticleInput(text=text, id="extreme")), text)
