"""Finding direct quotations by their quotation marks, on the raw text.

Pairing works paragraph by paragraph (a line break ends a paragraph), so a stray or missing mark
costs at most the quotation it belongs to. News convention is honoured: a paragraph that ends inside a
quotation continues it when the next paragraph opens with a quotation mark. Apostrophes ("don’t",
"the Kremlin’s", "’90s", "allies’") are never taken for single quotation marks; single marks only quote
at the top level (inside a double quotation they are nested quotes and stay part of its content).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

OPEN, CLOSE, EITHER = "open", "close", "either"
_DOUBLE_OPEN = "“„«"
_DOUBLE_CLOSE = "”»"
_SINGLE_OPEN = "‘"
_SINGLE_CLOSE = "’"
_OPENERS_BEFORE = "([{—–-/“‘\"'"  # characters after which a mark opens
_CLOSERS_AFTER = ".,;:!?)]}—–-…”’\"'"  # characters before which a mark closes
_ELISIONS = re.compile(r"(?:em|til|cause|n|tis|twas)\b", re.IGNORECASE)  # ’em, ’til, rock ’n’ roll


@dataclass(frozen=True)
class QuoteSpan:
    """A direct quotation: its content (marks excluded) as one or more pieces, one per paragraph."""

    parts: tuple[tuple[int, int], ...]
    marks: tuple[tuple[int, int], ...]  # (open mark offset, close mark offset or -1) per part

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]


@dataclass
class MarkScan:
    quotes: list[QuoteSpan] = field(default_factory=list)
    broken: list[int] = field(default_factory=list)  # offsets of marks left unpaired


@dataclass(frozen=True)
class _Mark:
    pos: int
    double: bool
    role: str


def _role(text: str, i: int, lo: int, hi: int) -> str | None:
    """OPEN, CLOSE, EITHER, or None (an apostrophe) for the mark at ``text[i]``."""
    ch = text[i]
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    if ch in _DOUBLE_OPEN:
        return OPEN
    if ch in _DOUBLE_CLOSE:
        return CLOSE
    if ch == '"':
        if prev.isspace() or prev in _OPENERS_BEFORE:
            return OPEN
        if nxt.isspace() or nxt in _CLOSERS_AFTER:
            return CLOSE
        return EITHER
    # single marks: ’ ‘ '
    if prev.isalnum() and nxt.isalnum():
        return None  # don’t, Kremlin’s, O’Brien
    if (prev.isspace() or prev in _OPENERS_BEFORE) and (nxt.isdigit() or _ELISIONS.match(text, i + 1, hi)):
        return None  # ’90s, ’em
    if ch in _SINGLE_OPEN or ch == "'":
        if (prev.isspace() or prev in _OPENERS_BEFORE) and not nxt.isspace():
            return OPEN
    if ch in _SINGLE_CLOSE or ch == "'":
        if not prev.isspace() and (nxt.isspace() or nxt in _CLOSERS_AFTER):
            # "allies’ " could be a plural possessive: the pairing step decides
            return CLOSE
    return None


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in re.finditer(r"\n", text):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return [(a, b) for a, b in out if text[a:b].strip()]


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _starts_with_open(text: str, para: tuple[int, int]) -> int | None:
    a, b = _trim(text, *para)
    if a < b and (text[a] in _DOUBLE_OPEN or text[a] == '"'):
        return a
    return None


def _opens_statement(text: str, lo: int, mark: int) -> bool:
    """A quotation that runs on into the next paragraph opens a statement: at the paragraph start or
    after a colon, comma or sentence end, never after a word ("were “stretched to ..." is just unclosed)."""
    i = mark - 1
    while i >= lo and text[i].isspace():
        i -= 1
    return i < lo or text[i] in ":,.!?;—–-"


def _balanced_nesting(text: str, marks: list[_Mark]) -> list[tuple[int, int]] | None:
    """Outermost pairs when a paragraph's curly double marks nest and balance like brackets (and do
    nest somewhere); None otherwise, and the sequential pairing applies."""
    doubles = [m for m in marks if m.double]
    if not doubles or any(text[m.pos] not in "“”" for m in doubles):
        return None
    depth, deepest, start = 0, 0, 0
    pairs: list[tuple[int, int]] = []
    for m in doubles:
        if m.role == OPEN:
            if depth == 0:
                start = m.pos
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
            if depth < 0:
                return None
            if depth == 0:
                pairs.append((start, m.pos))
    return pairs if depth == 0 and deepest > 1 else None


_DOUBLE_APOSTROPHE = re.compile(r"(?<!')''(?!')")


def _double_apostrophes(text: str) -> str:
    """Two apostrophes standing for a double mark (newspaper archives: ''We will,'' she said) become a
    straight double mark and a space: same offsets, the mark at the first apostrophe, and the space
    keeps the second out of the quotation."""
    if "''" not in text:
        return text
    return _DOUBLE_APOSTROPHE.sub('" ', text)


def find_quotes(text: str) -> MarkScan:
    """Direct quotations of ``text`` in text order."""
    scan = MarkScan()
    text = _double_apostrophes(text)
    paras = _paragraphs(text)
    carried: list[tuple[int, int]] = []  # parts of a quotation still open at the previous paragraph end
    carried_marks: list[tuple[int, int]] = []
    for pi, (lo, hi) in enumerate(paras):
        marks = [_Mark(i, text[i] not in "‘’'", r) for i in range(lo, hi)
                 if text[i] in "“”„«»\"‘’'" and (r := _role(text, i, lo, hi)) is not None]
        open_double: int | None = None
        open_single: int | None = None
        skip_first = bool(carried)
        nested = None if carried else _balanced_nesting(text, marks)
        if nested is not None:
            # “today’s “straw vote” is not a step …”: inner double marks nest inside the outer quotation
            for a_mark, b_mark in nested:
                a, b = _trim(text, a_mark + 1, b_mark)
                if b > a:
                    scan.quotes.append(QuoteSpan(((a, b),), ((a_mark, b_mark),)))
            marks = [m for m in marks if not m.double]
        for m in marks:
            if skip_first:
                skip_first = False
                open_double = m.pos  # the continuation's opening mark
                continue
            if m.double:
                if m.role == OPEN or (m.role == EITHER and open_double is None):
                    if open_double is not None:
                        scan.broken.append(open_double)
                        carried, carried_marks = [], []
                    open_double, open_single = m.pos, None
                elif open_double is not None:
                    a, b = _trim(text, open_double + 1, m.pos)
                    if b > a:
                        scan.quotes.append(QuoteSpan(tuple([*carried, (a, b)]),
                                                     tuple([*carried_marks, (open_double, m.pos)])))
                    carried, carried_marks = [], []
                    open_double = None
                else:
                    scan.broken.append(m.pos)
            elif open_double is None:  # single marks quote only at the top level
                if m.role == OPEN and open_single is None:
                    open_single = m.pos
                elif m.role == CLOSE and open_single is not None:
                    a, b = _trim(text, open_single + 1, m.pos)
                    if b > a:
                        scan.quotes.append(QuoteSpan(((a, b),), ((open_single, m.pos),)))
                    open_single = None
        if open_double is not None:
            nxt = paras[pi + 1] if pi + 1 < len(paras) else None
            if nxt is not None and _starts_with_open(text, nxt) is not None \
                    and _opens_statement(text, lo, open_double):
                a, b = _trim(text, open_double + 1, hi)
                if b > a:
                    carried.append((a, b))
                    carried_marks.append((open_double, -1))
            else:
                scan.broken.append(open_double)
                carried, carried_marks = [], []
        # an unclosed single mark was an apostrophe or a typo: nothing is lost
    scan.quotes.sort(key=lambda q: q.start)
    return scan
