"""The per-article actor table: actors, their mentions, and lookups from tokens to actors.

The actor resolver fills it; quotes and events only read it (and may add title-only actors such as
"a ministry spokesman" through ``add``). Token indices refer to the spaCy Doc of the article.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from newsgraph.contract import Actor, Mention

_EDGE_WORDS = frozenset({"and", "or", "but", "nor", "&"})
# A mention's extent in the contract is its noun phrase, as entity corpora mark it ("the Coalition",
# "Defense Secretary Ash Carter", "our partners"): the name or head plus the words before it that
# modify it. Resolution works on the head; only the evidence span grows.
_EXTENT_HOWS = frozenset({"name", "alias", "surname", "metonym", "title", "description"})
_EXTENT_DEPS = frozenset({"det", "poss", "amod", "compound", "nmod", "nummod", "flat", "quantmod",
                          "npadvmod"})
_EXTENT_DETERMINERS = frozenset({"the", "a", "an"})
_EXTENT_POSSESSIVES = frozenset({"our", "their", "its", "his", "her", "my", "your"})


@dataclass(frozen=True)
class ResolvedMention:
    token_start: int
    token_end: int  # exclusive
    start: int  # characters
    end: int
    actor_id: str
    how: str  # name | alias | adjective | metonym | surname | pronoun | title | description | shared


class ActorTable:
    def __init__(self) -> None:
        self._actors: dict[str, Actor] = {}
        self._kb_ids: dict[str, str] = {}  # KB id -> actor id
        self._mentions: list[ResolvedMention] = []
        self._starts: list[int] = []
        self._by_token: dict[int, ResolvedMention] = {}

    # --- building -------------------------------------------------------------------------------
    def add(self, actor: Actor, kb_id: str | None = None) -> str:
        """Add an actor (its ``id`` is assigned here) or return the existing one for the same KB id."""
        if kb_id and kb_id in self._kb_ids:
            return self._kb_ids[kb_id]
        actor_id = f"a{len(self._actors) + 1}"
        self._actors[actor_id] = actor.model_copy(update={"id": actor_id, "mentions": []})
        if kb_id:
            self._kb_ids[kb_id] = actor_id
        return actor_id

    def actor_for_kb(self, kb_id: str) -> str | None:
        return self._kb_ids.get(kb_id)

    def update(self, actor_id: str, **fields: object) -> None:
        self._actors[actor_id] = self._actors[actor_id].model_copy(update=fields)

    def add_mention(self, doc: Doc, actor_id: str, token_start: int, token_end: int,
                    how: str) -> ResolvedMention:
        """Record a mention; a token already covered by another mention is reassigned to this one.

        A mention never starts or ends with a conjunction or punctuation: "and X families" is "X families"."""
        while token_end - token_start > 1 and (doc[token_start].lower_ in _EDGE_WORDS
                                               or doc[token_start].is_punct):
            token_start += 1
        while token_end - token_start > 1 and (doc[token_end - 1].lower_ in _EDGE_WORDS
                                               or doc[token_end - 1].is_punct):
            token_end -= 1
        span = doc[token_start:token_end]
        mention = ResolvedMention(token_start, token_end, span.start_char, span.end_char, actor_id, how)
        for i in range(token_start, token_end):
            old = self._by_token.get(i)
            if old is not None:
                self._remove(old)
        i = bisect.bisect_left(self._starts, token_start)
        self._starts.insert(i, token_start)
        self._mentions.insert(i, mention)
        for t in range(token_start, token_end):
            self._by_token[t] = mention
        return mention

    def remove_actor(self, actor_id: str) -> None:
        for m in [m for m in self._mentions if m.actor_id == actor_id]:
            self._remove(m)
        self._actors.pop(actor_id, None)
        self._kb_ids = {k: v for k, v in self._kb_ids.items() if v != actor_id}

    def _remove(self, mention: ResolvedMention) -> None:
        i = self._mentions.index(mention)
        del self._mentions[i]
        del self._starts[i]
        for t in range(mention.token_start, mention.token_end):
            if self._by_token.get(t) is mention:
                del self._by_token[t]

    # --- reading --------------------------------------------------------------------------------
    def get(self, actor_id: str | None) -> Actor | None:
        return self._actors.get(actor_id) if actor_id else None

    def __iter__(self):
        return iter(self._actors.values())

    def __len__(self) -> int:
        return len(self._actors)

    @property
    def mentions(self) -> list[ResolvedMention]:
        return list(self._mentions)

    def mention_at(self, i: int) -> ResolvedMention | None:
        """The mention covering token ``i``."""
        return self._by_token.get(i)

    def actor_at(self, i: int) -> str | None:
        m = self._by_token.get(i)
        return m.actor_id if m else None

    def actor_of(self, token: Token) -> str | None:
        """The actor a noun-phrase head stands for: a mention covering the head or its compound/flat words,
        or (for "the Chinese ministry" style phrases) a mention among its left modifiers."""
        found = self.actor_at(token.i)
        if found:
            return found
        for child in token.children:
            if child.dep_ in ("compound", "flat", "nmod") and child.i < token.i:
                found = self.actor_at(child.i)
                if found:
                    return found
        return None

    def sharing_head(self, token: Token) -> list[str]:
        """The actors a head shares with its coordinated state modifiers: "US and South Korean troops" is
        US troops (mention "US", how ``shared``) as well as South Korean troops (the head's own)."""
        out: list[str] = []
        for c in token.lefts:
            if c.dep_ in ("amod", "nmod", "compound"):
                for x in (c, *c.conjuncts):
                    m = self._by_token.get(x.i)
                    if m is not None and m.how == "shared" and m.actor_id not in out:
                        out.append(m.actor_id)
        return out

    def actors_in(self, start_token: int, end_token: int) -> list[str]:
        """Every actor mentioned between two token indices, in order of first mention."""
        out: list[str] = []
        i = bisect.bisect_left(self._starts, start_token)
        for m in self._mentions[i:]:
            if m.token_start >= end_token:
                break
            if m.actor_id not in out:
                out.append(m.actor_id)
        return out

    def extent_start(self, doc: Doc, m: ResolvedMention) -> int:
        """The first token of the noun phrase a mention heads: the modifiers just before it that attach
        inside the phrase and name no other actor ("Lt. Gen." of "Lt. Gen. Stephen Townsend", "the" of
        "the Coalition"); never another mention's words, a clause or punctuation at the edge."""
        if m.how not in _EXTENT_HOWS:
            return m.token_start
        start = m.token_start
        # never across a sentence start (is_sent_start, not Token.sent, which walks the document)
        while start > 0 and not doc[start].is_sent_start:
            t = doc[start - 1]
            # a hyphen inside a word ("35-year-old") belongs to the phrase as its word does
            joined = t.text == "-" and not t.whitespace_ and t.i > 0 and not doc[t.i - 1].whitespace_
            if t.i in self._by_token or not (joined or (t.dep_ in _EXTENT_DEPS
                                                        and start <= t.head.i < m.token_end)):
                break
            if joined:
                start -= 1
                continue
            low = t.lower_
            if t.dep_ == "det" and low not in _EXTENT_DETERMINERS:
                break
            if t.dep_ == "poss" and low not in _EXTENT_POSSESSIVES:  # a possessor phrase is no modifier
                break
            if t.is_punct or low in _EDGE_WORDS:
                break
            start -= 1
        while start < m.token_start and doc[start].is_punct:  # never a hyphen or mark at the edge
            start += 1
        return start

    def to_contract(self, doc: Doc, text: str) -> list[Actor]:
        """The actors with their mentions; ``text`` is the Doc's text."""
        by_actor: dict[str, list[Mention]] = {a: [] for a in self._actors}
        for m in self._mentions:
            if m.actor_id in by_actor:
                first = self.extent_start(doc, m)
                begin = doc[first].idx if first < m.token_start else m.start
                by_actor[m.actor_id].append(Mention(start=begin, end=m.end, text=text[begin:m.end]))
        return [a.model_copy(update={"mentions": by_actor[a.id]}) for a in self._actors.values()]
