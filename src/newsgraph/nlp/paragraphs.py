"""Sentence starts at paragraph breaks (spaCy component ``newsgraph_paragraphs``, before the parser).

The small English parser happily runs a headline, a "Posted on" line and the dateline paragraph into one
sentence. News paragraphs never continue a sentence across a blank line, and a line that ends a sentence
(or a short headline-like line) never continues on the next one, so those breaks are fixed before parsing;
the parser still decides every other boundary.

No `from __future__ import annotations` here: spaCy validates factory signatures at run time.
"""

from spacy.language import Language
from spacy.tokens import Doc

from newsgraph.ingest.metadata import DATELINE_RE

_SENTENCE_END = (".", "!", "?", '"', "”", "’", "'", ":")


class ParagraphBoundaries:
    def __init__(self, headline_max_chars: int) -> None:
        self.headline_max_chars = headline_max_chars

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        for token in doc[:-1]:
            if "\n" not in token.text_with_ws[len(token.text) :] and not (
                token.is_space and "\n" in token.text
            ):
                continue
            following = doc[token.i + 1]
            if following.is_space:
                continue
            if self._breaks(text, token, following):
                following.is_sent_start = True
        self._keep_short_lines_whole(doc, text)
        self._no_start_mid_clause(doc)
        self._separate_dateline(doc, text)
        return doc

    def _no_start_mid_clause(self, doc: Doc) -> None:
        """A sentence does not start with a lower-case word or a comma straight after a word: the small
        parser sometimes cuts "Norway | and Iceland opened talks" after a forced paragraph start."""
        for prev, token in zip(doc[:-1], doc[1:], strict=True):
            if prev.is_space or "\n" in prev.whitespace_ or prev.text.endswith(_SENTENCE_END):
                continue
            first = token.text[:1]
            if (first.islower() or first in ",;)") and token.is_sent_start is None:
                token.is_sent_start = False

    def _separate_dateline(self, doc: Doc, text: str) -> None:
        """In "WASHINGTON, June 18, 2024 – The United States has…" the dateline is not part of the first
        sentence (parsed with it, the place becomes a second subject)."""
        for token in doc[:200]:
            if token.is_space or not (token.i == 0 or "\n" in doc[token.i - 1].text_with_ws):
                continue
            m = DATELINE_RE.match(text[token.idx : token.idx + 300])  # the pattern is anchored with ^
            if m is None or not _is_dateline(m):
                continue
            end = token.idx + m.end()
            inside = [t for t in doc[token.i : token.i + 60] if t.idx < end]
            after = next((t for t in doc[token.i + len(inside) :] if not t.is_space), None)
            if after is None:
                return
            for t in inside[1:]:
                t.is_sent_start = False
            after.is_sent_start = True
            return

    def _keep_short_lines_whole(self, doc: Doc, text: str) -> None:
        """A headline-like line (short, no final punctuation) is one sentence: the parser may not cut it."""
        line_tokens: list = []
        for token in doc:
            if token.is_space:
                if "\n" in token.text:
                    self._seal(line_tokens, text)
                    line_tokens = []
                continue
            line_tokens.append(token)
            if "\n" in token.whitespace_ or token.i == len(doc) - 1:
                self._seal(line_tokens, text)
                line_tokens = []

    def _seal(self, tokens: list, text: str) -> None:
        if len(tokens) < 2:
            return
        line = text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]
        if len(line) <= self.headline_max_chars and not line.endswith(_SENTENCE_END):
            for token in tokens[1:]:
                token.is_sent_start = False

    def _breaks(self, text: str, token, following) -> bool:
        gap = text[token.idx + len(token.text) : following.idx] if not token.is_space else token.text
        if gap.count("\n") >= 2:
            return True
        line_start = text.rfind("\n", 0, token.idx) + 1
        line = text[line_start : token.idx + len(token.text)].strip()
        if not line:
            return True
        if line.endswith(_SENTENCE_END):
            return True
        # A short line without final punctuation followed by a capitalised line is a headline or a label.
        return len(line) <= self.headline_max_chars and following.text[:1].isupper()


@Language.factory("newsgraph_paragraphs", default_config={"headline_max_chars": 120})
def make_paragraph_boundaries(nlp: Language, name: str, headline_max_chars: int) -> ParagraphBoundaries:
    return ParagraphBoundaries(headline_max_chars)


def _is_dateline(m) -> bool:
    """A date, an agency or an all-capitals place tells a dateline from a sentence that has a dash."""
    groups = {k: v for k, v in m.groupdict().items() if v}
    city = m.group("place").split(",")[0]  # "ALEXANDRIA, Va. —": an all-capitals city marks a wire dateline
    return any(k.startswith(("month", "agency")) for k in groups) or (len(city) > 2 and city.isupper())
