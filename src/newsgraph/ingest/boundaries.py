"""Where an article's text holds more than the article: reader comments, "related stories" lists, captions
and picture credits, pull quotes, bylines and author notes, social, newsletter and sharing boilerplate.

``find_excluded(text, rules)`` returns those regions as character ranges into the text as given (the text
itself is not changed); the extractor keeps no quote or event whose words lie in one. Scraped pages, feeds and
trafilatura's output give one paragraph per line, so the rules read lines: a comment heading and everything
after it, a related-links label and the short headline lines under it, a caption, credit, byline or
boilerplate line. The phrases are data (``data/lexicons/boundaries.yaml``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from newsgraph.contract import ExcludedKind, ExcludedSpan

_BULLET = re.compile(r"^[-–—•·*▪►›»]+\s*")
_SENTENCE_END = re.compile(r"[.!;:,]['\"’”)]*$")
_PARAGRAPH_END = re.compile(r"[.!?]['\"’”)]*$")
_SEPARATOR = r"\s*(?::|\||[-–—](?=\s))\s*"
_NUMBER = r"\d[\d,.]*k?"
_NAME = r"(?:(?:mr|mrs|ms|dr|prof)\.?\s+)?[^\W\d_][\w.'-]*(?:\s+[^\W\d_][\w.'-]*){1,3}"
# "- Amber Phillips." closing a column: a dash and a name, nothing else.
_SIGNATURE = re.compile(r"^[-–—]+\s*(?:[A-Z][\w.'’-]*\s*){2,4}\.?$")
_SMALL_WORDS = frozenset("a an and as at but by for from in into of on or over the to up with vs".split())
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class BoundaryRules:
    """The compiled rules of one boundaries lexicon (see ``data/lexicons/boundaries.yaml``)."""

    comment_heading: re.Pattern[str]
    min_paragraphs_before: int
    related_label: re.Pattern[str]
    related_max_items: int
    related_max_words: int
    caption_start: re.Pattern[str]
    caption_end: re.Pattern[str]
    agencies: frozenset[str]
    caption_max_words: int
    byline_start: re.Pattern[str]
    byline_not_names: frozenset[str]
    byline_credit: re.Pattern[str]
    byline_max_words: int
    author_note: re.Pattern[str]
    pullquote_min_words: int
    boilerplate: re.Pattern[str]
    boilerplate_max_words: int

    @classmethod
    def load(cls, path: Path | None = None) -> BoundaryRules:
        """The bundled rules, or those of the YAML file at ``path``."""
        source = path or Path(str(resources.files("newsgraph") / "data" / "lexicons" / "boundaries.yaml"))
        with open(source, encoding="utf-8") as fh:
            return cls.from_dict(yaml.safe_load(fh))

    @classmethod
    def from_dict(cls, data: dict) -> BoundaryRules:
        com, rel, cap, byl, boil = (
            data[k] for k in ("comments", "related", "captions", "bylines", "boilerplate")
        )
        headings, counted = _alternation(com["headings"]), _alternation(com["counted"])
        comment_heading = re.compile(
            rf"^(?:(?:{_NUMBER}\s+)?(?:{headings})(?:\s*[(\[:]?\s*{_NUMBER}\s*[)\]]?)?"
            rf"|{_NUMBER}\s+(?:{counted})(?:\s+(?:to|on|for)\b.*)?)$"
        )
        credit_words = _alternation(cap["credit_words"])
        caption_end = re.compile(
            # "(AP Photo/Leo Brand)", "(Getty Images)", "(Photo by X via Getty Images)"
            rf"\((?=[^()]*(?:\b(?:{credit_words})\b|[^\W\d_]\s*/\s*[^\W\d_]|\bvia\b))[^()]*\)$"
            # "... last month. Photograph: Dana Pell/AFP", "... a damaged building. File photo"
            rf"|(?:^|[.!?]['\"]?\s+)(?:(?:photo|photograph|picture|image)s?(?: credit)?\s*:\s*[^.]{{1,80}}"
            rf"|file (?:photo|picture|image))$"
        )
        return cls(
            comment_heading=comment_heading,
            min_paragraphs_before=int(com.get("min_paragraphs_before", 2)),
            related_label=re.compile(
                rf"^(?:{_alternation(rel['labels'])})(?:$|{_SEPARATOR}(?P<rest>\S.*)$)"
            ),
            related_max_items=int(rel.get("max_items", 12)),
            related_max_words=int(rel.get("max_item_words", 16)),
            caption_start=re.compile(
                rf"^(?:(?:{_alternation(cap['labels'])})\b"
                rf"|(?:{_alternation(cap['prefixes'])})\s*[:,|–—-]\s*\S)"
            ),
            caption_end=caption_end,
            agencies=frozenset(cap["agencies"]),
            caption_max_words=int(cap.get("max_words", 60)),
            byline_start=re.compile(
                rf"^\(?(?:{_alternation(byl['prefixes'])})\s*:?\s+(?P<name>\S+)", re.IGNORECASE
            ),
            byline_not_names=frozenset(byl["not_names"]),
            byline_credit=re.compile(rf"^\(?(?:{_alternation(byl['credits'])})\s+\S"),
            byline_max_words=int(byl.get("max_words", 16)),
            author_note=re.compile(
                rf"^{_NAME}\s+is\s+(?:(?:a|an|the)\s+)?(?:[\w-]+\s+){{0,3}}"
                rf"(?:{_alternation(byl.get('bio_roles', []))})(?:\s+(?:of|at|for|in|with)\b|$)"
            ),
            pullquote_min_words=int(data.get("pullquotes", {}).get("min_words", 8)),
            boilerplate=re.compile("|".join(f"(?:{p})" for p in boil["patterns"])),
            boilerplate_max_words=int(boil.get("max_words", 80)),
        )


def _alternation(phrases: Iterable[str]) -> str:
    # Longest first, so that "image caption" is tried before "image".
    ordered = sorted(phrases, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in ordered) or "(?!)"


# No rule looks at longer lines (paragraphs of news): they are not normalised.
MAX_RULE_WORDS = 80


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str  # as in the article, stripped
    words: int
    norm: str  # lower case, straight quotes, no bullet, no enclosing quotes, no final colon or full stop


def _lines(text: str) -> Iterator[_Line]:
    pos = 0
    for raw in text.splitlines(keepends=True):
        stripped = raw.strip()
        if stripped:
            start = pos + raw.index(stripped[0])
            words = stripped.split()
            norm = ""
            if len(words) <= MAX_RULE_WORDS:
                norm = " ".join(_BULLET.sub("", " ".join(words)).lower().split())
                norm = norm.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
                if len(norm) > 2 and norm[0] == norm[-1] == '"':
                    norm = norm[1:-1]  # '"Related:"'
            yield _Line(start, start + len(stripped), stripped, len(words), norm.rstrip(":. "))
        pos += len(raw)


def find_excluded(text: str, rules: BoundaryRules) -> list[ExcludedSpan]:
    """The regions of ``text`` that are not the article's news, in text order, not overlapping."""
    out: list[ExcludedSpan] = []
    paragraphs = 0  # lines of news seen so far (a comment heading needs some before it)
    in_list = 0  # headline lines still accepted after a related-links label
    lines = list(_lines(text))
    pulled = _pull_quotes(lines, rules)
    for i, line in enumerate(lines):
        if rules.comment_heading.match(line.norm):
            if paragraphs >= rules.min_paragraphs_before:
                out.append(ExcludedSpan(start=line.start, end=lines[-1].end, kind="comments"))
                break
            # a comment count under the headline: only its own line
            out.append(ExcludedSpan(start=line.start, end=line.end, kind="boilerplate"))
            continue
        kind: ExcludedKind | None = None
        if i in pulled:
            kind = "pullquote"
        elif line.norm:
            after_quote = i > 0 and lines[i - 1].text.endswith(('"', "”"))
            kind = _line_kind(line, rules, last=i == len(lines) - 1, after_quote=after_quote)
        if kind is None and in_list and _list_item(line, rules):
            kind = "related"
            in_list -= 1
        elif kind == "related":
            in_list = rules.related_max_items
        elif kind is None:
            in_list = 0
        if kind is not None:
            out.append(ExcludedSpan(start=line.start, end=line.end, kind=kind))
        elif line.words >= 8 and _PARAGRAPH_END.search(line.text):
            paragraphs += 1
    return out


def _line_kind(line: _Line, rules: BoundaryRules, *, last: bool, after_quote: bool) -> ExcludedKind | None:
    norm, words = line.norm, line.words
    m = rules.related_label.match(norm)
    if m and (m.group("rest") is None or _headline_like(line, rules, len(m.group("rest").split()))):
        return "related"
    if words <= rules.byline_max_words and _is_byline(line, rules, after_quote):
        return "byline"
    if rules.byline_credit.match(norm) and words <= 2 * rules.byline_max_words:
        return "byline"
    if last and words <= 50 and rules.author_note.match(norm):
        return "byline"
    if words <= rules.caption_max_words and (
        rules.caption_start.match(norm) or rules.caption_end.search(norm)
    ):
        return "caption"
    if words <= 8 and any(part.strip() in rules.agencies for part in re.split(r"/|\bvia\b", norm)):
        return "caption"
    if words <= rules.boilerplate_max_words and rules.boilerplate.match(norm):
        return "boilerplate"
    return None


def _is_byline(line: _Line, rules: BoundaryRules, after_quote: bool) -> bool:
    if _SIGNATURE.match(line.text):
        return not after_quote  # under a quotation, "- Bernie Sanders." says who spoke it
    # A long line ending like a sentence is one ("By Saturday evening the workers had been flown home.").
    if line.words > 6 and _SENTENCE_END.search(line.text):
        return False
    # The name as written: capitalised, and no word that starts an ordinary sentence ("By Tuesday, ...").
    m = rules.byline_start.match(_BULLET.sub("", line.text))
    if m is None:
        return False
    name = m.group("name").strip(":,")
    return name[:1].isupper() and name.lower().rstrip(".") not in rules.byline_not_names


def _headline_like(line: _Line, rules: BoundaryRules, words: int | None = None) -> bool:
    """A short line that does not end like a sentence (a question mark is fine: headlines ask)."""
    return (line.words if words is None else words) <= rules.related_max_words and \
        not _SENTENCE_END.search(line.text)


def _list_item(line: _Line, rules: BoundaryRules) -> bool:
    """A headline under a related-links label: short, and unlike a sentence or in title case."""
    if line.words > rules.related_max_words:
        return False
    if not _SENTENCE_END.search(line.text):
        return True
    words = [w for w in line.text.split() if w[:1].isalpha() and w.lower() not in _SMALL_WORDS]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _pull_quotes(lines: list[_Line], rules: BoundaryRules) -> set[int]:
    """Lines that open with a quotation mark and repeat the start of another, longer line."""
    n = rules.pullquote_min_words
    candidates = [i for i, line in enumerate(lines) if line.text[:1] in "\"“‘'" and line.words >= n]
    if not candidates:
        return set()
    words = [_WORD.findall(line.text.lower()) for line in lines]
    keys = {i: tuple(words[i][:n]) for i in candidates}
    wanted = set(keys.values())
    seen: dict[tuple[str, ...], set[int]] = {}
    for j, ws in enumerate(words):  # one pass over every n-word window, whatever the number of quotes
        for s in range(len(ws) - n + 1):
            window = tuple(ws[s:s + n])
            if window in wanted:
                seen.setdefault(window, set()).add(j)
    return {i for i, key in keys.items()
            if any(len(lines[j].text) > len(lines[i].text) for j in seen[key] if j != i)}


def is_excluded(ranges: Iterable[ExcludedSpan], offset: int) -> bool:
    """Whether the character at ``offset`` lies in one of ``ranges``."""
    return any(r.start <= offset < r.end for r in ranges)


__all__ = ["BoundaryRules", "find_excluded", "is_excluded"]
