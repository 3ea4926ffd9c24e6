"""Normalisation of surface forms into lookup keys.

A key is a tuple-free string of space-separated tokens. Ordinary tokens are lower-cased and
accent-folded; acronym tokens (all capitals, e.g. "US", "IS", "NATO") keep their capitals so that
"US" (the country) and "us" (the pronoun) stay different. A surface can yield several candidate
keys because an all-caps token in a headline ("CHINA") or a title-case acronym ("Nato", "Isis")
may be either.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from types import MappingProxyType

_APOSTROPHES = MappingProxyType(
    str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
)
_DASHES = re.compile(r"[\-\u2010\u2011\u2012\u2013\u2014\u2212]+")
_DROP = re.compile(r"[\"\u201c\u201d(),;:!?\[\]]")
_SPACE = re.compile(r"\s+")
_LEADING_THE = re.compile(r"^(?:the)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:'s|')$", re.IGNORECASE)
# Title-case forms of acronyms this long or longer are accepted ("Nato", "Opec"); shorter ones must be
# written in capitals, so "Us"/"Is" at the start of a sentence never match "US"/"IS".
MIN_TITLECASE_ACRONYM = 4
_MAX_VARIANTS = 32


def fold_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def clean(surface: str) -> str:
    """Punctuation-level normalisation shared by keys and agent patterns (case kept)."""
    text = unicodedata.normalize("NFKC", surface).translate(_APOSTROPHES)
    text = text.replace(".", "")  # "U.S." == "US"; "St. Lucia" == "St Lucia"
    text = _DASHES.sub(" ", text)  # "Secretary-General" == "Secretary General"
    text = _DROP.sub(" ", text)
    text = _SPACE.sub(" ", text).strip(" '&/")
    text = _LEADING_THE.sub("", text)
    text = _POSSESSIVE.sub("", text).strip()
    return fold_accents(text)


def is_acronym(token: str) -> bool:
    """All capitals (digits allowed after the first letter), at least two letters: "US", "G7", "NATO"."""
    letters = [c for c in token if c.isalpha()]
    return len(letters) >= 2 and token[0].isalpha() and all(c.isupper() for c in letters)


def is_mixed_case(token: str) -> bool:
    """A capital after a small letter ("LeT", "AfD", "PiS", "McCain"): such a form is matched in its own
    case only, so "Let us" is not Lashkar-e-Taiba's "LeT"."""
    if token.islower() or token.isupper() or token.istitle():
        return False  # the common cases, answered without a scan
    return any(a.islower() and b.isupper() for a, b in zip(token, token[1:], strict=False))


@functools.lru_cache(maxsize=200_000)
def alias_key(alias: str) -> str:
    """The single key under which an alias is indexed (a pure function of the text, so memoised: large
    dictionaries repeat their forms across records)."""
    tokens = clean(alias).split(" ")
    return " ".join(t if is_acronym(t) or is_mixed_case(t) else t.lower() for t in tokens if t)


def surface_keys(surface: str) -> list[str]:
    """Every key a surface form may match, most literal first."""
    tokens = [t for t in clean(surface).split(" ") if t]
    options: list[tuple[str, ...]] = []
    for tok in tokens:
        lower = tok.lower()
        if is_mixed_case(tok):
            options.append((tok,))
        elif is_acronym(tok):
            options.append((tok, lower))
        elif tok[:1].isupper() and tok[1:].islower() and len(tok) >= MIN_TITLECASE_ACRONYM:
            options.append((lower, tok.upper()))
        else:
            options.append((lower,))
    keys: list[str] = []
    for combo in itertools.islice(itertools.product(*options), _MAX_VARIANTS):
        key = " ".join(combo)
        if key and key not in keys:
            keys.append(key)
    return keys


def agent_key(words: str) -> str:
    """Role nouns are matched case-insensitively."""
    return clean(words).lower()


def token_count(key: str) -> int:
    return len(key.split(" ")) if key else 0


def slug(text: str) -> str:
    """"Joe Biden" -> "joe-biden" (ids for entries without a wikidata id)."""
    return re.sub(r"[^a-z0-9]+", "-", fold_accents(text).lower().replace("'", "")).strip("-")
