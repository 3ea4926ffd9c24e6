"""Quotations and reported speech (spaCy component ``newsgraph_quotes``).

No `from __future__ import annotations` here: spaCy validates factory signatures at run time.
The work is done in quote_marks (direct quotations by their marks), quote_frames (reporting cues in
the parse) and quote_attribution (linking, speakers, output); the cue lexicon is quote_lexicon.
"""

import re
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from newsgraph.contract import Actor, ExtractionWarning, Quote
from newsgraph.extract.actor_table import ActorTable
from newsgraph.extract.base import context_of, register_extensions
from newsgraph.extract.quote_attribution import QuoteBuilder, speaks_for
from newsgraph.extract.quote_lexicon import load_lexicon
from newsgraph.extract.quote_model import AttributionModel


class QuoteExtractor:
    def __init__(self, nlp: Language, name: str, reporting_lexicons: list[str],
                 attribution_model: str = "") -> None:
        register_extensions()
        self.reporting_lexicons = reporting_lexicons
        self.lexicon = load_lexicon(reporting_lexicons)
        # "" is the model shipped in the package, "rules" the lexicon's rules alone, else a model directory
        self.model = None if attribution_model == "rules" else AttributionModel.load(
            Path(attribution_model) if attribution_model else None)

    def __call__(self, doc: Doc) -> Doc:
        doc._.ng_quotes = []
        if not context_of(doc).analysable:
            return doc
        table = doc._.ng_actors
        if table is None:
            table = doc._.ng_actors = ActorTable()
        text = doc.text
        builder = QuoteBuilder(doc, table, self.lexicon, context_of(doc).title_span, self.model, text)
        doc._.ng_quotes = builder.build()
        for quote in doc._.ng_quotes:
            if quote.kind == "direct" and quote.speaker:
                _first_person(doc, table, quote)
        _statement_blocks(doc, table, text)
        if builder.warnings:
            warnings = doc._.ng_warnings if doc._.ng_warnings is not None else []
            warnings.extend(ExtractionWarning(code="quote-marks", message=m) for m in builder.warnings)
            doc._.ng_warnings = warnings
        return doc


_BLOCK_CUE = re.compile(r":[ \t]*\n")
_SINGULAR = frozenset({"i", "me", "my", "mine", "myself"})
_PLURAL = frozenset({"we", "us", "our", "ours", "ourselves"})


def _speaker_side(speaker: Actor, organization: str | None) -> str | None:
    """Whom a speaker's "we" stands for: a body speaks for itself, a person for the body or state they
    speak for."""
    return speaker.id if speaker.kind != "person" else organization


def _first_person(doc: Doc, table: ActorTable, quote: Quote) -> None:
    """First-person pronouns in a direct quotation are its speaker ("I", "my") or the speaker's side ("we",
    "our"); recorded as pronoun mentions. Only the quotation's own tokens are visited."""
    speaker = table.get(quote.speaker)
    if speaker is None:
        return
    spans = (doc.char_span(part.start, part.end, alignment_mode="expand") for part in quote.parts or [quote])
    tokens = [tok for span in spans if span is not None for tok in span]
    _claim_first_person(doc, table, speaker, tokens, quote.speaker_organization)


def _statement_blocks(doc: Doc, table: ActorTable, text: str) -> None:
    """Press statements set out without quotation marks ("The minister said:" then paragraphs): the
    first-person pronouns of the block are its speaker's, up to the next such cue. The cues are found
    by a regular expression on the text, so articles without them cost no token loop."""
    cues = []
    for match in _BLOCK_CUE.finditer(text):
        tok = doc.char_span(match.start(), match.start() + 1)
        if tok is None or tok.start + 1 >= len(doc):
            continue
        tok = tok[0]
        verb = doc[tok.i - 1] if tok.i > 0 else None
        if verb is None or verb.pos_ != "VERB":
            continue
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        speaker = table.get(table.actor_of(subj)) if subj is not None else None
        if speaker is not None:
            cues.append((tok.i + 1, speaker))
    for n, (start, speaker) in enumerate(cues):
        end = cues[n + 1][0] if n + 1 < len(cues) else len(doc)
        _claim_first_person(doc, table, speaker, doc[start:end], speaks_for(table, speaker.id))


def _claim_first_person(doc: Doc, table: ActorTable, speaker, tokens, organization: str | None) -> None:
    """Unclaimed first-person pronouns among ``tokens`` become mentions of the speaker ("I", "my") or of the
    speaker's side ("we", "our")."""
    side = _speaker_side(speaker, organization)
    for tok in tokens:
        low = tok.lower_
        if tok.pos_ != "PRON" or (low not in _SINGULAR and low not in _PLURAL) or table.mention_at(tok.i):
            continue
        if low in _SINGULAR:
            if speaker.kind == "person":
                table.add_mention(doc, speaker.id, tok.i, tok.i + 1, "pronoun")
            continue
        if side is not None:
            table.add_mention(doc, side, tok.i, tok.i + 1, "pronoun")


@Language.factory("newsgraph_quotes", default_config={"reporting_lexicons": [], "attribution_model": ""})
def make_quote_extractor(nlp: Language, name: str, reporting_lexicons: list[str],
                         attribution_model: str) -> QuoteExtractor:
    return QuoteExtractor(nlp, name, reporting_lexicons, attribution_model)
