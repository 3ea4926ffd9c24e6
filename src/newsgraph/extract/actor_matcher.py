"""Knowledge-base names found in a Doc as token sequences, longest match first.

Every KB surface form (names, aliases, metonyms, adjectives, surnames) is tokenised once with the
pipeline's own tokenizer and indexed by normalised token keys, so a document is matched with one
dictionary probe per token and candidate length. Keys keep all-capital acronyms in capitals ("US" the
country is not "us" the pronoun), drop dots ("U.S." == "US") and fold curly apostrophes and accents.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from spacy.attrs import ORTH, SPACY
from spacy.tokens import Doc

from newsgraph.kb import KBEntry, KnowledgeBase
from newsgraph.kb.normalize import MIN_TITLECASE_ACRONYM, is_acronym, is_mixed_case

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014")
_HOW_ORDER = ("name", "alias", "metonym", "adjective", "surname")
_CACHE_LIMIT = 200_000


def token_key(text: str) -> str:
    """The normalised key of one token."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
        text = "".join(c for c in text if not unicodedata.combining(c))
    if "." in text and len(text) > 1:
        text = text.replace(".", "")
    return text if is_acronym(text) or is_mixed_case(text) else text.lower()


def alternative_key(text: str, key: str) -> str | None:
    """A second reading: an all-caps headline word as a plain word, a title-case acronym ("Nato")."""
    if key.isupper() and key.isalpha():
        return key.lower()
    if text[:1].isupper() and text[1:].islower() and len(text) >= MIN_TITLECASE_ACRONYM:
        return key.upper()
    return None


def _is_joiner(text: str) -> bool:
    return len(text) == 1 and text in _DASHES


@dataclass(frozen=True)
class KBMatch:
    start: int  # token index
    end: int  # exclusive
    candidates: tuple[tuple[KBEntry, str], ...]  # (entry, how) best first


class KBMatcher:
    """Built once per pipeline from a knowledge base and a tokenizer (``nlp.tokenizer``)."""

    def __init__(self, kb: KnowledgeBase, tokenize: Callable[[str], Iterable[str]]) -> None:
        self.kb = kb
        # Per-pipeline caches (bounded): token texts and matched surfaces repeat across articles.
        self._key_cache: dict[int, tuple[str, str | None, bool, bool]] = {}
        self._surface_cache: dict[str, tuple[tuple[KBEntry, str], ...]] = {}
        self._index: dict[tuple[str, ...], list[tuple[str, str]]] = {}
        for entry in kb.entries():
            forms: list[tuple[str, str]] = [(entry.name, "name")]
            forms += [(a, "alias") for a in entry.aliases]
            forms += [(a, "metonym") for a in entry.metonyms]
            forms += [(a, "adjective") for a in entry.adjectives]
            forms += [(a, "surname") for a in entry.surnames]
            for form, how in forms:
                key = self._form_key(tokenize(form))
                if not key:
                    continue
                hits = self._index.setdefault(key, [])
                if not any(eid == entry.id for eid, _ in hits):
                    hits.append((entry.id, how))
        self._lengths: dict[str, tuple[int, ...]] = {}
        firsts: dict[str, set[int]] = {}
        for key in self._index:
            firsts.setdefault(key[0], set()).add(len(key))
        self._lengths = {k: tuple(sorted(v, reverse=True)) for k, v in firsts.items()}

    @staticmethod
    def _form_key(tokens: Iterable[str]) -> tuple[str, ...]:
        keys = [token_key(t) for t in tokens if t.strip() and not _is_joiner(t)]
        if keys and keys[0] == "the" and len(keys) > 1:
            keys = keys[1:]
        while len(keys) > 1 and keys[-1] in ("'s", "'"):
            keys.pop()
        return tuple(keys)

    def _keys(self, orth: int, strings) -> tuple[str, str | None, bool, bool, tuple[int, ...]]:
        """(key, alternative, is_space, is_joiner, lengths of the names it may start) of a token text,
        cached by its hash."""
        found = self._key_cache.get(orth)
        if found is None:
            if len(self._key_cache) > _CACHE_LIMIT:
                self._key_cache.clear()
            text = strings[orth]
            key = token_key(text)
            alt = alternative_key(text, key)
            lengths = self._lengths.get(key, ())
            if alt is not None and self._lengths.get(alt):
                lengths = tuple(sorted({*lengths, *self._lengths[alt]}, reverse=True))
            found = (key, alt, text.isspace(), _is_joiner(text), lengths)
            self._key_cache[orth] = found
        return found

    def find(self, doc: Doc) -> list[KBMatch]:
        """Non-overlapping matches, left to right, longest first."""
        strings = doc.vocab.strings
        rows = doc.to_array([ORTH, SPACY]).tolist() if len(doc) else []
        positions: list[int] = []  # token index of each stream item
        keys: list[str] = []
        alts: list[str | None] = []
        starts: list[int] = []  # stream items that start some name: most tokens start none
        prev_space = 1
        for i, (orth, space) in enumerate(rows):
            key, alt, is_space, is_joiner, lengths = self._keys(orth, strings)
            if is_space or (is_joiner and i > 0 and not prev_space):
                prev_space = space
                continue
            prev_space = space
            if lengths:
                starts.append(len(keys))
            positions.append(i)
            keys.append(key)
            alts.append(alt)
        out: list[KBMatch] = []
        index = self._index
        n = len(keys)
        free = 0  # first stream item not inside an earlier match
        for p in starts:
            if p < free:
                continue
            for length in self._keys(rows[positions[p]][0], strings)[4]:
                if p + length > n:
                    continue
                hits = index.get(tuple(keys[p:p + length]))
                if hits is None and any(alts[p:p + length]):
                    hits = index.get(tuple(a or k for k, a in zip(keys[p:p + length], alts[p:p + length],
                                                                  strict=True)))
                if hits:
                    start, end = positions[p], positions[p + length - 1] + 1
                    out.append(KBMatch(start, end, self._candidates(doc[start:end].text, hits)))
                    free = p + length
                    break
        return out

    def _candidates(self, surface: str, hits: list[tuple[str, str]]) -> tuple[tuple[KBEntry, str], ...]:
        found = self._surface_cache.get(surface)
        if found is None:
            if len(self._surface_cache) > _CACHE_LIMIT:
                self._surface_cache.clear()
            found = self._surface_cache[surface] = self._lookup(surface, hits)
        return found

    def _lookup(self, surface: str, hits: list[tuple[str, str]]) -> tuple[tuple[KBEntry, str], ...]:
        # The KB's own lookup applies its layering (a user file hiding a bundled alias); fall back to the
        # token index when tokenisation differs from the KB's normalisation.
        found = [(e, how) for e, how in self.kb.lookup_kind(surface) if any(e.id == h for h, _ in hits)]
        if not found:
            found = [(e, how) for eid, how in hits if (e := self.kb.get(eid)) is not None]
            found.sort(key=lambda eh: _HOW_ORDER.index(eh[1]) if eh[1] in _HOW_ORDER else 9)
        return tuple(found)
