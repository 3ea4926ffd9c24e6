"""Sentence starts at paragraph breaks (spaCy component ``newsgraph_paragraphs``, before the parser).

The small English parser happily runs a headline, a "Posted on" line and the dateline paragraph into one
sentence. News paragraphs never continue a sentence across a blank line, and a line that ends a sentence
(or a short headline-like line) never continues on the next one, so those breaks are fixed before parsing;
the parser still decides every other boundary. The component walks the text's lines, not its tokens, so it
costs little on long articles.

No `from __future__ import annotations` here: spaCy validates factory signatures at run time.
"""

from bisect import bisect_left

from spacy.language import Language
from spacy.tokens import Doc

from newsgraph.ingest.metadata import DATELINE_RE

_SENTENCE_END = (".", "!", "?", '"', "”", "’", "'", ":")
# After a forced start the small parser sometimes cuts again at once ("Norway | and Iceland opened talks"):
# the first few words of a paragraph may not start a sentence when they continue a clause.
_GUARDED_WORDS = 3


class ParagraphBoundaries:
    def __init__(self, headline_max_chars: int) -> None:
        self.headline_max_chars = headline_max_chars

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        if len(doc) < 2:
            return doc
        token_starts = [t.idx for t in doc]  # one pass; lines are then located by bisection
        lines = _lines(text)
        for (start, end, _), (next_start, _, blank_before) in zip(lines, lines[1:], strict=False):
            line = text[start:end]
            if blank_before or line.endswith(_SENTENCE_END) or (
                len(line) <= self.headline_max_chars and text[next_start : next_start + 1].isupper()
            ):
                self._start_at(doc, bisect_left(token_starts, next_start))
        for start, end, _ in lines:
            line = text[start:end]
            if len(line) <= self.headline_max_chars and not line.endswith(_SENTENCE_END):
                # a headline-like line is one sentence: the parser may not cut it
                first, last = bisect_left(token_starts, start), bisect_left(token_starts, end)
                for token in doc[first + 1 : last]:
                    token.is_sent_start = False
        self._separate_dateline(doc, text, lines, token_starts)
        return doc

    def _start_at(self, doc: Doc, i: int) -> None:
        if i >= len(doc):
            return
        doc[i].is_sent_start = True
        window = zip(doc[i : i + _GUARDED_WORDS], doc[i + 1 : i + 1 + _GUARDED_WORDS], strict=False)
        for prev, token in window:
            if prev.is_space or prev.text.endswith(_SENTENCE_END):
                break
            if (token.text[:1].islower() or token.text[:1] in ",;)") and token.is_sent_start is None:
                token.is_sent_start = False

    def _separate_dateline(self, doc: Doc, text: str, lines: list, token_starts: list[int]) -> None:
        """In "WASHINGTON, June 18, 2024 – The United States has…" the dateline is not part of the first
        sentence (parsed with it, the place becomes a second subject)."""
        for start, end, _ in lines[:6]:
            m = DATELINE_RE.match(text[start : min(end, start + 300)])  # the pattern is anchored with ^
            if m is None or not _is_dateline(m):
                continue
            first = bisect_left(token_starts, start)
            after = bisect_left(token_starts, start + m.end())
            while after < len(doc) and doc[after].is_space:
                after += 1
            if after >= len(doc):
                return
            for token in doc[first + 1 : after]:
                token.is_sent_start = False
            doc[after].is_sent_start = True
            return


def _lines(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, follows a blank line) of every non-empty line, without surrounding white space."""
    out: list[tuple[int, int, bool]] = []
    pos, blank = 0, False
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = pos + raw.index(stripped[0])
            out.append((start, start + len(stripped), blank))
            blank = False
        elif out:
            blank = True
        pos += len(raw) + 1
    return out


def _is_dateline(m) -> bool:
    """A date, an agency or an all-capitals place tells a dateline from a sentence that has a dash."""
    groups = {k: v for k, v in m.groupdict().items() if v}
    city = m.group("place").split(",")[0]  # "ALEXANDRIA, Va. —": an all-capitals city marks a wire dateline
    return any(k.startswith(("month", "agency")) for k in groups) or (len(city) > 2 and city.isupper())


@Language.factory("newsgraph_paragraphs", default_config={"headline_max_chars": 120})
def make_paragraph_boundaries(nlp: Language, name: str, headline_max_chars: int) -> ParagraphBoundaries:
    return ParagraphBoundaries(headline_max_chars)
