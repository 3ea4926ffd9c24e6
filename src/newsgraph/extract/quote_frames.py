"""Reporting frames: who reports what, read from the dependency parse with the reporting lexicon.

A frame is one reporting cue (a verb such as "warned", a noun such as "assurances", or "according to")
with its speaker token, its content (token ranges) and its addressee. Frames attribute direct quotations
(the quotation is the content, or sits next to the cue) and, when no quotation covers their content,
become indirect quotes themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Doc, Token

from newsgraph.extract.actor_table import ActorTable
from newsgraph.extract.quote_lexicon import Cue, ReportingLexicon
from newsgraph.extract.quote_model import AttributionModel, Quotations, cue_candidates

Range = tuple[int, int]  # token indices, end exclusive

_SUBJECTS = ("nsubj",)
_INHERITS_SUBJECT = ("advcl", "conj", "xcomp", "pcomp")
_RELATIVE = frozenset({"who", "that", "which", "whom"})
_EDGE_SKIP = frozenset({"that", "whether", "if"})


@dataclass
class Frame:
    cue: Range
    cue_head: int
    kind: str  # verb | noun | according | inferred | signature (a dash after a quotation)
    speaker: Token | None
    content: list[Range] = field(default_factory=list)
    addressee: Token | None = None
    attitude: bool = False
    cognitive: bool = False  # a belief or intention ("wants to", "believes that"), not a speech act
    confidence: float = 0.9
    relative: Token | None = None  # "who" of "Smith, who said …": where the speaker is named for this cue

    @property
    def content_start(self) -> int | None:
        return self.content[0][0] if self.content else None

    def content_tokens(self) -> set[int]:
        return {i for a, b in self.content for i in range(a, b)}


def _is_edge_noise(tok: Token) -> bool:
    return tok.is_punct or tok.is_space or tok.is_quote


def trim(doc: Doc, a: int, b: int, lead_words: bool = True) -> Range | None:
    """Strip punctuation, spaces, quote marks (and a leading complementizer) from a token range."""
    while a < b and (_is_edge_noise(doc[a]) or (lead_words and doc[a].lower_ in _EDGE_SKIP
                                                 and doc[a].dep_ == "mark")):
        a += 1
    while b > a and _is_edge_noise(doc[b - 1]):
        b -= 1
    return (a, b) if b > a else None


def skip_dateline(doc: Doc, r: Range) -> Range:
    """A content range that starts a paragraph with a dateline ("DUBAI (Reuters) — …") starts after it."""
    a, b = r
    if a > 0 and "\n" not in doc[a - 1].text_with_ws:
        return r
    for i in range(a, min(b, a + 10)):
        if doc[i].text in ("—", "–", "--") and any(t.is_upper and t.is_alpha for t in doc[a:i]):
            return (i + 1, b) if i + 1 < b else r
    return r


def subtree_range(tok: Token) -> Range:
    return tok.left_edge.i, tok.right_edge.i + 1


def _minus(doc: Doc, outer: Range, inner: Range) -> list[Range]:
    """``outer`` without ``inner``, trimmed, as up to two pieces."""
    out = []
    for a, b in ((outer[0], min(inner[0], outer[1])), (max(inner[1], outer[0]), outer[1])):
        r = trim(doc, a, b)
        if r and any(t.is_alpha for t in doc[r[0]:r[1]]):
            out.append(r)
    return out


def subject_of(verb: Token) -> Token | None:
    """The subject of a verb, inherited through coordination, adverbial and open clauses."""
    v = verb
    for _ in range(5):
        subjects = [c for c in v.children if c.dep_ in _SUBJECTS]
        if subjects:
            # a headline hung on the verb brings a second subject: take the nearest one on the verb's line
            same_line = [c for c in subjects if not _newline_between(c, v)]
            if not same_line:
                return _line_subject(v) or subjects[0]
            c = min(same_line, key=lambda s: abs(s.i - v.i))
            if c.lower_ in _RELATIVE and v.dep_ == "relcl":
                return v.head
            return c
        for c in v.children:
            if c.dep_ == "agent":
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj
        passive = next((c for c in v.children if c.dep_ == "nsubjpass"), None)
        if passive is not None and v.lemma_.lower() in ("quote", "cite"):
            return passive  # "Smith was quoted as saying …"
        if any(c.dep_ in ("nsubjpass", "csubj", "expl") for c in v.children):
            return None
        if v.dep_ == "relcl" and v.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return v.head
        if v.tag_ in ("VBN", "VBD") and v.dep_ == "advcl" and v.left_edge.is_sent_start:
            return None  # "Asked whether he would run, Smith said …": the asker is someone else
        if v.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in v.children):
            return None  # "when asked whether ...": a bare passive participle, the asker is someone else
        if v.dep_ == "advcl" and v.tag_ == "VBG" and v.head.dep_ == "ccomp" and v.head.head.i < v.head.i \
                and not _newline_between(v.head.head, v):
            v = v.head.head  # "said the campaign would file a complaint, adding that …": the sayer adds
            continue
        if v.dep_ in _INHERITS_SUBJECT and v.head.i != v.i:
            v = v.head
            if v.pos_ == "ADP" and v.head.i != v.i:  # "quoted as saying": past the preposition
                v = v.head
                quoted = _child(v, "dobj")
                if v.lemma_.lower() in ("quote", "cite") and quoted is not None:
                    return quoted  # "IRNA quoted a commander as saying …": the commander says it
            continue
        if v.dep_ == "acl" and v.head.pos_ in ("NOUN", "PROPN"):  # "a statement saying that ..."
            return v.head
        return None
    return None


_QUANTIFIERS = frozenset({"one", "some", "many", "most", "all", "few", "several", "each", "both", "none",
                          "any", "half", "number", "majority", "minority", "handful", "couple", "lot",
                          "dozens", "hundreds", "thousands", "millions", "percent", "third", "quarter",
                          "share"})


def speaker_token(tok: Token | None) -> Token | None:
    """The word that names a speaker, never punctuation or a numeral: "one of them said" is said by
    "them", "a number of officials" by "officials"; a bare "one", number or dash names nobody."""
    if tok is None or tok.is_punct or not any(ch.isalpha() for ch in tok.text):
        return None
    low = tok.lower_
    if low in _QUANTIFIERS or tok.like_num or tok.pos_ == "NUM":
        of = _prep_object(tok, "of")
        if of is not None and of.pos_ in ("NOUN", "PROPN", "PRON"):
            return of
        return None if low == "one" or tok.like_num or tok.pos_ == "NUM" else tok
    return tok


def _finite_clause(tok: Token) -> bool:
    """Does the cue take a clause with its own subject ("hopes that the talks resume")?"""
    return any(c.dep_ == "ccomp" and any(g.dep_ in ("nsubj", "nsubjpass", "mark") for g in c.children)
               for c in tok.children)


def _newline_between(a: Token, b: Token) -> bool:
    """Is there a line break between two tokens? (Doc.text would rebuild the whole text each call.)"""
    lo, hi = sorted((a.i, b.i))
    return any("\n" in t.text_with_ws for t in a.doc[lo:hi])


def _line_subject(verb: Token) -> Token | None:
    """The noun phrase right before the verb on its own line: the subject when the parser took a word of
    the headline above for it ("Senate Stalls on Health Bill / Senate Majority Leader Mitch McConnell
    acknowledged ...")."""
    doc = verb.doc
    for i in range(verb.i - 1, max(-1, verb.i - 9), -1):
        t = doc[i]
        if "\n" in t.text_with_ws:
            return None
        if t.pos_ in ("NOUN", "PROPN", "PRON"):
            while t.dep_ in ("compound", "flat") and t.i < t.head.i < verb.i:
                t = t.head
            return t
        if not (t.is_punct or t.pos_ in ("ADV", "AUX", "PART")):
            return None
    return None


def _child(tok: Token, *deps: str) -> Token | None:
    return next((c for c in tok.children if c.dep_ in deps), None)


def _prep_object(tok: Token, prep: str) -> Token | None:
    for c in tok.children:
        if c.dep_ in ("prep", "dative") and c.lower_ == prep:
            return _child(c, "pobj", "pcomp")
    return None


def _has_to(tok: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


class FrameFinder:
    """Reporting frames from the lexicon's rules and, when a trained model is given, from the words it
    reads as cues: the model vetoes rule frames it finds unlikely, adds cues the lexicon lacks and chooses
    the content where the rules find none."""

    def __init__(self, lexicon: ReportingLexicon, model: AttributionModel | None = None) -> None:
        self.lex = lexicon
        self.model = model

    def find(self, doc: Doc, quoted: Quotations = Quotations(), title: tuple[int, int] | None = None,
             table: ActorTable | None = None) -> list[Frame]:
        found = self._find_learned(doc, quoted, title, table) if self.model is not None \
            else self._find_rules(doc)
        out = []
        for f in found:
            cue = doc[f.cue_head]
            if cue.dep_ == "relcl" and f.speaker is not None and f.speaker.i == cue.head.i:
                f.relative = next((c for c in cue.children if c.dep_ == "nsubj" and c.lower_ in _RELATIVE),
                                  None)
            if f.speaker is not None:
                f.speaker = speaker_token(f.speaker)
                if f.speaker is None:
                    continue
            if self._statement(doc, f):
                out.append(f)
        return out

    def _statement(self, doc: Doc, f: Frame) -> bool:
        """Only communicative and attitude acts are statements: not intentions, attempts, decisions or
        hedges ("is seeking to cut the budget", "seems to"), nor what polls and data show."""
        tok = doc[f.cue_head]
        lemma = tok.lemma_.lower()
        if f.kind != "according" and lemma in self.lex.not_statements and not _finite_clause(tok):
            return False
        if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in self.lex.not_statements:
            return False  # "is trying to reach an agreement", "plans to announce": not done, not stated
        sp = f.speaker
        return sp is None or (sp.lemma_.lower() not in self.lex.not_speakers
                              and sp.lower_ not in self.lex.not_speakers)

    def _find_rules(self, doc: Doc) -> list[Frame]:
        frames: list[Frame] = []
        strings = doc.vocab.strings
        words = self.lex.cue_words
        according = strings["according"]
        known: dict[int, bool] = {}
        # only tokens whose lemma can start a cue are looked at (read from arrays: no Token objects)
        for i, (low, lemma) in enumerate(doc.to_array([LOWER, LEMMA]).tolist()):
            if low != according:
                hit = known.get(lemma)
                if hit is None:
                    hit = known[lemma] = strings[lemma].lower() in words
                if not hit:
                    continue
            frame = self._rule_frame(doc, doc[i])
            if frame is not None:
                frames.append(frame)
        return frames

    def _rule_frame(self, doc: Doc, tok: Token) -> Frame | None:
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            return self._according(doc, tok)
        if tok.pos_ in ("VERB", "AUX") or (tok.tag_.startswith("VB") and tok.pos_ != "AUX"):
            return self._verb(doc, tok)
        if tok.pos_ == "NOUN":
            return self._noun(doc, tok)
        return None

    def _find_learned(self, doc: Doc, quoted: Quotations, title: tuple[int, int] | None,
                      table: ActorTable | None) -> list[Frame]:
        model = self.model
        assert model is not None
        frames: list[Frame] = []
        for cand in cue_candidates(doc, self.lex, quoted, title, table):
            tok = doc[cand.index]
            p = model.cue_probability(cand.features)
            rule = self._rule_frame(doc, tok) if cand.lexical else None
            if rule is not None and rule.content:
                # the lexicon's nouns and "according to" come with their speaker and content in the
                # parse, rarer in the training data than in news: only its verbs are vetoed
                if p >= model.rule_threshold or rule.kind != "verb":
                    rule.confidence = p
                    frames.append(rule)
                continue
            if p < model.cue_threshold:
                if rule is not None:
                    frames.append(rule)  # a bare cue still attributes the quotation next to it
                continue
            best = model.best_content(tok, self.lex, quoted)
            frame = rule or self._learned_frame(doc, tok)
            if frame is None:
                continue
            # a quotation next to the cue as the best content: the quote builder attributes it
            if best is not None and not best[0].startswith("quote") and not frame.content \
                    and tok.i not in quoted:
                frame.content = [best[1]]
            frame.confidence = p
            frames.append(frame)
        return frames

    def _learned_frame(self, doc: Doc, tok: Token) -> Frame | None:
        """A frame for a cue the lexicon lacks: the speaker as the rules find it, the content to come."""
        if tok.pos_ == "NOUN":
            speaker = self._noun_speaker(tok)
            kind = "noun"
        else:
            if any(c.dep_ == "neg" for c in tok.children):
                return None
            speaker = subject_of(tok)
            kind = "verb"
        if speaker is None:
            return None
        return Frame(cue=(tok.i, tok.i + 1), cue_head=tok.i, kind=kind, speaker=speaker)

    # --- verbs ----------------------------------------------------------------------------------
    def _verb_cue(self, tok: Token) -> tuple[Cue | None, int]:
        lemma = tok.lemma_.lower()
        for c in tok.children:  # phrasal and multi-word cues: "point out", "make clear"
            if c.dep_ in ("prt", "acomp", "oprd", "advmod", "ccomp") and c.i == tok.i + 1:
                cue = self.lex.verbs.get(f"{lemma} {c.lower_}")
                if cue:
                    return cue, c.i + 1
        return self.lex.verbs.get(lemma), tok.i + 1

    def _verb(self, doc: Doc, tok: Token) -> Frame | None:
        cue, cue_end = self._verb_cue(tok)
        if cue is None:
            return None
        if any(c.dep_ == "neg" for c in tok.children) or (
                tok.dep_ == "xcomp" and tok.head.lemma_.lower() in ("decline", "refuse", "fail")):
            return None  # "did not say", "declined to comment": nothing was stated
        frames = cue.frames
        addressee: Token | None = None
        if cue.addressee == "dobj":
            addressee = _child(tok, "dobj", "dative")
            if addressee is None and any(c.dep_ == "nsubjpass" for c in tok.children):
                addressee = _child(tok, "nsubjpass")  # "Congress was told that ..."
        elif cue.addressee == "to":
            addressee = _prep_object(tok, "to")
        content: list[Range] = []
        conf = 0.7 if cue.cognitive else 0.9
        ccomp = self._complement(tok)
        dobj = _child(tok, "dobj")
        if "that-clause" in frames and ccomp is not None:
            content = self._clause(doc, ccomp, tok)
        if not content and "that-clause" in frames and tok.dep_ == "parataxis":
            # "The plan, she said, will fail.": the content is the clause around the cue
            content = _minus(doc, subtree_range(tok.head), subtree_range(tok))
        if not content and "to-clause" in frames:
            x = _child(tok, "xcomp")
            if x is not None and _has_to(x):
                content = self._clause(doc, x, tok)
        if not content and dobj is not None and addressee is not dobj:
            comp = _child(tok, "oprd", "xcomp", "ccomp")
            as_prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "as"), None)
            if "object-complement" in frames and comp is not None and comp.i > dobj.i:
                content = self._span(doc, dobj.left_edge.i, comp.right_edge.i + 1)
            elif "as-complement" in frames and as_prep is not None and as_prep.i > dobj.i:
                content = self._span(doc, dobj.left_edge.i, as_prep.right_edge.i + 1)
            elif "direct-object" in frames and self._substantial(doc, dobj):
                content = self._span(doc, *subtree_range(dobj))
                conf = min(conf, 0.8)
            if any(a <= tok.i < b for a, b in content):
                content = []  # "what she described as …": the cue sits inside, a relative, not its object
        if not content and "direct-object" in frames and ccomp is not None and ccomp.left_edge.tag_ in (
                "WP", "WDT", "WRB") and ccomp.i > tok.i:
            content = self._span(doc, *subtree_range(ccomp))  # "criticized what she called waste"
            conf = min(conf, 0.8)
        if not content and "that-clause" in frames:
            content = self._that_in_adjunct(doc, tok)
        if not content:
            for prep in ("about", "of", "on", "against", "for"):
                if prep in frames:
                    obj = _prep_object(tok, prep)
                    if obj is not None:
                        content = self._span(doc, *subtree_range(obj))
                        conf = min(conf, 0.75)
                        break
                    if dobj is not None and (obj := _prep_object(dobj, prep)) is not None:
                        # "accused the president of ignoring ...": object and its charge together
                        content = self._span(doc, dobj.left_edge.i, obj.right_edge.i + 1)
                        conf = min(conf, 0.75)
                        break
        speaker = subject_of(tok)
        if tok.dep_ == "conj" and _child(tok, "nsubj") is None and tok.head.dep_ == "ccomp" \
                and self.lex.verbs.get(tok.head.lemma_.lower()) is None:
            # "said his city had received no help and complained about ...": the parser coordinates the
            # second cue inside the first one's content; both belong to the first cue's subject
            outer = tok.head.head
            if self.lex.verbs.get(outer.lemma_.lower()) is not None:
                speaker = subject_of(outer)
        if speaker is not None and tok.dep_ == "acl" and speaker.i == tok.head.i:
            speaker = self._noun_speaker(speaker) or speaker
        return Frame(cue=(tok.i, cue_end), cue_head=tok.i, kind="verb", speaker=speaker, content=content,
                     addressee=addressee, attitude=cue.attitude, cognitive=cue.cognitive, confidence=conf)

    @staticmethod
    def _complement(tok: Token) -> Token | None:
        """The clausal complement: one introduced by "that" after the cue first, then the nearest; the
        parser sometimes hangs a headline or a neighbouring paragraph's clause on the cue as well."""
        comps = [c for c in tok.children if c.dep_ == "ccomp"]
        if len(comps) <= 1:
            return comps[0] if comps else None
        marked = [c for c in comps if c.i > tok.i and any(m.dep_ == "mark" for m in c.children)]
        return marked[0] if marked else min(comps, key=lambda c: abs(c.i - tok.i))

    @staticmethod
    def _substantial(doc: Doc, obj: Token) -> bool:
        """An object worth reporting as content: three words or more ("China's dual approach"), not
        "the accusations" or "this sentiment", whose meaning lies elsewhere in the text."""
        a, b = subtree_range(obj)
        return sum(1 for t in doc[a:b] if t.is_alpha) >= 3

    def _clause(self, doc: Doc, head: Token, cue: Token) -> list[Range]:
        outer = subtree_range(head)
        if outer[0] <= cue.i < outer[1]:  # a mis-attached clause containing the cue itself
            return _minus(doc, outer, subtree_range(cue) if cue.head is cue else (cue.i, cue.i + 1))
        # a second reporting cue coordinated inside the clause ("… had received no help and complained
        # about …") starts a statement of its own: the content stops before it
        # and so does one in a trailing adverbial clause (", adding that …", ", though they acknowledged …")
        for t in head.subtree:
            if t.i <= head.i or self.lex.verbs.get(t.lemma_.lower()) is None:
                continue
            if t.dep_ == "conj" and _child(t, "nsubj") is None:
                cc = next((c for c in t.lefts if c.dep_ in ("cc", "punct")), None)
                outer = (outer[0], (cc or t).i)
                break
            if t.dep_ == "advcl" and t.head.i >= head.i and t.left_edge.i > head.i:
                outer = (outer[0], t.left_edge.i)
                break
        # a participle after a comma at the end ("…, brushing aside questions") describes the speaker
        for t in head.rights:
            comma = t.left_edge.i - 1
            if t.dep_ == "advcl" and t.tag_ == "VBG" and comma > head.i and doc[comma].text == "," \
                    and _child(t, "nsubj") is None and comma < outer[1]:
                outer = (outer[0], comma)
                break
        r = trim(doc, *outer)
        return [r] if r else []

    def _that_in_adjunct(self, doc: Doc, tok: Token) -> list[Range]:
        """'said in a statement that …', 'told a gathering of leaders on Saturday that …': the parser
        hangs the that-clause on a noun after the cue; unless that noun is a reporting noun (whose clause
        it is), the clause is the cue's."""
        for child in (c for c in tok.children
                      if c.dep_ in ("prep", "dobj", "dative", "npadvmod") and c.i > tok.i):
            for t in child.subtree:
                if t.dep_ in ("acl", "ccomp", "relcl", "advcl") and t.head.pos_ in ("NOUN", "PROPN") \
                        and self.lex.noun(t.head.lemma_.lower()) is None \
                        and any(m.dep_ == "mark" and m.lower_ == "that" and m.tag_ == "IN"
                                for m in t.children):
                    return self._clause(doc, t, tok)
        return []

    def _span(self, doc: Doc, a: int, b: int) -> list[Range]:
        r = trim(doc, a, b, lead_words=False)
        return [r] if r else []

    # --- nouns ----------------------------------------------------------------------------------
    def _noun_speaker(self, noun: Token) -> Token | None:
        """Who a reporting noun belongs to: "X's claim", "a warning from X", "X issued a statement"."""
        poss = _child(noun, "poss")
        if poss is not None:
            return poss
        for prep in ("by", "from", "of"):
            obj = _prep_object(noun, prep)
            if obj is not None and (prep != "of" or obj.pos_ == "PROPN"):
                return obj
        comp = next((c for c in noun.children if c.dep_ in ("compound", "nmod") and c.pos_ == "PROPN"), None)
        if comp is not None:
            return comp
        if noun.dep_ in ("dobj", "conj") and noun.head.lemma_.lower() in self.lex.light_verbs:
            return subject_of(noun.head)
        return None

    def _noun(self, doc: Doc, tok: Token) -> Frame | None:
        cue = self.lex.noun(tok.lemma_.lower())
        if cue is None:
            return None
        content: list[Range] = []
        for c in tok.children:
            if "that" in cue.frames and c.dep_ in ("acl", "ccomp", "appos", "relcl", "advcl") and c.i > tok.i:
                mark = next((m for m in c.children if m.dep_ == "mark" and m.lower_ == "that"), None)
                if mark is not None:
                    content = self._clause(doc, c, tok)
                    break
            if "to-clause" in cue.frames and c.dep_ == "acl" and _has_to(c) and c.i > tok.i:
                content = self._clause(doc, c, tok)
                break
        if not content and "of" in cue.frames:
            obj = _prep_object(tok, "of")
            if obj is not None and obj.pos_ != "PROPN":
                content = self._span(doc, *subtree_range(obj))
        if not content:
            return None
        speaker = self._noun_speaker(tok)
        if speaker is None:
            return None  # "the fear that ...", "the notion that ...": nobody in particular
        addressee = _prep_object(tok, "to") if cue.addressee == "to" else None
        return Frame(cue=(tok.i, tok.i + 1), cue_head=tok.i, kind="noun", speaker=speaker, content=content,
                     addressee=addressee, attitude=cue.attitude, confidence=0.75)

    # --- according to ---------------------------------------------------------------------------
    def _according(self, doc: Doc, tok: Token) -> Frame | None:
        to = doc[tok.i + 1]
        pobj = _child(to, "pobj") or _child(tok, "pobj")
        if pobj is None:
            window = doc[to.i + 1:min(len(doc), to.i + 8)]
            pobj = next((t for t in window if t.pos_ in ("PROPN", "NOUN", "PRON") and t.head.i < t.i), None)
            if pobj is None:
                return None
        if pobj.lower_ in self.lex.not_sources or pobj.lemma_.lower() in self.lex.not_sources:
            return None  # "according to plan"
        speaker = pobj
        if self.lex.noun(pobj.lemma_.lower()) is not None or pobj.lemma_.lower() in ("report", "document",
                                                                                       "survey", "study"):
            speaker = self._noun_speaker(pobj) or pobj
        phrase_end = pobj.right_edge.i + 1
        comma = next((t.i for t in doc[pobj.i:phrase_end] if t.lower_ in (",", ";")), None)
        if comma is not None:
            phrase_end = comma
        sent = tok.sent
        content = _minus(doc, (sent.start, sent.end), (tok.i, phrase_end))
        if not content:
            return None
        return Frame(cue=(tok.i, tok.i + 2), cue_head=tok.i, kind="according", speaker=speaker,
                     content=content, confidence=0.85)
