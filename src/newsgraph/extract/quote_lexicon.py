"""The reporting-cue lexicon: which verbs and nouns introduce quotations and reported speech.

Loaded once per pipeline from the bundled ``data/lexicons/reporting.yaml`` and any user files
(``Settings.reporting_lexicons``); an entry in a later file replaces the earlier entry of the same key,
and a null entry removes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path

import yaml

SCHEMA = "newsgraph.reporting/1"
VERB_FRAMES = frozenset({"that-clause", "to-clause", "direct-object", "object-complement", "as-complement",
                         "about", "of", "on", "against", "for"})
NOUN_FRAMES = frozenset({"that", "of", "to-clause"})
LISTS = ("speaker_titles", "speaker_bodies", "light_verbs", "not_sources", "not_statements", "not_speakers")


@dataclass(frozen=True)
class Cue:
    key: str  # lemma, or "lemma particle" for phrasal verbs
    frames: frozenset[str]
    addressee: str | None = None  # "dobj" | "to"
    attitude: bool = False
    cognitive: bool = False


@dataclass(frozen=True)
class ReportingLexicon:
    verbs: dict[str, Cue] = field(default_factory=dict)
    nouns: dict[str, Cue] = field(default_factory=dict)
    speaker_titles: frozenset[str] = frozenset()
    speaker_bodies: frozenset[str] = frozenset()
    light_verbs: frozenset[str] = frozenset()
    not_sources: frozenset[str] = frozenset()
    not_statements: frozenset[str] = frozenset()
    not_speakers: frozenset[str] = frozenset()

    def verb(self, lemma: str, particle: str | None = None) -> Cue | None:
        if particle:
            cue = self.verbs.get(f"{lemma} {particle}")
            if cue:
                return cue
        return self.verbs.get(lemma)

    def noun(self, lemma: str) -> Cue | None:
        return self.nouns.get(lemma)

    @cached_property
    def cue_words(self) -> frozenset[str]:
        """Every word a cue can start with: other tokens need no closer look."""
        return frozenset(k.split()[0] for k in self.verbs) | frozenset(self.nouns)


def bundled_path() -> Path:
    return Path(str(resources.files("newsgraph") / "data" / "lexicons" / "reporting.yaml"))


def _cue(key: str, spec: dict, allowed: frozenset[str], origin: str) -> Cue:
    frames = frozenset(spec.get("frames") or ())
    unknown = frames - allowed
    if unknown:
        raise ValueError(f"{origin}: cue {key!r} has unknown frames {sorted(unknown)}")
    addressee = spec.get("addressee")
    if addressee not in (None, "dobj", "to"):
        raise ValueError(f"{origin}: cue {key!r} has addressee {addressee!r} (dobj or to)")
    return Cue(key=key, frames=frames, addressee=addressee, attitude=bool(spec.get("attitude")),
               cognitive=bool(spec.get("cognitive")))


def load_lexicon(paths: Iterable[str | Path] = ()) -> ReportingLexicon:
    """The bundled lexicon with each file of ``paths`` layered over it in order."""
    verbs: dict[str, Cue] = {}
    nouns: dict[str, Cue] = {}
    lists: dict[str, set[str]] = {name: set() for name in LISTS}
    for path in [bundled_path(), *(Path(p) for p in paths)]:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
        schema = data.get("schema", SCHEMA)
        if schema != SCHEMA:
            raise ValueError(f"{path}: schema {schema!r}, expected {SCHEMA!r}")
        for section, target, allowed in (("verbs", verbs, VERB_FRAMES), ("nouns", nouns, NOUN_FRAMES)):
            for key, spec in (data.get(section) or {}).items():
                key = " ".join(str(key).lower().split())
                if spec is None:
                    target.pop(key, None)
                else:
                    target[key] = _cue(key, spec, allowed, str(path))
        for name, values in lists.items():
            for item in data.get(name) or ():
                item = str(item).lower()
                if item.startswith("-"):  # "-word" removes a bundled entry
                    values.discard(item[1:])
                else:
                    values.add(item)
    return ReportingLexicon(verbs=verbs, nouns=nouns, **{name: frozenset(v) for name, v in lists.items()})
