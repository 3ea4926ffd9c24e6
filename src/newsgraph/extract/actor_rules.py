"""Word lists for actor resolution, read from ``data/lexicons/actor_rules.yaml`` (or a file given)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType

import yaml


def bundled_rules_path() -> Path:
    return Path(str(resources.files("newsgraph") / "data" / "lexicons" / "actor_rules.yaml"))


@dataclass(frozen=True)
class ActorRules:
    title_words: frozenset[str]
    title_heads: frozenset[str]
    honorifics: frozenset[str]
    male_words: frozenset[str]
    female_words: frozenset[str]
    event_nouns: frozenset[str]
    locative_prepositions: frozenset[str]
    travel_words: frozenset[str]
    place_verbs: frozenset[str]
    government_nouns: frozenset[str]
    media_nouns: frozenset[str]
    org_words: frozenset[str]
    person_pronouns: frozenset[str]
    thing_pronouns: frozenset[str]
    plural_pronouns: frozenset[str]
    company_nouns: frozenset[str] = frozenset()
    party_letters: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None = None) -> ActorRules:
        with open(path or bundled_rules_path(), encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
        if not isinstance(data, dict) or "version" not in data:
            raise ValueError(f"{path}: actor rules must be a mapping with 'version:'")

        def words(key: str, source: dict = data) -> frozenset[str]:
            return frozenset(str(w).lower() for w in source.get(key) or ())

        pronouns = data.get("pronouns") or {}
        return cls(
            title_words=words("title_words") | words("title_heads"),
            title_heads=words("title_heads"),
            honorifics=words("honorifics"),
            male_words=words("male_words"),
            female_words=words("female_words"),
            event_nouns=words("event_nouns"),
            locative_prepositions=words("locative_prepositions"),
            travel_words=words("travel_words"),
            place_verbs=words("place_verbs"),
            government_nouns=words("government_nouns"),
            media_nouns=words("media_nouns"),
            org_words=words("org_words"),
            person_pronouns=words("person", pronouns),
            thing_pronouns=words("thing", pronouns),
            plural_pronouns=words("plural", pronouns),
            company_nouns=words("company_nouns"),
            party_letters=MappingProxyType({str(k): str(v)
                                            for k, v in (data.get("party_letters") or {}).items()}),
        )
