"""Putting quotations together: direct quotes found by their marks, attributed to a reporting frame,
speakers resolved through the actor table, and indirect speech from the frames no quotation used.

Order of attribution for a quotation made of whole sentences: a cue right after it ("“…,” she said"),
a cue right before it ("She said: “…”"), a frame whose content it is, then — news convention — the
speaker of the statement just before it in the same or the previous paragraph. A quotation embedded in a
sentence ("called the plan “reckless”") is partial: it belongs to the reporting cue that governs it in
the parse.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.attrs import IDX
from spacy.tokens import Doc, Token

from newsgraph.contract import Actor, Quote, Span
from newsgraph.extract.actor_table import ActorTable
from newsgraph.extract.quote_frames import (
    Frame,
    FrameFinder,
    Range,
    skip_dateline,
    speaker_token,
    subject_of,
    trim,
)
from newsgraph.extract.quote_lexicon import ReportingLexicon
from newsgraph.extract.quote_marks import QuoteSpan, find_quotes
from newsgraph.extract.quote_model import AttributionModel, Quotations

_PRONOUNS_PERSON = frozenset({"he", "she", "him", "her"})
_PRONOUNS_OTHER = frozenset({"they", "it", "we", "them"})
_DETERMINERS = frozenset({"a", "an", "the", "its", "his", "her", "their", "our"})


@dataclass
class Statement:
    """A quote under construction: character parts of its content plus its frame."""

    kind: str
    parts: list[tuple[int, int]]
    frame: Frame | None
    confidence: float
    inherited: Statement | None = None  # speaker taken from an earlier statement
    speaker: str | None = None
    speaker_span: tuple[int, int] | None = None
    speaker_text: str | None = None
    organization: str | None = None  # the body or state the speaker speaks for

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]


def speaks_for(table: ActorTable, actor_id: str | None, phrase: Token | None = None) -> str | None:
    """The body or state a speaker speaks for: the actor's organization; else a body its phrase names ("a
    spokesman for the Ministry of Defence", "a Kremlin spokesman", "Miller, a State Department
    spokesman"); else the state of its country. A state speaks for itself (None)."""
    actor = table.get(actor_id)
    if actor is None or actor.kind == "state":
        return None
    if actor.organization and table.get(actor.organization) is not None:
        return actor.organization
    if phrase is not None and phrase.pos_ != "PRON":
        for c in phrase.children:
            if c.dep_ not in ("compound", "nmod", "amod", "poss", "prep", "appos"):
                continue
            for i in range(c.left_edge.i, c.right_edge.i + 1):
                x = table.actor_at(i)
                body = table.get(x)
                if body is not None and x != actor_id and body.kind in ("organization", "state"):
                    return x
    if actor.country:
        return next((a.id for a in table if a.kind == "state" and a.country == actor.country), None)
    return None


def _paragraph_index(text: str) -> list[int]:
    """Paragraph number of each character position (a line break starts a paragraph)."""
    out, n = [], 0
    for ch in text:
        out.append(n)
        if ch == "\n":
            n += 1
    out.append(n)
    return out


class QuoteBuilder:
    def __init__(self, doc: Doc, table: ActorTable, lexicon: ReportingLexicon,
                 title_span: tuple[int, int] | None = None, model: AttributionModel | None = None,
                 text: str | None = None) -> None:
        self.doc = doc
        self.model = model
        self.title_span = title_span
        self.text = doc.text if text is None else text  # Doc.text rebuilds the string on every call
        self.table = table
        self.lex = lexicon
        self.para = _paragraph_index(self.text)
        self.starts = doc.to_array(IDX).tolist() if len(doc) else []  # no Token objects for every word
        self.warnings: list[str] = []
        self._quoted: set[int] = set()  # tokens inside any direct quotation

    # --- helpers --------------------------------------------------------------------------------
    def _tok_at(self, char: int) -> int:
        """The token covering character ``char`` (or the next one, for whitespace between tokens)."""
        i = bisect.bisect_right(self.starts, char) - 1
        if i >= 0 and char < self.starts[i] + len(self.doc[i]):
            return i
        return min(i + 1, len(self.doc) - 1)

    def _tokens(self, a: int, b: int) -> Range:
        span = self.doc.char_span(a, b, alignment_mode="expand")
        return (span.start, span.end) if span is not None else (self._tok_at(a), self._tok_at(b - 1) + 1)

    def _chars(self, r: Range) -> tuple[int, int]:
        return self.doc[r[0]].idx, self.doc[r[1] - 1].idx + len(self.doc[r[1] - 1])

    # --- main -----------------------------------------------------------------------------------
    def build(self) -> list[Quote]:
        doc = self.doc
        scan = find_quotes(self.text)
        if scan.broken:
            self.warnings.append(f"{len(scan.broken)} unpaired quotation mark(s) at offsets "
                                 f"{', '.join(map(str, scan.broken[:10]))}: those quotations were skipped")
        quoted: set[int] = set()
        q_tokens: list[set[int]] = []
        for q in scan.quotes:
            toks: set[int] = set()
            for a, b in q.parts:
                r = self._tokens(a, b)
                toks.update(range(*r))
            q_tokens.append(toks)
            quoted |= toks
        self._quoted = quoted
        quotations = Quotations.of(doc, [part for q in scan.quotes for part in q.parts])
        found = FrameFinder(self.lex, self.model).find(doc, quotations, self.title_span, self.table)
        frames = [f for f in (self._clip(f) for f in found) if f is not None]
        # frames whose cue sits inside a quotation are the quoted speaker's own words: not attributions
        frames = [f for f in frames if f.cue_head not in quoted]
        by_cue = {f.cue_head: f for f in frames}
        used: set[int] = set()
        extra: dict[int, list[tuple[int, int]]] = {}  # frame cue -> quotations continuing its content
        statements: list[Statement] = []
        last_post: Statement | None = None
        for q, toks in zip(scan.quotes, q_tokens, strict=True):
            if self.title_span and self.title_span[0] <= q.start < self.title_span[1]:
                continue  # headline quotes repeat the body's, without their cues
            partial = self._is_partial(q)
            st: Statement | None = None
            if partial and self._is_title(toks):
                continue  # CNN’s “State of the Union”: the name of a show, book or operation, not speech
            if partial:
                frame = self._governing(toks, by_cue)
                if frame is not None and self._fragment_of(toks, frame):
                    continue  # "pointed out that the report found … the “top secret” level": one statement
                if frame is not None:
                    st = Statement("partial", list(q.parts), frame, frame.confidence)
                else:
                    st = self._governing_verb(q, toks)
            else:
                owner = self._continued_content(q, frames, used)
                if owner is not None:
                    # "said that they were not affiliated, “we see ourselves as …”": the quotation goes on
                    # with the reported content; one statement in two parts
                    extra.setdefault(owner.cue_head, []).extend(q.parts)
                    last_post = None
                    continue
                frame = self._post_cue(q, by_cue, toks)
                how = "post"
                if frame is None:
                    frame, how = self._pre_cue(q, by_cue, toks), "pre"
                if frame is None:
                    frame, how = self._content_frame(toks, frames), "content"
                if frame is None:
                    frame, how = self._dash_signature(q), "signature"
                words = {i for i in toks if not self.doc[i].is_punct}
                if frame is not None and how != "post" and frame.content and words <= frame.content_tokens() \
                        and len(frame.content_tokens() - quoted) >= 0.5 * len(frame.content_tokens()):
                    continue  # "said the plan would work, “if we stay the course”": the frame's content
                same_cue = frame is not None and last_post is not None and last_post.frame is not None \
                    and last_post.frame.cue_head == frame.cue_head
                if last_post is not None and (same_cue or frame is None and self._continues(last_post, q)):
                    last_post.parts.extend(q.parts)  # "“…,” he said. “…”": one quote, two parts
                    continue
                if frame is not None:
                    st = Statement("direct", list(q.parts), frame, min(0.95, frame.confidence + 0.05))
                    last_post = st if how == "post" else None
                else:
                    st = Statement("direct", list(q.parts), None, 0.5)
                    last_post = None
            if st is None:
                continue
            if st.frame is not None:
                used.add(st.frame.cue_head)
            statements.append(st)
        for f in frames:
            if f.cue_head in used or not f.content or f.speaker is None:
                continue  # a statement nobody makes ("when asked whether ...") is not an attribution
            content = f.content_tokens()
            more = extra.get(f.cue_head, [])
            if not more and content and len(content & quoted) >= 0.5 * len(content):
                continue  # the content is a quotation already attributed
            parts = [self._chars(r) for r in f.content] + more
            statements.append(Statement("indirect", sorted(parts), f, f.confidence))
        statements.sort(key=lambda s: s.start)
        self._resolve_speakers(statements)
        return self._to_quotes(self._drop_echoes(statements))

    def _drop_echoes(self, statements: list[Statement]) -> list[Statement]:
        """One statement per stretch of text, as news attribution corpora annotate it. An inner statement
        inside another's content goes when it repeats the outer speaker ("Sanders said he believes the
        party must change"), when the outer is "according to" (the source vouches for the whole
        sentence), or when it is someone's belief or wish as reported by the outer speaker ("officials
        said voters want …"). Another speaker's speech act stays ("officials dismissed Orban's claim
        that …"): it says who claimed what."""
        indirect = [st for st in statements if st.kind == "indirect" and st.frame is not None]
        drop: set[int] = set()
        for inner in indirect:
            cue = self.doc[inner.frame.cue_head].idx
            for outer in indirect:
                if outer is inner or id(outer) in drop or not any(a <= cue < b for a, b in outer.parts):
                    continue
                same = inner.speaker is not None and outer.speaker == inner.speaker
                if same or outer.frame.kind == "according" or inner.frame.cognitive:
                    drop.add(id(inner))
                    break
        return [st for st in statements if id(st) not in drop]

    def _clip(self, f: Frame) -> Frame | None:
        """Keep a frame's content inside the cue's paragraph (the parser joins a headline or the next
        paragraph to a sentence now and then); frames in the headline are not attributions of the body."""
        cue_char = self.doc[f.cue_head].idx
        if self.title_span and self.title_span[0] <= cue_char < self.title_span[1]:
            return None
        para = self.para[cue_char]
        clipped: list[Range] = []
        for a, b in f.content:
            keep = [i for i in range(a, b) if self.para[self.doc[i].idx] == para and not self.doc[i].is_space]
            if keep and (r := trim(self.doc, keep[0], keep[-1] + 1)):
                clipped.append(skip_dateline(self.doc, r))
        f.content = clipped
        if f.speaker is not None and self.para[f.speaker.idx] != para:
            f.speaker = None
        return f

    # --- direct quotations ----------------------------------------------------------------------
    def _is_partial(self, q: QuoteSpan) -> bool:
        """Embedded in a sentence: a word (not a reporting verb or a colon) right before the mark."""
        open_mark = q.marks[0][0]
        i = open_mark - 1
        while i >= 0 and self.text[i] in " \t":
            i -= 1
        if i < 0 or self.text[i] == "\n":
            return False
        prev = self.text[i]
        if not prev.isalnum():
            return False
        tok = self.doc[self._tok_at(i)]
        first = self.text[q.start] if q.start < len(self.text) else ""
        if (tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in self.lex.verbs or tok.lower_ == "that") \
                and not first.islower():
            return False  # said “We will …”: a whole sentence quoted after its cue
        return True

    def _fragment_of(self, toks: set[int], frame: Frame) -> bool:
        """Are the quoted words a small piece of the frame's reported content (a third or less of it, the
        rest not quoted)? Then the statement is the content, quotation included."""
        content = frame.content_tokens()
        words = {i for i in toks if not self.doc[i].is_punct}
        if not content or not words <= content or len(words) * 3 > len(content):
            return False
        # a clause around the quoted words (its head a verb), not an object they qualify ("a “swift” inquiry")
        roots = [self.doc[i] for i in content if self.doc[i].head.i not in content]
        return len(content - self._quoted) >= 0.5 * len(content) and any(
            t.pos_ in ("VERB", "AUX") for t in roots)

    def _is_title(self, toks: set[int]) -> bool:
        """Every content word capitalised: a title or a name in quotation marks."""
        words = [self.doc[i] for i in sorted(toks) if self.doc[i].is_alpha]
        content = [w for w in words if not w.is_stop or w.i == min(toks)]
        return bool(content) and all(w.text[0].isupper() for w in content) and not (
            len(words) == 1 and words[0].is_sent_start)

    def _governing(self, toks: set[int], by_cue: dict[int, Frame]) -> Frame | None:
        """The reporting frame whose cue governs the quoted words in the parse."""
        for root in sorted(i for i in toks if self.doc[i].head.i not in toks and not self.doc[i].is_punct):
            t = self.doc[root]
            found: list[Frame] = []
            for _ in range(10):
                if t.i in by_cue and t.i not in toks:
                    found.append(by_cue[t.i])
                if t.head.i == t.i or t.dep_ in ("nsubj", "nsubjpass"):
                    break  # inside a subject: the verb above does not govern the quoted words
                t = t.head
            # the nearest cue that reports something ("vowed that Israel would respond “at a time …”":
            # *respond* reports nothing here, *vowed* does)
            if found:
                return next((f for f in found if f.content), found[0])
        # a parse that went astray: the reporting verb just before the quote in the same sentence
        first = min(toks)
        sent_start = self.doc[first].sent.start
        for i in range(first - 1, max(sent_start, first - 7) - 1, -1):
            f = by_cue.get(i)
            if f is not None and f.kind == "verb":
                return f
        return None

    def _governing_verb(self, q: QuoteSpan, toks: set[int]) -> Statement | None:
        """No reporting cue governs a partial quote: the subject of the nearest verb, if the quote is long
        enough not to be a scare quote ("the so-called “experts”")."""
        words = sum(1 for i in toks if self.doc[i].is_alpha)
        if words < 4:
            return None
        root = min((i for i in toks if self.doc[i].head.i not in toks), default=None)
        if root is None:
            return None
        t = self.doc[root]
        for _ in range(8):
            if t.pos_ in ("VERB", "AUX") and t.i not in toks:
                subj = speaker_token(subject_of(t))
                if subj is not None:
                    frame = Frame(cue=(t.i, t.i + 1), cue_head=t.i, kind="inferred", speaker=subj,
                                  confidence=0.5)
                    return Statement("partial", list(q.parts), frame, 0.5)
            if t.head.i == t.i:
                break
            t = t.head
        return None

    def _continued_content(self, q: QuoteSpan, frames: list[Frame], used: set[int]) -> Frame | None:
        """The reporting frame whose content runs straight into this quotation (only a comma, colon or
        dash between them, same paragraph), if any."""
        open_mark = q.marks[0][0]
        for f in frames:
            if not f.content or f.cue_head in used or f.speaker is None:
                continue
            end = self._chars(f.content[-1])[1]
            if end <= open_mark and self.para[end] == self.para[open_mark] \
                    and self.text[end:open_mark].strip() in (",", ":", ";", "—", "–") \
                    and self.doc[f.cue_head].i < self._tok_at(open_mark):
                return f
        return None

    def _post_cue(self, q: QuoteSpan, by_cue: dict[int, Frame], toks: set[int]) -> Frame | None:
        close = q.marks[-1][1]
        if close < 0:
            return None
        j = close + 1
        while j < len(self.text) and self.text[j].isspace():
            j += 1
        if j >= len(self.text) or self.para[j] != self.para[close] or self.text[j] in "“\"‘":
            return None
        start = self._tok_at(j)
        sent_end = self.doc[start].sent.end
        end = min(sent_end, start + 10)
        for i in range(start, end):
            t = self.doc[i]
            if (t.is_quote and i > start) or self.para[t.idx] != self.para[close]:
                break
            f = by_cue.get(i)
            if f is not None and f.kind == "verb":
                content = f.content_tokens()
                # “… together.” She said the plan would fail: a new statement, not a cue; but a quotation
                # left open by a comma (“…,” said Pike, who …) is the words of the cue right after it
                if content and len(content & self._quoted) < 0.5 * len(content) \
                        and not (self.text[close - 1] in ",—–-" and i - start <= 3):
                    return None
                return f
        # any verb with a subject right after the quote: "“…,” he joked."
        for i in range(start, min(sent_end, start + 5)):
            t = self.doc[i]
            if t.pos_ == "VERB" and t.i not in toks:
                subj = next((c for c in t.children if c.dep_ == "nsubj" and start <= c.i < sent_end), None)
                subj = speaker_token(subj)
                if subj is not None and self.text[close - 1] in ",?!—–-" or subj is not None and i == start:
                    return Frame(cue=(i, i + 1), cue_head=i, kind="inferred", speaker=subj, confidence=0.7)
        return None

    def _pre_cue(self, q: QuoteSpan, by_cue: dict[int, Frame], toks: set[int]) -> Frame | None:
        """The reporting verb before the quotation in its sentence ("She said: “…”", "He told reporters,
        “…”"); a colon also ties a quotation to the sentence or paragraph before it ("He said:\n\n“…”")."""
        open_mark = q.marks[0][0]
        k = self._tok_at(open_mark)
        if k == 0:
            return None
        prev = k - 1
        while prev > 0 and self.doc[prev].is_space:
            prev -= 1
        colon = self.doc[prev].text == ":"
        sent_start = self.doc[k].sent.start
        if self.doc[prev].sent.start != sent_start:
            if not colon:
                return self._cue_sentence_before(prev, open_mark, by_cue)
            sent_start = self.doc[prev].sent.start
        for i in range(prev, sent_start - 1, -1):
            if not colon and self.para[self.doc[i].idx] != self.para[open_mark]:
                break
            f = by_cue.get(i)
            if f is None or f.kind != "verb":
                continue
            if f.content and not (f.content_tokens() & toks):
                return None  # the cue has its own content ("said that ..."): the quote is not its words
            between = [t for t in self.doc[f.cue[1]:k] if not t.is_space]
            if len(between) <= 8 or (between and between[-1].text in (":", ",")):
                return f
            return None
        if self.doc[prev].text in (":", ",") and self.doc[prev].sent.start == sent_start:
            # "The senator fired back: “…”": any verb with a subject right before the colon introduces it
            for i in range(prev - 1, max(sent_start, prev - 4) - 1, -1):
                t = self.doc[i]
                if t.pos_ == "VERB":
                    subj = speaker_token(subject_of(t))
                    if subj is not None and subj.i < t.i:
                        return Frame(cue=(i, i + 1), cue_head=i, kind="inferred", speaker=subj,
                                     confidence=0.7)
                    break
        if colon and self.doc[prev].sent.start == sent_start:
            # "… gave his rival a back-handed compliment: “…”": the verb of the clause the colon ends
            t = self.doc[prev].head
            for _ in range(3):  # the colon may hang on the verb's object ("… a compliment:")
                if t.pos_ == "VERB" or t.head.i == t.i or t.head.i > prev:
                    break
                t = t.head
            subj = speaker_token(subject_of(t)) if t.pos_ == "VERB" and t.i < prev else None
            if subj is not None and subj.i < t.i and t.i not in self._quoted:
                return Frame(cue=(t.i, t.i + 1), cue_head=t.i, kind="inferred", speaker=subj,
                             confidence=0.65)
        return None

    def _cue_sentence_before(self, prev: int, open_mark: int, by_cue: dict[int, Frame]) -> Frame | None:
        """"Ms Lopez said in a statement. “There are no ballots to recount.”": a reporting verb with no
        content of its own, ending the sentence right before the quotation in its paragraph, introduces it."""
        if self.doc[prev].text not in (".", ":") or self.para[self.doc[prev].idx] != self.para[open_mark]:
            return None
        sent = self.doc[prev].sent
        cues = [f for i in range(sent.start, prev) if (f := by_cue.get(i)) is not None]
        cues = [f for f in cues if f.kind == "verb" and not f.content and f.speaker is not None]
        return cues[-1] if cues else None

    def _dash_signature(self, q: QuoteSpan) -> Frame | None:
        """A quotation signed with a dash after it ("“…”\n\n– Sanders." / "-Michelle Marks, Ohio"): the
        name after the dash is the speaker."""
        close = q.marks[-1][1]  # the closing mark's offset
        if close < 0:
            return None
        j, n, breaks = close + 1, len(self.text), 0
        while j < n and self.text[j] in " \t\r\n." and breaks <= 2:  # at most the next paragraph
            breaks += self.text[j] == "\n"
            j += 1
        if j >= n or self.text[j] not in "-–—":
            return None
        dash = self._tok_at(j)
        k = dash if len(self.doc[dash].text.lstrip("-–—")) else dash + 1  # "-Michelle" is one token
        while k < len(self.doc) and (self.doc[k].is_space or self.doc[k].text in "-–—"):
            k += 1

        def name_word(t: Token) -> bool:
            capitalised = t.text.lstrip("-–—")[:1].isupper()
            return t.pos_ in ("PROPN", "NOUN") and capitalised and t.i not in self._quoted

        if k >= len(self.doc) or not name_word(self.doc[k]):
            return None
        end = k
        while end + 1 < len(self.doc) and name_word(self.doc[end + 1]):
            end += 1
        return Frame(cue=(dash, dash + 1), cue_head=dash, kind="signature", speaker=self.doc[end],
                     confidence=0.7)

    def _content_frame(self, toks: set[int], frames: list[Frame]) -> Frame | None:
        for f in frames:
            content = f.content_tokens()
            if content and len(content & toks) >= 0.5 * len(content) and f.cue_head not in toks:
                return f
        return None

    def _continues(self, prev: Statement, q: QuoteSpan) -> bool:
        """Does quotation ``q`` continue ``prev`` after its cue: nothing but the cue clause between them?"""
        if self.para[prev.end] != self.para[q.start]:
            return False
        f = prev.frame
        if f is None:
            return False
        cue_end_char = self._chars((f.cue[0], f.cue[1]))[1]
        if cue_end_char > q.start:
            return False
        gap_tokens = self._tokens(cue_end_char, q.marks[0][0]) if q.marks[0][0] > cue_end_char else (0, 0)
        sent_end = self.doc[f.cue_head].sent.end
        # the next quote opens right after the cue's sentence or after a comma that ends the cue clause
        return gap_tokens[1] <= sent_end + 1 and all(
            not t.is_quote for t in self.doc[gap_tokens[0]:gap_tokens[1]] if t.idx < q.marks[0][0])

    # --- speakers -------------------------------------------------------------------------------
    def _resolve_speakers(self, statements: list[Statement]) -> None:
        last: Statement | None = None
        last_person: Statement | None = None
        for st in statements:
            tok = st.frame.speaker if st.frame is not None else None
            if tok is not None:
                self._resolve_token(st, tok, last, last_person)
            elif last is not None and st.kind == "direct" and self.para[st.start] - self.para[last.end] <= 2:
                # an unattributed quotation continues the statement before it (news convention)
                # the speaker is known but not named for this quote: no speaker_span
                st.speaker, st.speaker_text = last.speaker, last.speaker_text
                st.organization = last.organization
                st.inherited = last
                st.confidence = min(st.confidence, 0.6)
            if st.speaker or st.speaker_text:
                last = st
                actor = self.table.get(st.speaker)
                if actor is not None and actor.kind == "person":
                    last_person = st

    def _resolve_token(self, st: Statement, tok: Token, last: Statement | None,
                       last_person: Statement | None) -> None:
        table = self.table
        actor = table.actor_of(tok)
        mention_tok = tok if actor else None
        if actor is None:
            appos = next((c for c in tok.children if c.dep_ == "appos"), None)
            if appos is not None and table.actor_of(appos):
                actor, mention_tok = table.actor_of(appos), appos
        if table.actor_at(tok.i) is None and tok.pos_ != "PRON":
            # "US Director of National Intelligence Avril Haines": the head is a title and the person is named
            # inside the phrase (the state reached through the compound "US" is not the speaker)
            a, b = tok.left_edge.i, tok.right_edge.i + 1
            found = [x for x in table.actors_in(a, b)
                     if (act := table.get(x)) is not None and act.kind == "person"]
            if found and tok.lemma_.lower() not in self.lex.speaker_bodies:
                actor = found[0]
                mention_tok = next((self.doc[i] for i in range(a, b) if table.actor_at(i) == actor), tok)
        lower = tok.lower_
        if actor is None and tok.pos_ == "PRON":
            prior = last_person if lower in _PRONOUNS_PERSON else last if lower in _PRONOUNS_OTHER else None
            if prior is not None and prior.speaker and self.para[st.start] - self.para[prior.end] <= 3:
                actor = prior.speaker
                st.confidence = min(st.confidence, 0.7)
        if actor is None and lower not in _PRONOUNS_PERSON | _PRONOUNS_OTHER | {"i", "you"}:
            actor = self._title_actor(tok)
            if actor is not None:
                mention_tok = tok
        if actor is None and tok.pos_ == "PROPN":
            actor = self._named_actor(tok)
            mention_tok = tok if actor else None
        st.speaker = actor
        st.organization = speaks_for(table, actor, tok)
        relative = st.frame.relative if st.frame is not None else None
        if relative is not None:
            # "Smith, who said …": the relative pronoun names the speaker for this statement, as "he" would;
            # the actor is the antecedent's
            st.speaker_span = self._chars((relative.i, relative.i + 1))
        elif mention_tok is not None and (m := table.mention_at(mention_tok.i)) is not None:
            st.speaker_span = (m.start, m.end)
        else:
            a = tok.left_edge.i if tok.pos_ != "PRON" else tok.i
            a = min(a, tok.i)
            st.speaker_span = self._chars((a, tok.i + 1))
        # a name is never its leading dash or mark ("-Michelle Marks" signing a quotation)
        a, b = st.speaker_span
        while a < b - 1 and (self.text[a] in "-–—'\"“‘" or self.text[a].isspace()):
            a += 1
        st.speaker_span = (a, b)
        st.speaker_text = self.text[a:b]

    def _named_actor(self, tok: Token) -> str | None:
        """An actor of the table named by the speaker's proper name though the resolver left this mention
        out ("Acme Corp. … Acme said"): the one actor whose name or alias contains the words, linked here."""
        table = self.table
        words = [t.text for t in tok.subtree if t.pos_ == "PROPN" and t.i <= tok.i and t.i >= tok.left_edge.i]
        if not words or any(table.actor_at(t.i) for t in tok.subtree if t.pos_ == "PROPN"):
            return None
        phrase = " ".join(words)
        found = [a.id for a in table if a.kind != "state" and any(
            f" {phrase} " in f" {name} " for name in (a.name, *a.aliases))]
        if len(found) != 1:
            return None
        a = min(i for i in range(tok.left_edge.i, tok.i + 1) if self.doc[i].pos_ == "PROPN")
        table.add_mention(self.doc, found[0], a, tok.i + 1, "alias")
        return found[0]

    def _title_actor(self, tok: Token) -> str | None:
        """An unnamed speaker known by title or body ("a State Department spokesman", "senior officials",
        "the ministry") becomes an actor of its own, attached to the body the phrase names."""
        lemma = tok.lemma_.lower()
        person = lemma in self.lex.speaker_titles
        if not person and lemma not in self.lex.speaker_bodies:
            return None
        if tok.pos_ not in ("NOUN", "PROPN"):
            return None
        table = self.table
        left = [t for t in tok.lefts if t.dep_ in ("compound", "amod", "nmod", "det", "poss")]
        start = min([t.left_edge.i for t in left], default=tok.i)
        org: str | None = None
        for i in range(start, tok.right_edge.i + 1):
            if i != tok.i and table.actor_at(i):
                org = table.actor_at(i)
                break
        words = [t.text for t in self.doc[start:tok.i + 1] if t.lower_ not in _DETERMINERS]
        name = " ".join(words) or tok.text
        org_actor = table.get(org)
        plural = tok.tag_ in ("NNS", "NNPS")
        kind = ("group" if plural else "person") if person else "organization"
        # "a ministry spokesman said … the spokesman added": one actor per title and body in an article
        key = f"newsgraph-quotes:title:{kind}:{(org_actor.name if org_actor else '')}:{tok.lemma_.lower()}"
        actor_id = table.add(Actor(
            id="", name=name, kind=kind, role=tok.text if person else None,
            organization=org if person else None,
            country=org_actor.country if org_actor is not None else None,
            sector=org_actor.sector if org_actor is not None else None), kb_id=key)
        # only the uncovered words: the body's own mention ("State Department") stays with the body
        a = tok.i
        while a - 1 >= start and table.actor_at(a - 1) is None and self.doc[a - 1].lower_ not in _DETERMINERS:
            a -= 1
        table.add_mention(self.doc, actor_id, a, tok.i + 1, "title")
        return actor_id

    # --- output ---------------------------------------------------------------------------------
    def _to_quotes(self, statements: list[Statement]) -> list[Quote]:
        out: list[Quote] = []
        for n, st in enumerate(statements, start=1):
            f = st.frame
            pieces = [self.text[a:b] for a, b in st.parts]
            cue = cue_span = addressee = sentence = None
            if f is not None and f.kind != "signature":
                a, b = self._chars(f.cue)
                cue, cue_span = self.text[a:b], Span(start=a, end=b)
                if f.addressee is not None:
                    addressee = self.table.actor_of(f.addressee)
                sent = self.doc[f.cue_head].sent
            else:
                sent = self.doc[self._tok_at(st.start)].sent
            s_a, s_b = sent.start_char, sent.end_char
            # the sentence(s) of the statement: the cue's, widened to the quotation it attributes when that
            # runs over several sentences of the same paragraph
            anchor = cue_span.start if cue_span is not None else st.start
            for edge in (st.start, max(st.start, st.end - 1)):
                other = self.doc[self._tok_at(edge)].sent
                s_a, s_b = min(s_a, other.start_char), max(s_b, other.end_char)
            # … but never past the paragraph (the parser joins a headline to the first sentence now and then)
            p_start = self.text.rfind("\n", 0, anchor) + 1
            p_end = self.text.find("\n", anchor)
            s_a, s_b = max(s_a, p_start), min(s_b, p_end if p_end >= 0 else len(self.text))
            while s_a < s_b and self.text[s_a].isspace():
                s_a += 1
            while s_b > s_a and self.text[s_b - 1].isspace():
                s_b -= 1
            sentence = Span(start=s_a, end=s_b)
            about: list[str] = []
            ranges = [self._tokens(a, b) for a, b in st.parts]
            if st.kind == "partial" and f is not None:
                ranges += f.content  # "praised North Korea as a “…”": the quoted words are about North Korea
            for r in ranges:
                for x in self.table.actors_in(*r):
                    if x != st.speaker and x not in about:
                        about.append(x)
            out.append(Quote(
                id=f"q{n}", kind=st.kind, text=" ".join(pieces), start=st.start, end=st.end,
                parts=[Span(start=a, end=b) for a, b in st.parts] if len(st.parts) > 1 else [],
                speaker=st.speaker, speaker_text=st.speaker_text, speaker_organization=st.organization,
                speaker_span=Span(start=st.speaker_span[0], end=st.speaker_span[1])
                if st.speaker_span else None,
                cue=cue, cue_span=cue_span, addressee=addressee, about=about, sentence=sentence,
                confidence=round(st.confidence, 2)))
        return out
