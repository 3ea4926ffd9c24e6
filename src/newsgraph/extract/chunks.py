"""Texts longer than one Doc should hold: cut into parts at paragraph breaks, extracted part by part.

spaCy refuses a text over ``nlp.max_length`` (error E088), and the parser's memory and several rule
components' time grow faster than the text. A long text is therefore planned into contiguous parts of
at most ``limit`` characters, cut at the last paragraph break before the limit (else a line break, a
sentence end, white space, or — for one unbroken run of characters — at the limit itself). Each part is
extracted as its own Doc; ``merge_parts`` shifts every span by the part's start, so offsets are into the
whole text again (``text[start:end] == evidence``), renumbers the ids in text order and joins the actors
the parts share (same knowledge-base id, or same kind, code and name).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from newsgraph.contract import Extraction, ExtractionWarning

# Cut points, most preferred first; a part ends after the match, so breaks stay with the text before them.
_CUTS = (
    re.compile(r"\n[ \t\r\f\v]*\n\s*"),  # a paragraph break (blank line)
    re.compile(r"\n\s*"),  # a line break
    re.compile(r"[.!?][\"'”’)\]]*\s+"),  # a sentence end
    re.compile(r"\s+"),  # any white space
)
# A cut is looked for in the last three quarters of a part's window: no part is much shorter than the limit.
_MIN_SHARE = 4

# Fields that hold ids of other items of the same extraction, by list and by the kind of id they hold.
_REFS: dict[str, dict[str, str]] = {
    "actors": {"organization": "actors"},
    "quotes": {"speaker": "actors", "addressee": "actors", "about": "actors"},
    "events": {"source": "actors", "target": "actors", "attributed_to": "actors", "quote": "quotes",
               "quantities": "quantities"},
}
_PREFIX = {"actors": "a", "quotes": "q", "events": "e", "quantities": "n"}
_FILLABLE = ("code", "country", "sector", "role", "wikidata", "cameo")


def plan_chunks(text: str, limit: int) -> list[tuple[int, int]]:
    """Contiguous ``(start, end)`` parts that cover ``text``, each at most ``limit`` characters long."""
    if limit < 1:
        raise ValueError("the part limit must be at least 1 character")
    parts: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while n - start > limit:
        end = _cut(text, start, start + limit, limit)
        parts.append((start, end))
        start = end
    parts.append((start, n))
    return parts


def _cut(text: str, start: int, stop: int, limit: int) -> int:
    lo = start + max(1, limit // _MIN_SHARE)
    for pattern in _CUTS:
        best = None
        for m in pattern.finditer(text, lo, stop):
            if m.end() <= stop:
                best = m.end()
        if best is not None:
            return best
    return stop


def _shift(value: Any, offset: int) -> None:
    """Move every span (a mapping with integer ``start`` and ``end``) in a dumped extraction by ``offset``."""
    if isinstance(value, dict):
        if isinstance(value.get("start"), int) and isinstance(value.get("end"), int):
            value["start"] += offset
            value["end"] += offset
        for item in value.values():
            if isinstance(item, dict | list):
                _shift(item, offset)
    elif isinstance(value, list):
        for item in value:
            _shift(item, offset)


def _actor_key(actor: dict) -> tuple:
    if actor.get("wikidata"):
        return ("wd", actor["wikidata"])
    return (actor["kind"], actor.get("code") or "", " ".join(actor["name"].casefold().split()))


def _remap(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, list):
        return list(dict.fromkeys(ids[v] for v in value if v in ids))
    return ids.get(value) if value is not None else None


def merge_parts(parts: Sequence[tuple[int, Extraction]], *, length: int, limit: int,
                origin: str | None = None) -> Extraction:
    """One extraction of the whole text (``length`` characters) from the extractions of its parts, each
    given with the part's start."""
    if not parts:
        raise ValueError("no parts to merge")
    first = parts[0][1]
    merged: dict[str, list[dict]] = {name: [] for name in _PREFIX}
    actor_at: dict[tuple, dict] = {}
    maps: list[dict[str, dict[str, str]]] = []
    for offset, part in parts:
        doc = part.model_dump(mode="json", by_alias=True)
        _shift({name: doc[name] for name in _PREFIX}, offset)
        ids: dict[str, dict[str, str]] = {name: {} for name in _PREFIX}
        for actor in doc["actors"]:
            key = _actor_key(actor)
            known = actor_at.get(key)
            if known is None:
                known = actor_at[key] = {**actor, "id": f"a{len(actor_at) + 1}", "_org": []}
                merged["actors"].append(known)
            else:
                known["aliases"] = list(dict.fromkeys([*known["aliases"], *actor["aliases"]]))
                known["mentions"].extend(actor["mentions"])
                for name in _FILLABLE:
                    if known.get(name) is None:
                        known[name] = actor.get(name)
            if actor.get("organization"):
                known["_org"].append((len(maps), actor["organization"]))
            ids["actors"][actor["id"]] = known["id"]
        for name in ("quotes", "events", "quantities"):
            for item in doc[name]:
                new_id = f"{_PREFIX[name]}{len(merged[name]) + 1}"
                ids[name][item["id"]] = new_id
                merged[name].append({**item, "id": new_id, "_part": len(maps)})
        maps.append(ids)
    for actor in merged["actors"]:
        # The body an actor speaks for, as the first part that names one has it.
        orgs = [maps[k]["actors"].get(local) for k, local in actor.pop("_org")]
        actor["organization"] = next((o for o in orgs if o and o != actor["id"]), None)
        actor["mentions"].sort(key=lambda m: (m["start"], m["end"]))
    for name in ("quotes", "events"):
        for item in merged[name]:
            ids = maps[item.pop("_part")]
            for field, kind in _REFS[name].items():
                if field in item:
                    item[field] = _remap(item[field], ids[kind])
    for item in merged["quantities"]:
        item.pop("_part")
    warnings: list[ExtractionWarning] = []
    seen: set[tuple[str, str]] = set()
    for _offset, part in parts:
        for w in part.warnings:
            if (w.code, w.message) not in seen:
                seen.add((w.code, w.message))
                warnings.append(w)
    warnings.append(ExtractionWarning(
        code="long-text", input=origin,
        message=f"text of {length:,} characters read in {len(parts)} parts of at most {limit:,}, cut at "
                "paragraph breaks; pronouns and surnames are resolved within each part"))
    return Extraction.model_validate({
        **first.model_dump(mode="json", by_alias=True, exclude={"warnings", *_PREFIX}),
        **merged, "warnings": [w.model_dump(mode="json") for w in warnings],
    })

