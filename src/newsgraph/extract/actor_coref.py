"""Pronouns to actors: recency, agreement and grammatical-subject preference, inside or outside quotes.

Deliberately small and precise: a pronoun is left unresolved rather than guessed.
- he/she/his/her... refer to people; it/its to states and organisations; they/them/their to groups.
- A pronoun inside a quotation refers only to someone named earlier in the same quotation (the speaker
  speaks in the first person; "he" in their words is someone they named). Outside quotations, names
  inside quotations are not antecedents.
- The nearest sentence wins; in it the grammatical subject wins, then the most recent mention.
- "its" needs a subject antecedent (it usually points at the clause's subject, and often at a non-actor
  noun otherwise); "it" is resolved only as a subject; expletive "it" ("it is clear", "is it energy?")
  and "it" after a non-actor subject noun in its sentence ("the trip ... as it suggests") are skipped.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from spacy.attrs import LOWER
from spacy.tokens import Doc, Token

from newsgraph.extract.actor_rules import ActorRules
from newsgraph.extract.actor_table import ActorTable

_QUOTE_RE = re.compile(r"“[^“”]*”|\"[^\"\n]*\"")
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_LOOKBACK_SENTENCES = 2


@dataclass
class _Candidate:
    token: int  # first token of the mention
    actor_id: str
    kind: str
    sentence: int
    quote: int  # index of the enclosing quotation, -1 outside
    subject: bool


def quote_regions(text: str) -> list[tuple[int, int]]:
    """Character spans of quotations (curly or straight double quotes)."""
    return [(m.start(), m.end()) for m in _QUOTE_RE.finditer(text)]


def _region_of(char: int, regions: list[tuple[int, int]], starts: list[int]) -> int:
    k = bisect.bisect_right(starts, char) - 1
    return k if k >= 0 and regions[k][0] <= char < regions[k][1] else -1


def _head(doc: Doc, start: int, end: int) -> Token:
    """The syntactic head of a mention: its first token whose head lies outside it."""
    for tok in doc[start:end]:
        if not (start <= tok.head.i < end) or tok.head.i == tok.i:
            return tok
    return doc[end - 1]


def _is_subject(doc: Doc, start: int, end: int) -> bool:
    return _head(doc, start, end).dep_ in _SUBJECT_DEPS


def _expletive(tok: Token) -> bool:
    if tok.dep_ == "expl":
        return True
    head = tok.head
    if head.lemma_ == "be":
        if any(c.dep_ == "attr" for c in head.children):
            return True  # "is it energy?", "it is a question of ..."
        # "it is clear that ...", "it was important to ...": an extraposed clause; "it was ready" is not.
        comps = [c for c in head.children if c.dep_ == "acomp"]
        clause = ("ccomp", "xcomp", "csubj")
        if comps and (any(c.dep_ in clause for c in head.children)
                      or any(g.dep_ in clause for c in comps for g in c.children)):
            return True
    return head.lemma_ in ("seem", "appear", "happen", "rain") and tok.dep_ in _SUBJECT_DEPS


def resolve_pronouns(doc: Doc, table: ActorTable, rules: ActorRules, gender: dict[str, str],
                     text: str | None = None, lower: list[int] | None = None) -> None:
    """Add how="pronoun" mentions to ``table``; ``gender`` (actor id -> "m"/"f") is read and extended.

    ``text`` and ``lower`` (the LOWER hash of each token) may be passed when the caller has them.
    """
    pronoun_words = rules.person_pronouns | rules.thing_pronouns | rules.plural_pronouns
    strings = doc.vocab.strings
    hashes = {strings[w] for w in pronoun_words}
    lower = lower if lower is not None else doc.to_array(LOWER).tolist()
    positions = [i for i, h in enumerate(lower) if h in hashes]
    if not positions:
        return
    regions = quote_regions(text if text is not None else doc.text)
    region_starts = [r[0] for r in regions]
    sent_starts = [s.start for s in doc.sents]

    def sentence_of(i: int) -> int:
        return bisect.bisect_right(sent_starts, i) - 1

    kinds = {a.id: a.kind for a in table}
    candidates: list[_Candidate] = []
    for m in table.mentions:
        kind = kinds.get(m.actor_id)
        if kind is None:
            continue
        if kind == "organization" and _head(doc, m.token_start, m.token_end).tag_ in ("NNS", "NNPS"):
            kind = "group"  # "European governments" agree with "they", not with "it"
        candidates.append(_Candidate(m.token_start, m.actor_id, kind, sentence_of(m.token_start),
                                     _region_of(m.start, regions, region_starts),
                                     _is_subject(doc, m.token_start, m.token_end)))
    cand_starts = [c.token for c in candidates]
    for i in positions:
        tok = doc[i]
        low = tok.lower_
        if table.mention_at(i) is not None:
            continue
        if low in rules.person_pronouns:
            wanted = ("person",)
            want_gender = "f" if low in rules.female_words else "m"
        elif low in rules.thing_pronouns:
            if _expletive(tok) or (low == "it" and tok.dep_ not in _SUBJECT_DEPS):
                continue  # object "it" mostly points at a thing ("to do it"): left alone
            wanted, want_gender = ("state", "organization"), ""
        else:
            wanted, want_gender = ("group",), ""
        quote = _region_of(tok.idx, regions, region_starts)
        sent = sentence_of(tok.i)
        upto = bisect.bisect_left(cand_starts, tok.i)
        pool = [c for c in candidates[:upto] if c.kind in wanted and c.quote == quote
                and sent - c.sentence <= _LOOKBACK_SENTENCES
                and (not want_gender or gender.get(c.actor_id, want_gender) == want_gender)]
        if not wanted == ("person",) and not any(c.sentence == sent for c in pool) \
                and _non_actor_subject(doc, table, tok):
            continue  # "This trip ... as it suggests": the pronoun points at that noun, not at an actor
        if wanted == ("group",) and _closer_plural_noun(doc, table, tok, pool):
            continue  # "urged all sides to honor their commitments": "their" is the sides
        chosen = _choose(pool, sent, possessive=low == "its")
        if chosen is None:
            continue
        table.add_mention(doc, chosen.actor_id, tok.i, tok.i + 1, "pronoun")
        if want_gender:
            gender.setdefault(chosen.actor_id, want_gender)
        new = _Candidate(tok.i, chosen.actor_id, chosen.kind, sent, quote, tok.dep_ in _SUBJECT_DEPS)
        k = bisect.bisect_left(cand_starts, tok.i)
        candidates.insert(k, new)
        cand_starts.insert(k, tok.i)


def _non_actor_subject(doc: Doc, table: ActorTable, pronoun: Token) -> bool:
    for tok in doc[pronoun.sent.start:pronoun.i]:
        if tok.dep_ in _SUBJECT_DEPS and tok.pos_ in ("NOUN", "PROPN") and table.mention_at(tok.i) is None:
            return True
    return False


def _closer_plural_noun(doc: Doc, table: ActorTable, pronoun: Token, pool: list[_Candidate]) -> bool:
    """A plural noun that is no actor, between the nearest candidate and the pronoun, in its sentence."""
    start = max([pronoun.sent.start, *(c.token + 1 for c in pool)])
    return any(t.tag_ in ("NNS", "NNPS") and table.mention_at(t.i) is None for t in doc[start:pronoun.i])


def _choose(pool: list[_Candidate], sent: int, possessive: bool) -> _Candidate | None:
    if not pool:
        return None
    nearest = max(c.sentence for c in pool)
    in_sent = [c for c in pool if c.sentence == nearest]
    subjects = [c for c in in_sent if c.subject]
    if subjects:
        # In the pronoun's own sentence the closest subject; in an earlier one its first (main) subject.
        return subjects[-1] if nearest == sent else subjects[0]
    if possessive:
        return None
    if nearest == sent:
        return in_sent[-1]
    # No subject in the previous sentence: only a single clear candidate is taken.
    actors = {c.actor_id for c in in_sent}
    return in_sent[-1] if len(actors) == 1 else None
