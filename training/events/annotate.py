"""Tools for the event-annotation corpus (see docs/annotation-guidelines-events.md).

Annotators write an *authoring* file per article, in which every span is given by its text inside an
anchor (an exact stretch of the article). `resolve` turns it into the stored form, which keeps only
character offsets into the shared text and the short span texts (never the article's sentences), and
checks it against the guidelines' rules. `author` turns a stored file back into the authoring form for
editing, `show` prints a stored file with its sentences for review, `check` validates every stored file.

    python training/events/annotate.py resolve WORK/NAME.json          # -> annotations/events/docs/NAME.json
    python training/events/annotate.py author annotations/events/docs/NAME.json > WORK/NAME.json
    python training/events/annotate.py show annotations/events/docs/NAME.json
    python training/events/annotate.py check
    python training/events/annotate.py stats
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
STORE = ROOT / "annotations" / "events" / "docs"
SAMPLE = ROOT / "annotations" / "events" / "sample.json"
SCHEMA = "newsgraph.event-annotation/1"
GUIDELINES_VERSION = "2"

TYPES = {
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
}
POLARITIES = {"positive", "negative"}
MODALITIES = {"actual", "planned", "hypothetical", "conditional", "question"}
KINDS = {"person", "state", "organization", "group", "party"}
ROLES = {"source", "target"}
NON_EVENT_REASONS = {
    "word-sense",
    "opinion",
    "statement",
    "no-actor",
    "generic-actor",
    "campaign",
    "policy-or-plan",
    "acceptance",
    "metaphor",
    "hypothetical-only",
    "not-article",
    "other",
}
ACTOR_KEYS = {"text", "nth", "anchor", "anchor_nth", "name", "kind", "country"}


class AnnotationError(ValueError):
    pass


def shared_dir(arg: str | None) -> Path:
    return Path(arg) if arg else ROOT.parent / "shared"


def article_text(doc: str, shared: Path) -> str:
    path = shared / "eval" / doc
    if not path.is_file():
        raise AnnotationError(f"{doc}: not found under {shared / 'eval'}")
    return path.read_text(encoding="utf-8")


def _at_word_boundaries(haystack: str, pos: int, needle: str) -> bool:
    """A span starting or ending with a letter or digit must not continue a word ("he" is not in "the")."""
    before = haystack[pos - 1] if pos > 0 else " "
    after = haystack[pos + len(needle)] if pos + len(needle) < len(haystack) else " "
    return not ((needle[:1].isalnum() and before.isalnum()) or (needle[-1:].isalnum() and after.isalnum()))


def find_nth(
    haystack: str, needle: str, nth: int, start: int = 0, end: int | None = None, words: bool = False
) -> int:
    """Offset of the ``nth`` occurrence of ``needle`` in ``haystack[start:end]``; with ``words``, only
    occurrences at word boundaries count."""
    end = len(haystack) if end is None else end
    pos = start - 1
    count = 0
    while count < nth:
        pos = haystack.find(needle, pos + 1, end)
        if pos < 0:
            return -1
        if not words or _at_word_boundaries(haystack, pos, needle):
            count += 1
    return pos


def locate_anchor(text: str, anchor: str, nth: Any, where: str) -> tuple[int, int]:
    """An anchor must be unique in the article unless ``anchor_nth`` says which occurrence is meant."""
    if not anchor:
        raise AnnotationError(f"{where}: empty anchor")
    count = text.count(anchor)
    if count == 0:
        raise AnnotationError(f"{where}: anchor not in the article: {anchor[:80]!r}")
    if count > 1 and nth is None:
        raise AnnotationError(f"{where}: anchor occurs {count} times; give anchor_nth: {anchor[:80]!r}")
    pos = find_nth(text, anchor, int(nth or 1))
    if pos < 0:
        raise AnnotationError(f"{where}: anchor occurs {count} times, not {nth}: {anchor[:80]!r}")
    return pos, pos + len(anchor)


def locate_span(text: str, spec: Any, evidence: tuple[int, int], where: str) -> dict[str, Any]:
    if isinstance(spec, str):
        spec = {"text": spec}
    if not isinstance(spec, dict) or not spec.get("text"):
        raise AnnotationError(f"{where}: a span needs its text")
    unknown = set(spec) - ACTOR_KEYS
    if unknown:
        raise AnnotationError(f"{where}: unknown keys {sorted(unknown)}")
    lo, hi = evidence
    if spec.get("anchor"):
        lo, hi = locate_anchor(text, spec["anchor"], spec.get("anchor_nth"), where + " (own anchor)")
    pos = find_nth(text, spec["text"], int(spec.get("nth", 1)), lo, hi, words=True)
    if pos < 0:
        raise AnnotationError(f"{where}: {spec['text']!r} not found in its anchor")
    span = {"start": pos, "end": pos + len(spec["text"]), "text": spec["text"]}
    for key in ("name", "kind", "country"):
        if spec.get(key):
            span[key] = spec[key]
    if "kind" in span and span["kind"] not in KINDS:
        raise AnnotationError(f"{where}: kind {span['kind']!r} is not one of {sorted(KINDS)}")
    return span


def resolve(authored: dict[str, Any], shared: Path) -> dict[str, Any]:
    doc = authored.get("doc")
    if not doc:
        raise AnnotationError("the file names no doc")
    text = article_text(doc, shared)
    out: dict[str, Any] = {
        "schema": SCHEMA,
        "doc": doc,
        "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "annotator": authored.get("annotator") or "unknown",
        "guidelines": GUIDELINES_VERSION,
        "status": authored.get("status", "complete"),
        "events": [],
        "non_events": [],
    }
    if authored.get("notes"):
        out["notes"] = authored["notes"]
    for i, ev in enumerate(authored.get("events", []), 1):
        where = f"{doc} event {i}"
        evidence = locate_anchor(text, ev.get("anchor", ""), ev.get("anchor_nth"), where)
        item: dict[str, Any] = {"id": f"e{i}", "evidence": {"start": evidence[0], "end": evidence[1]}}
        item["trigger"] = locate_span(text, ev.get("trigger"), evidence, where + " trigger")
        for key in ("type", "mode", "promised", "polarity", "modality"):
            if ev.get(key) is not None:
                item[key] = ev[key]
        item.setdefault("polarity", "positive")
        item.setdefault("modality", "actual")
        for role in ("source", "target"):
            item[role] = [locate_span(text, s, evidence, f"{where} {role}") for s in ev.get(role, [])]
        item["implied"] = []
        for j, imp in enumerate(ev.get("implied", []), 1):
            imp = dict(imp)
            role, basis = imp.pop("role", None), imp.pop("basis", None)
            span = locate_span(text, imp, evidence, f"{where} implied {j}")
            span.update(role=role, basis=basis)
            item["implied"].append(span)
        claimant = ev.get("claimant")
        item["claimant"] = locate_span(text, claimant, evidence, where + " claimant") if claimant else None
        item["certain"] = bool(ev.get("certain", True))
        if ev.get("note"):
            item["note"] = ev["note"]
        check_event(item, where)
        out["events"].append(item)
    for i, ne in enumerate(authored.get("non_events", []), 1):
        where = f"{doc} non-event {i}"
        evidence = locate_anchor(text, ne.get("anchor", ""), ne.get("anchor_nth"), where)
        item = {
            "evidence": {"start": evidence[0], "end": evidence[1]},
            "trigger": locate_span(text, ne.get("trigger"), evidence, where + " trigger"),
            "reason": ne.get("reason"),
        }
        if ne.get("note"):
            item["note"] = ne["note"]
        if item["reason"] not in NON_EVENT_REASONS:
            raise AnnotationError(
                f"{where}: reason {item['reason']!r} is not one of {sorted(NON_EVENT_REASONS)}"
            )
        out["non_events"].append(item)
    return out


def check_event(ev: dict[str, Any], where: str) -> None:
    if ev.get("type") not in TYPES:
        raise AnnotationError(f"{where}: type {ev.get('type')!r} is not a PLOVER type")
    if ev["polarity"] not in POLARITIES:
        raise AnnotationError(f"{where}: polarity {ev['polarity']!r}")
    if ev["modality"] not in MODALITIES:
        raise AnnotationError(f"{where}: modality {ev['modality']!r} is not one of {sorted(MODALITIES)}")
    promised = ev.get("promised")
    if promised is not None and (
        promised not in TYPES or ev["type"] not in {"AGREE", "THREATEN", "REQUEST", "REJECT"}
    ):
        raise AnnotationError(f"{where}: 'promised' names the act an AGREE/THREATEN/REQUEST/REJECT is about")
    has_source = ev["source"] or any(i.get("role") == "source" for i in ev["implied"])
    if not has_source:
        raise AnnotationError(f"{where}: an event needs a source (stated or implied)")
    for imp in ev["implied"]:
        if imp.get("role") not in ROLES or not imp.get("basis") or not imp.get("name"):
            raise AnnotationError(f"{where}: an implied argument needs role (source/target), name and basis")
    t, e = ev["trigger"], ev["evidence"]
    if not (e["start"] <= t["start"] and t["end"] <= e["end"]):
        raise AnnotationError(f"{where}: the trigger lies outside the evidence")


def check_stored(data: dict[str, Any], shared: Path) -> list[str]:
    problems = []
    try:
        text = article_text(data["doc"], shared)
    except AnnotationError as err:
        return [str(err)]
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != data.get("text_sha256"):
        problems.append(f"{data['doc']}: the shared text changed (sha256 differs)")
    spans = []
    for ev in data.get("events", []):
        spans += [ev["trigger"], *ev["source"], *ev["target"], *ev.get("implied", [])]
        if ev.get("claimant"):
            spans.append(ev["claimant"])
        try:
            check_event(ev, f"{data['doc']} {ev.get('id')}")
        except AnnotationError as err:
            problems.append(str(err))
    spans += [ne["trigger"] for ne in data.get("non_events", [])]
    for s in spans:
        if s["text"] and not _at_word_boundaries(text, s["start"], s["text"]):
            problems.append(
                f"{data['doc']}: span {s['start']}-{s['end']} {s['text']!r} is part of a longer word"
            )
        if text[s["start"] : s["end"]] != s["text"]:
            problems.append(
                f"{data['doc']}: span {s['start']}-{s['end']} reads {text[s['start'] : s['end']]!r}, "
                f"not {s['text']!r}"
            )
    return problems


def stored_path(doc: str) -> Path:
    return STORE / (Path(doc).stem + ".json")


def author(data: dict[str, Any], shared: Path) -> dict[str, Any]:
    """The stored form back in the authoring form (anchors from the shared text)."""
    text = article_text(data["doc"], shared)

    def anchor_of(ev_span: dict[str, int]) -> dict[str, Any]:
        anchor = text[ev_span["start"] : ev_span["end"]]
        out = {"anchor": anchor}
        if text.count(anchor) > 1:
            nth, pos = 1, text.find(anchor)
            while pos != ev_span["start"]:
                pos, nth = text.find(anchor, pos + 1), nth + 1
            out["anchor_nth"] = nth
        return out

    def span_of(s: dict[str, Any], ev_span: dict[str, int]) -> dict[str, Any]:
        out: dict[str, Any] = {"text": s["text"]}
        lo, hi = ev_span["start"], ev_span["end"]
        if not (lo <= s["start"] and s["end"] <= hi):
            lo, hi = max(0, s["start"] - 40), min(len(text), s["end"] + 40)
            own = anchor_of({"start": lo, "end": hi})
            out["anchor"], nth_anchor = own["anchor"], own.get("anchor_nth")
            if nth_anchor:
                out["anchor_nth"] = nth_anchor
        nth = 1
        while find_nth(text, s["text"], nth, lo, hi, words=True) not in (s["start"], -1):
            nth += 1
        if nth > 1:
            out["nth"] = nth
        for key in ("name", "kind", "country", "role", "basis"):
            if s.get(key):
                out[key] = s[key]
        return out

    events = []
    for ev in data["events"]:
        item = anchor_of(ev["evidence"])
        item["trigger"] = span_of(ev["trigger"], ev["evidence"])
        for key in ("type", "mode", "promised", "polarity", "modality"):
            if ev.get(key) is not None:
                item[key] = ev[key]
        item["source"] = [span_of(s, ev["evidence"]) for s in ev["source"]]
        item["target"] = [span_of(s, ev["evidence"]) for s in ev["target"]]
        if ev.get("implied"):
            item["implied"] = [span_of(s, ev["evidence"]) for s in ev["implied"]]
        item["claimant"] = span_of(ev["claimant"], ev["evidence"]) if ev.get("claimant") else None
        item["certain"] = ev.get("certain", True)
        if ev.get("note"):
            item["note"] = ev["note"]
        events.append(item)
    non_events = []
    for ne in data.get("non_events", []):
        item = anchor_of(ne["evidence"])
        item.update(trigger=span_of(ne["trigger"], ne["evidence"]), reason=ne["reason"])
        if ne.get("note"):
            item["note"] = ne["note"]
        non_events.append(item)
    out = {
        "doc": data["doc"],
        "annotator": data.get("annotator"),
        "status": data.get("status", "complete"),
        "events": events,
        "non_events": non_events,
    }
    if data.get("notes"):
        out["notes"] = data["notes"]
    return out


def show(data: dict[str, Any], shared: Path) -> str:
    text = article_text(data["doc"], shared)
    lines = [f"# {data['doc']} ({data.get('annotator')}, {len(data['events'])} events)"]
    for ev in data["events"]:
        s, e = ev["evidence"]["start"], ev["evidence"]["end"]
        names = lambda spans: ", ".join(x.get("name") or x["text"] for x in spans) or "-"  # noqa: E731
        flags = [ev["polarity"], ev["modality"]] + (
            [f"promised {ev['promised']}"] if ev.get("promised") else []
        )
        claim = (
            f" claimed by {ev['claimant'].get('name') or ev['claimant']['text']}"
            if ev.get("claimant")
            else ""
        )
        implied = "".join(
            f" [implied {i['role']}: {i['name']} ({i['basis']})]" for i in ev.get("implied", [])
        )
        lines.append(
            f"{ev['id']} {ev['type']}{'/' + ev['mode'] if ev.get('mode') else ''} "
            f"{names(ev['source'])} -> {names(ev['target'])} ({', '.join(flags)}){claim}{implied}"
        )
        lines.append(f"   [{ev['trigger']['text']}] {text[s:e]!r}")
        if ev.get("note"):
            lines.append(f"   note: {ev['note']}")
    for ne in data.get("non_events", []):
        s, e = ne["evidence"]["start"], ne["evidence"]["end"]
        lines.append(f"NOT {ne['reason']}: [{ne['trigger']['text']}] {text[s:e]!r}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="event-annotation corpus tools")
    parser.add_argument("--shared", help="the shared folder (default: ../shared beside the repository)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("resolve", help="authoring file(s) -> stored form, validated")
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--out", type=Path, help="folder for the stored files (default: annotations/events/docs)")
    p = sub.add_parser("author", help="stored file -> authoring form on stdout")
    p.add_argument("file", type=Path)
    p = sub.add_parser("show", help="print a stored file with its sentences")
    p.add_argument("files", nargs="+", type=Path)
    sub.add_parser("check", help="validate every stored file")
    sub.add_parser("stats", help="counts per split, type, modality")
    args = parser.parse_args(argv)
    shared = shared_dir(args.shared)
    if args.command == "resolve":
        failed = 0
        for path in args.files:
            try:
                data = resolve(json.loads(path.read_text(encoding="utf-8")), shared)
            except (AnnotationError, json.JSONDecodeError, KeyError, TypeError, ValueError) as err:
                print(f"{path}: {err}", file=sys.stderr)
                failed += 1
                continue
            target = (
                stored_path(data["doc"])
                if args.out is None
                else args.out / (Path(data["doc"]).stem + ".json")
            )
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            print(
                f"{path} -> {target}: {len(data['events'])} events, "
                f"{len(data['non_events'])} non-events"
            )
        return 1 if failed else 0
    if args.command == "author":
        print(
            json.dumps(
                author(json.loads(args.file.read_text(encoding="utf-8")), shared),
                indent=1,
                ensure_ascii=False,
            )
        )
        return 0
    if args.command == "show":
        for path in args.files:
            print(show(json.loads(path.read_text(encoding="utf-8")), shared))
        return 0
    files = sorted(STORE.glob("*.json"))
    if args.command == "check":
        problems = [p for f in files for p in check_stored(json.loads(f.read_text(encoding="utf-8")), shared)]
        print("\n".join(problems) or f"{len(files)} files, no problems")
        return 1 if problems else 0
    splits = {d["doc"]: d["split"] for d in json.loads(SAMPLE.read_text(encoding="utf-8"))["docs"]}
    per_split: Counter[str] = Counter()
    types: Counter[str] = Counter()
    modalities: Counter[str] = Counter()
    for f in files:
        data = json.loads(f.read_text(encoding="utf-8"))
        per_split[splits.get(data["doc"], "outside-sample")] += 1
        types.update(ev["type"] for ev in data["events"])
        modalities.update(f"{ev['polarity']}/{ev['modality']}" for ev in data["events"])
    print(f"articles: {dict(per_split)} of {len(splits)} sampled")
    print(f"events: {sum(types.values())}; types: {dict(types.most_common())}")
    print(f"polarity/modality: {dict(modalities.most_common())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
