"""The trigger lexicon: words and phrases that state PLOVER events, loaded from YAML data files.

The bundled ``data/lexicons/triggers.yaml`` comes first; user files (``Settings.trigger_lexicons``) are
layered over it: their groups add entries, an entry for the same phrase and part of speech replaces the
bundled one, ``remove`` deletes entries and ``cues``/``defaults`` lists replace the bundled lists.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

BUNDLED = Path(__file__).resolve().parents[1] / "data" / "lexicons" / "triggers.yaml"


@dataclass(frozen=True)
class TriggerEntry:
    phrase: str  # lemmas as written in the data file
    pos: str  # "verb" | "noun"
    head: str  # the lemma that carries the trigger
    needs: tuple[str, ...]  # further lemmas that must be dependents (phrasal triggers)
    type: str
    cameo: str | None = None
    mode: str | None = None
    context: tuple[str, ...] = ()
    target_preps: tuple[str, ...] | None = None
    source_preps: tuple[str, ...] | None = None
    intransitive: bool = False
    target_from_object: bool = False
    domestic: bool = False  # with no target or place stated, the act falls on the actor's own state
    confidence: float = 0.8
    military: TriggerEntry | None = None  # the reading in a sentence about armed forces or weapons

    @property
    def specificity(self) -> int:
        return len(self.needs)


@dataclass
class TriggerLexicon:
    entries: dict[tuple[str, str], TriggerEntry] = field(default_factory=dict)
    cues: dict[str, frozenset[str]] = field(default_factory=dict)
    defaults: dict[str, tuple[str, ...]] = field(default_factory=dict)
    by_head: dict[tuple[str, str], list[TriggerEntry]] = field(default_factory=dict)

    def cue(self, name: str) -> frozenset[str]:
        return self.cues.get(name, frozenset())

    def candidates(self, lemma: str, pos: str) -> list[TriggerEntry]:
        """Entries whose trigger word is ``lemma``, most specific (longest phrase) first."""
        return self.by_head.get((lemma, pos), [])

    def _index(self) -> None:
        by_head: dict[tuple[str, str], list[TriggerEntry]] = {}
        for entry in self.entries.values():
            by_head.setdefault((entry.head, entry.pos), []).append(entry)
        for items in by_head.values():
            items.sort(key=lambda e: -e.specificity)
        self.by_head = by_head

    def __len__(self) -> int:
        return len(self.entries)


_PREPOSITIONS = {"of", "for", "to", "in", "on", "from", "with", "against", "by", "between", "into", "over"}


def _split(phrase: str, pos: str) -> tuple[str, tuple[str, ...]]:
    """The trigger word and the words that must accompany it: a verb phrase starts with its verb; a noun
    phrase ends with its noun unless a preposition follows it ("threat of force", "call for")."""
    words = phrase.lower().split()
    if pos == "verb":
        if len(words) > 1 and words[0] in ("not", "never", "no"):  # "not allow": the verb, negated
            return words[1], (words[0], *words[2:])
        return words[0], tuple(words[1:])
    k = next((i for i, w in enumerate(words) if w in _PREPOSITIONS and i > 0), len(words))
    return words[k - 1], tuple(words[: k - 1] + words[k:])


def _add_group(lex: TriggerLexicon, group: dict, origin: str) -> None:
    type_ = str(group["type"]).upper()
    for key, pos in (("verbs", "verb"), ("nouns", "noun")):
        for phrase in group.get(key) or []:
            phrase = str(phrase).strip()
            head, needs = _split(phrase, pos)
            lex.entries[(phrase.lower(), pos)] = TriggerEntry(
                phrase=phrase.lower(),
                pos=pos,
                head=head,
                needs=needs,
                type=type_,
                cameo=str(group["cameo"]) if group.get("cameo") is not None else None,
                mode=group.get("mode"),
                context=tuple(group.get("context") or ()),
                target_preps=tuple(group["target_preps"]) if group.get("target_preps") else None,
                source_preps=tuple(group["source_preps"]) if group.get("source_preps") else None,
                intransitive=bool(group.get("intransitive", False)),
                target_from_object=bool(group.get("target_from_object", False)),
                domestic=bool(group.get("domestic", False)),
                confidence=float(group.get("confidence", 0.8)),
            )
            alt = group.get("military")
            if alt and not needs:  # "general strike" stays a strike whatever the sentence
                base = lex.entries[(phrase.lower(), pos)]
                lex.entries[(phrase.lower(), pos)] = replace(
                    base,
                    military=replace(
                        base,
                        type=str(alt["type"]).upper(),
                        cameo=str(alt["cameo"]) if alt.get("cameo") is not None else None,
                        mode=alt.get("mode"),
                        context=("military",),
                    ),
                )


def _check_words(data: dict, origin: str) -> None:
    """YAML reads bare on/off/yes/no as booleans: a lexicon word must be quoted then."""
    lists = [*(data.get("cues") or {}).values(), *(data.get("defaults") or {}).values()]
    for group in data.get("groups") or []:
        lists += [
            group.get("verbs") or [],
            group.get("nouns") or [],
            group.get("target_preps") or [],
            group.get("source_preps") or [],
        ]
    for words in lists:
        for w in words:
            if isinstance(w, bool):
                raise ValueError(f'{origin}: a word reads as the boolean {w}; quote it ("on", "no")')


def load_trigger_lexicon(
    user_files: Iterable[str | Path] = (), bundled: Path | None = BUNDLED
) -> TriggerLexicon:
    lex = TriggerLexicon()
    paths = ([bundled] if bundled is not None else []) + [Path(p) for p in user_files]
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
        _check_words(data, str(path))
        for name, words in (data.get("cues") or {}).items():
            lex.cues[name] = frozenset(str(w).lower() for w in words)
        for name, words in (data.get("defaults") or {}).items():
            lex.defaults[name] = tuple(str(w).lower() for w in words)
        for item in data.get("remove") or []:
            lex.entries.pop((str(item["trigger"]).lower(), str(item.get("pos", "verb"))), None)
        for group in data.get("groups") or []:
            _add_group(lex, group, str(path))
    lex._index()
    return lex
