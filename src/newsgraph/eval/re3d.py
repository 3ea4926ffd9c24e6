"""``newsgraph eval re3d DIR``: actors and relations against Dstl's re3d corpus.

A re3d dataset folder holds ``documents.json``, ``entities.json`` and ``relations.json``, each one JSON
record per line (``mongoexport``); offsets are character offsets into the document's ``text``. Only
records with ``confidence >= 0.5`` are gold. ``DIR`` is such a folder or a folder of them (every
dataset is scored on its own, then all together).

Entities. The scored gold entities are Person, Organisation, Nationality, and Location when it names a
state (the knowledge base knows it as a state by name or alias, not as a capital). An entity is *found*
when some actor mention overlaps it by at least one character; *typed* when such a mention's actor
kind agrees (person↔Person; organization/group/state↔Organisation; state↔Location/Nationality; a
Nationality also agrees with a group: "Kurds"). Precision counts the distinct actor mention spans that
overlap a confident gold entity of any type (Location, Weapon... included), over all actor mention
spans. Pronouns are kept apart on both sides: a mention or gold entity is a pronoun when its text is
one (``PRONOUNS``; the contract does not carry how a mention was resolved). re3d marks some pronouns
("We", "I", "they") and not others, so they get their own recall and precision.

Relations (recall only: re3d marks a sample of the relations a text states, so an extracted fact
without a gold relation is no error). Only relations between actors are scored: both arguments must be
covered, at least half of their length, by scored gold entities ("ISIL -> the hospital" or
"strikes -> ISIL" are counted apart as ``not_actor``: newsgraph has no fact for them). The actors of a
gold argument are those with a mention (pronouns included) overlapping its span. A relation is
*found* when a newsgraph fact joins an actor of one argument to an actor of the other, in either
direction (for events and quotes, an argument's actors include their ``organization`` and the actors
whose ``organization`` they are, one step: "strikes against ISIL terrorists" fights ISIL):

- FightingAgainst: an event of quad class 4, or of type ASSAULT, COERCE or THREATEN, source↔target;
- AlliesOf, Likes: an event of quad class 1 or 2 between them; Dislikes: quad class 3 or 4;
- CommWith: a CONSULT or AGREE event between them, or a quote whose speaker is one and whose
  addressee or ``about`` holds the other;
- BelongsTo, InChargeOf: one actor's ``organization`` is the other, or the other is a state and is the
  actor's ``country``.

A found relation is also *anchored* when the fact is stated where the gold relation is (an event's
evidence, or a quote's sentence, overlaps the stretch from the first to the last of the relation's
source, cue and target; for BelongsTo/InChargeOf an actor link holds for the whole document, so found
is anchored). Other relation types (CoLocated, Apart, HasAttrOf, IsSynonymOf) are not scored.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import typer

from newsgraph.contract import Actor, Extraction
from newsgraph.eval.re3d_spans import SPAN_TYPES, SpanScore, predicted_spans, score_spans
from newsgraph.eval.report import ConfigOption, ModelOption, ReportFormat, ReportFormatOption, eval_settings

MIN_CONFIDENCE = 0.5
ENTITY_TYPES: tuple[str, ...] = ("Person", "Organisation", "Nationality", "Location")
RELATION_TYPES: tuple[str, ...] = ("FightingAgainst", "AlliesOf", "Likes", "Dislikes", "CommWith",
                                   "BelongsTo", "InChargeOf")
# Actor kinds that agree with each scored gold type ("typed" recall).
TYPE_KINDS: dict[str, frozenset[str]] = {
    "Person": frozenset({"person"}),
    "Organisation": frozenset({"organization", "group", "state", "party"}),
    "Nationality": frozenset({"state", "group"}),
    "Location": frozenset({"state"}),
}
# Closed-class words: re3d annotates names and descriptions, never pronouns.
PRONOUNS = frozenset(
    "i me my mine myself we us our ours ourselves you your yours yourself yourselves he him his himself "
    "she her hers herself it its itself they them their theirs themselves who whom whose this that these "
    "those".split()
)
_HOSTILE_TYPES = frozenset({"ASSAULT", "COERCE", "THREATEN"})
_TALK_TYPES = frozenset({"CONSULT", "AGREE"})

Span2 = tuple[int, int]
IsState = Callable[[str], bool]


# --- gold -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GoldEntity:
    type: str
    start: int
    end: int
    value: str


@dataclass(frozen=True)
class GoldRelation:
    type: str
    source: Span2
    target: Span2
    cue: Span2
    source_text: str
    target_text: str
    value: str = ""

    @property
    def extent(self) -> Span2:
        points = (*self.source, *self.target, *self.cue)
        return min(points), max(points)


@dataclass(frozen=True)
class Re3dDocument:
    doc_id: str
    text: str
    title: str | None = None
    entities: tuple[GoldEntity, ...] = ()
    relations: tuple[GoldRelation, ...] = ()


@dataclass(frozen=True)
class Re3dDataset:
    name: str
    documents: tuple[Re3dDocument, ...]


def read_json_lines(path: Path) -> Iterator[dict]:
    """Records of a mongoexport file (one JSON object per line; blank lines skipped)."""
    with open(path, encoding="utf-8-sig") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _confident(rec: dict) -> bool:
    return float(rec.get("confidence", 1.0)) >= MIN_CONFIDENCE


def load_dataset(folder: Path) -> Re3dDataset:
    """One re3d dataset folder; documents keep file order, gold keeps only confident records."""
    paths = {n: folder / f"{n}.json" for n in ("documents", "entities", "relations")}
    missing = [p.name for p in paths.values() if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"{folder}: missing {', '.join(missing)}")
    entities: dict[str, list[GoldEntity]] = {}
    for rec in read_json_lines(paths["entities"]):
        if _confident(rec):
            ent = GoldEntity(rec["type"], int(rec["begin"]), int(rec["end"]), rec.get("value", ""))
            bucket = entities.setdefault(rec["documentId"], [])
            if ent not in bucket:
                bucket.append(ent)
    relations: dict[str, list[GoldRelation]] = {}
    for rec in read_json_lines(paths["relations"]):
        if _confident(rec):
            rel = GoldRelation(rec["type"], (int(rec["sourceBegin"]), int(rec["sourceEnd"])),
                               (int(rec["targetBegin"]), int(rec["targetEnd"])),
                               (int(rec.get("begin", rec["sourceBegin"])),
                                int(rec.get("end", rec["sourceEnd"]))),
                               rec.get("source", ""), rec.get("target", ""), rec.get("value", ""))
            bucket_r = relations.setdefault(rec["documentId"], [])
            if rel not in bucket_r:
                bucket_r.append(rel)
    docs = tuple(
        Re3dDocument(rec["_id"], rec["text"], rec.get("title"), tuple(entities.get(rec["_id"], ())),
                     tuple(relations.get(rec["_id"], ())))
        for rec in read_json_lines(paths["documents"])
    )
    return Re3dDataset(folder.name, docs)


def load(root: Path) -> list[Re3dDataset]:
    """``root`` itself when it is a dataset folder, else every dataset folder inside it (name order)."""
    if (root / "documents.json").is_file():
        return [load_dataset(root)]
    found = [load_dataset(p) for p in sorted(root.iterdir()) if (p / "documents.json").is_file()]
    if not found:
        raise FileNotFoundError(f"{root}: no documents.json here or in a sub-folder")
    return found


def kb_state_test(kb=None) -> IsState:
    """Whether a Location's text names a state: the knowledge base has a state of that name or alias.
    Pass the extractor's own knowledge base (no second load); without one the bundled data is loaded."""
    if kb is None:
        from newsgraph.kb import KnowledgeBase

        kb = KnowledgeBase.load()

    def is_state(surface: str) -> bool:
        return any(e.kind == "state" and how in ("name", "alias") for e, how in kb.lookup_kind(surface))

    return is_state


# --- scoring --------------------------------------------------------------------------------------
def overlaps(a: Span2, b: Span2) -> bool:
    return min(a[1], b[1]) > max(a[0], b[0])


def is_pronoun(text: str) -> bool:
    return text.strip().lower() in PRONOUNS


@dataclass
class Tally:
    gold: int = 0
    found: int = 0
    typed: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def typed_recall(self) -> float:
        return self.typed / self.gold if self.gold else 0.0

    def add(self, other: Tally) -> None:
        self.gold += other.gold
        self.found += other.found
        self.typed += other.typed

    def as_dict(self, second: str = "typed") -> dict[str, float | int]:
        return {"gold": self.gold, "found": self.found, second: self.typed,
                "recall": round(self.recall, 4), f"{second}_recall": round(self.typed_recall, 4)}


@dataclass
class MentionTally:
    predicted: int = 0
    matched: int = 0
    pronouns: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    def add(self, other: MentionTally) -> None:
        self.predicted += other.predicted
        self.matched += other.matched
        self.pronouns += other.pronouns

    def as_dict(self) -> dict[str, float | int]:
        return {"predicted": self.predicted, "matched": self.matched, "pronouns_excluded": self.pronouns,
                "precision": round(self.precision, 4)}


def _new_tallies(names: Iterable[str]) -> dict[str, Tally]:
    return {n: Tally() for n in names}


@dataclass
class DocumentScore:
    doc_id: str
    entities: dict[str, Tally]
    mentions: MentionTally
    mentions_by_kind: dict[str, MentionTally]
    relations: dict[str, Tally]  # "typed" holds the anchored count
    pronoun_entities: Tally = field(default_factory=Tally)
    pronoun_mentions: MentionTally = field(default_factory=MentionTally)
    missed_entities: list[str] = field(default_factory=list)  # "Type: text" (+ " [kind]" when untyped)
    extra_mentions: list[str] = field(default_factory=list)  # "text [kind]"
    missed_relations: list[str] = field(default_factory=list)  # "Type: source -> target (why)"
    # gold relations of a mapped type with an argument that is no actor (a place, weapon, "strikes")
    not_actor: dict[str, int] = field(default_factory=dict)
    # NER-style overlap and exact F1 over every Person/Organisation/Nationality/Location span
    spans: SpanScore = field(default_factory=SpanScore)


def _scored_entities(doc: Re3dDocument, is_state: IsState) -> list[GoldEntity]:
    return [e for e in doc.entities
            if e.type in ENTITY_TYPES and (e.type != "Location" or is_state(e.value))]


def is_actor_argument(arg: Span2, actor_entities: Sequence[Span2]) -> bool:
    """A relation argument names an actor when scored gold entities cover at least half of it."""
    covered = sum(max(0, min(arg[1], e[1]) - max(arg[0], e[0])) for e in actor_entities)
    return arg[1] > arg[0] and covered * 2 >= arg[1] - arg[0]


def _actor_spans(extraction: Extraction, pronouns: bool) -> dict[str, list[Span2]]:
    return {a.id: [(m.start, m.end) for m in a.mentions if pronouns or not is_pronoun(m.text)]
            for a in extraction.actors}


def _actors_at(spans: dict[str, list[Span2]], where: Span2) -> set[str]:
    return {aid for aid, ss in spans.items() if any(overlaps(s, where) for s in ss)}


def _links(x: Actor, y: Actor) -> bool:
    """``x`` belongs to ``y``: speaks for it, or is of its country when ``y`` is a state."""
    return x.organization == y.id or (y.kind == "state" and y.code is not None and x.country == y.code)


def _joined(a: set[str], b: set[str], xs: Sequence[str], ys: Sequence[str]) -> bool:
    """One actor of ``a`` in ``xs`` and one of ``b`` in ``ys``, or the other way round."""
    return bool((a & set(xs) and b & set(ys)) or (b & set(xs) and a & set(ys)))


def _with_members(extraction: Extraction, ids: set[str]) -> set[str]:
    """The actors plus their bodies and their members, one step ("ISIL" ~ "ISIL terrorists"): a group
    that acts for a body is the same side of a fight or a talk."""
    out = set(ids)
    for a in extraction.actors:
        if a.id in ids and a.organization:
            out.add(a.organization)
        elif a.organization in ids:
            out.add(a.id)
    return out


def relation_found(rel: GoldRelation, extraction: Extraction, src: set[str],
                   tgt: set[str]) -> tuple[bool, bool]:
    """(found, anchored) for one gold relation whose arguments name the actors ``src`` and ``tgt``."""
    if not src or not tgt:
        return False, False
    extent = rel.extent
    found = anchored = False
    if rel.type in ("BelongsTo", "InChargeOf"):
        actors = {a.id: a for a in extraction.actors}
        hit = any(_links(actors[x], actors[y]) or _links(actors[y], actors[x])
                  for x in src for y in tgt if x != y)
        return hit, hit
    src, tgt = _with_members(extraction, src), _with_members(extraction, tgt)
    for ev in extraction.events:
        if rel.type == "FightingAgainst":
            fits = ev.quad_class == 4 or ev.type in _HOSTILE_TYPES
        elif rel.type in ("AlliesOf", "Likes"):
            fits = ev.quad_class in (1, 2)
        elif rel.type == "Dislikes":
            fits = ev.quad_class in (3, 4)
        elif rel.type == "CommWith":
            fits = ev.type in _TALK_TYPES
        else:
            fits = False
        if fits and _joined(src, tgt, ev.source, ev.target):
            found = True
            spans = [ev.evidence, *ev.also_evidence]
            if any(overlaps((s.start, s.end), extent) for s in spans):
                return True, True
    if rel.type == "CommWith":
        for q in extraction.quotes:
            others = [*q.about, *([q.addressee] if q.addressee else [])]
            if q.speaker and _joined(src, tgt, [q.speaker], others):
                found = True
                where = (q.sentence.start, q.sentence.end) if q.sentence else (q.start, q.end)
                if overlaps(where, extent):
                    return True, True
    return found, anchored


def _events_here(extraction: Extraction, where: Span2) -> str:
    """The events stated over a missed relation, for --details: "; here: ASSAULT 'strikes' A -> B"."""
    def names(ids: Sequence[str]) -> str:
        return "+".join(a.name if (a := extraction.actor(i)) else i for i in ids) or "?"

    found = [f"{ev.type} {ev.trigger.text!r} {names(ev.source)} -> {names(ev.target)}"
             for ev in extraction.events if overlaps((ev.evidence.start, ev.evidence.end), where)]
    return "; here: " + ", ".join(found) if found else ""


def score_document(doc: Re3dDocument, extraction: Extraction, is_state: IsState) -> DocumentScore:
    text = doc.text
    kinds = {a.id: a.kind for a in extraction.actors}
    everything = _actor_spans(extraction, pronouns=True)

    # Entities: recall per gold type; gold pronouns ("we", "I": re3d marks some) are tallied apart.
    entities = _new_tallies(ENTITY_TYPES)
    pronoun_entities = Tally()
    missed_entities: list[str] = []
    scored = _scored_entities(doc, is_state)
    for ent in scored:
        t = pronoun_entities if is_pronoun(ent.value) else entities[ent.type]
        t.gold += 1
        here = _actors_at(everything, (ent.start, ent.end))
        if here:
            t.found += 1
            if any(kinds[a] in TYPE_KINDS[ent.type] for a in here):
                t.typed += 1
            else:
                got = "/".join(sorted({kinds[a] for a in here}))
                missed_entities.append(f"{ent.type}: {ent.value} [untyped: {got}]")
        else:
            missed_entities.append(f"{ent.type}: {ent.value}")

    # Precision: distinct non-pronoun mention spans against every confident gold entity.
    span_kinds: dict[Span2, set[str]] = {}
    pronoun_spans: set[Span2] = set()
    for a in extraction.actors:
        for m in a.mentions:
            if is_pronoun(m.text):
                pronoun_spans.add((m.start, m.end))
            else:
                span_kinds.setdefault((m.start, m.end), set()).add(a.kind)
    gold_spans = [(e.start, e.end) for e in doc.entities]
    mentions = MentionTally(pronouns=len(pronoun_spans))
    on_gold = sum(any(overlaps(p, g) for g in gold_spans) for p in pronoun_spans)
    pronoun_mentions = MentionTally(predicted=len(pronoun_spans), matched=on_gold)
    by_kind: dict[str, MentionTally] = {}
    extra: list[str] = []
    for span, ks in sorted(span_kinds.items()):
        hit = any(overlaps(span, g) for g in gold_spans)
        mentions.predicted += 1
        mentions.matched += hit
        for k in ks:
            mk = by_kind.setdefault(k, MentionTally())
            mk.predicted += 1
            mk.matched += hit
        if not hit:
            extra.append(f"{text[span[0]:span[1]]} [{'/'.join(sorted(ks))}]")

    # Relations: recall per mapped type, between actor arguments only.
    relations = _new_tallies(RELATION_TYPES)
    not_actor: dict[str, int] = {}
    missed_relations: list[str] = []
    actor_spans = [(e.start, e.end) for e in scored]
    for rel in doc.relations:
        if rel.type not in relations:
            continue
        if not (is_actor_argument(rel.source, actor_spans) and is_actor_argument(rel.target, actor_spans)):
            not_actor[rel.type] = not_actor.get(rel.type, 0) + 1
            continue
        t = relations[rel.type]
        t.gold += 1
        src, tgt = _actors_at(everything, rel.source), _actors_at(everything, rel.target)
        found, anchored = relation_found(rel, extraction, src, tgt)
        t.found += found
        t.typed += anchored
        if not found:
            why = ("no actor for " + " and ".join(n for n, s in (("source", src), ("target", tgt)) if not s)
                   if not (src and tgt) else "no fact joins them" + _events_here(extraction, rel.extent))
            missed_relations.append(f"{rel.type}: {rel.source_text} -> {rel.target_text} ({why})")
    gold_typed = [(e.start, e.end, e.type) for e in doc.entities
                  if e.type in SPAN_TYPES and not is_pronoun(e.value)]
    spans = score_spans(text, gold_typed, predicted_spans(extraction, is_state, is_pronoun))
    return DocumentScore(doc.doc_id, entities, mentions, by_kind, relations, pronoun_entities,
                         pronoun_mentions, missed_entities, extra, missed_relations, not_actor, spans)


@dataclass
class DatasetScore:
    name: str
    documents: list[DocumentScore]
    entities: dict[str, Tally]
    mentions: MentionTally
    mentions_by_kind: dict[str, MentionTally]
    relations: dict[str, Tally]
    pronoun_entities: Tally = field(default_factory=Tally)
    pronoun_mentions: MentionTally = field(default_factory=MentionTally)
    not_actor: dict[str, int] = field(default_factory=dict)
    spans: SpanScore = field(default_factory=SpanScore)

    @property
    def entities_all(self) -> Tally:
        return _sum(self.entities.values())

    @property
    def relations_all(self) -> Tally:
        return _sum(self.relations.values())

    def as_dict(self, details: bool = False) -> dict:
        out: dict = {
            "dataset": self.name,
            "documents": len(self.documents),
            "entities": {"overall": self.entities_all.as_dict(),
                         "by_type": {k: v.as_dict() for k, v in self.entities.items()},
                         "mentions": self.mentions.as_dict(),
                         "pronouns": {"gold": self.pronoun_entities.as_dict(),
                                      "mentions": self.pronoun_mentions.as_dict()},
                         "mentions_by_kind": {k: v.as_dict()
                                              for k, v in sorted(self.mentions_by_kind.items())}},
            "relations": {"overall": self.relations_all.as_dict("anchored"),
                          "by_type": {k: v.as_dict("anchored") for k, v in self.relations.items()},
                          "not_actor_arguments": dict(self.not_actor)},
            "spans": self.spans.as_dict(),
        }
        if details:
            out["per_document"] = [
                {"doc": d.doc_id, "missed_entities": d.missed_entities, "extra_mentions": d.extra_mentions,
                 "missed_relations": d.missed_relations, "missed_spans": d.spans.missed,
                 "extra_spans": d.spans.extra, "span_boundaries": d.spans.boundary}
                for d in self.documents]
        return out


def _sum(tallies: Iterable[Tally]) -> Tally:
    total = Tally()
    for t in tallies:
        total.add(t)
    return total


def combine(name: str, documents: Sequence[DocumentScore]) -> DatasetScore:
    entities, relations = _new_tallies(ENTITY_TYPES), _new_tallies(RELATION_TYPES)
    mentions, pronoun_mentions, pronoun_entities = MentionTally(), MentionTally(), Tally()
    by_kind: dict[str, MentionTally] = {}
    not_actor: dict[str, int] = {}
    spans = SpanScore()
    for d in documents:
        spans.add(d.spans)
        for k, n in d.not_actor.items():
            not_actor[k] = not_actor.get(k, 0) + n
        pronoun_entities.add(d.pronoun_entities)
        pronoun_mentions.add(d.pronoun_mentions)
        for k, t in d.entities.items():
            entities[k].add(t)
        for k, t in d.relations.items():
            relations[k].add(t)
        mentions.add(d.mentions)
        for k, m in d.mentions_by_kind.items():
            by_kind.setdefault(k, MentionTally()).add(m)
    return DatasetScore(name, list(documents), entities, mentions, by_kind, relations, pronoun_entities,
                        pronoun_mentions, not_actor, spans)


def evaluate(dataset: Re3dDataset, extractions: Iterable[Extraction], is_state: IsState) -> DatasetScore:
    """Score extractions (one per document, in the dataset's order) against the dataset's gold."""
    docs = [score_document(d, ex, is_state) for d, ex in zip(dataset.documents, extractions, strict=True)]
    return combine(dataset.name, docs)


def run(root: Path, settings: object | None = None) -> list[DatasetScore]:
    """Extract every document under ``root`` with one pipeline and score each dataset."""
    from newsgraph.config import Settings
    from newsgraph.extract.pipeline import Extractor
    from newsgraph.ingest.readers import ArticleInput

    conf = settings if isinstance(settings, Settings) else Settings()
    datasets = load(root)
    extractor = Extractor(conf)
    is_state = kb_state_test(extractor.nlp.get_pipe("newsgraph_actors").kb)
    out = []
    for ds in datasets:
        articles = (ArticleInput(text=d.text, id=d.doc_id) for d in ds.documents)
        out.append(evaluate(ds, extractor.extract_many(articles), is_state))
    return out


# --- command --------------------------------------------------------------------------------------
def _print_score(s: DatasetScore, details: bool) -> None:
    if details:
        for d in s.documents:
            typer.echo(f"{d.doc_id}:")
            for m in d.missed_entities:
                typer.echo(f"  MISSED   {m[:100]}")
            for x in d.extra_mentions:
                typer.echo(f"  EXTRA    {x[:100]}")
            for r in d.missed_relations:
                typer.echo(f"  NO-REL   {r[:140]}")
            for m in d.spans.missed:
                typer.echo(f"  SPAN-MISSED {m[:100]}")
            for x in d.spans.extra:
                typer.echo(f"  SPAN-EXTRA  {x[:100]}")
            for b in d.spans.boundary:
                typer.echo(f"  SPAN-BOUND  {b[:140]}")
    e = s.entities_all
    typer.echo(f"[{s.name}] documents {len(s.documents)}  actor mentions {s.mentions.predicted} "
               f"(pronouns excluded {s.mentions.pronouns})")
    typer.echo(f"entities   P {s.mentions.precision:.3f} ({s.mentions.matched}/{s.mentions.predicted})  "
               f"R {e.recall:.3f}  typed R {e.typed_recall:.3f}  (gold {e.gold})")
    for name, t in s.entities.items():
        typer.echo(f"  {name:15} gold {t.gold:4}  R {t.recall:.3f}  typed R {t.typed_recall:.3f}")
    for kind, m in sorted(s.mentions_by_kind.items()):
        typer.echo(f"  mentions of {kind:12} P {m.precision:.3f} ({m.matched}/{m.predicted})")
    pe, pm = s.pronoun_entities, s.pronoun_mentions
    typer.echo(f"pronouns   gold {pe.gold}  R {pe.recall:.3f}  typed R {pe.typed_recall:.3f};  "
               f"pronoun mentions {pm.predicted}, on a gold entity {pm.matched} (kept out of P and R above)")
    r = s.relations_all
    typer.echo(f"relations  R {r.recall:.3f}  anchored R {r.typed_recall:.3f}  (gold {r.gold} between "
               f"actors, {sum(s.not_actor.values())} more with a non-actor argument; recall only: "
               "re3d is not exhaustive)")
    for name, t in s.relations.items():
        typer.echo(f"  {name:15} gold {t.gold:4}  R {t.recall:.3f}  anchored R {t.typed_recall:.3f}"
                   f"  (not between actors {s.not_actor.get(name, 0)})")
    sp = s.spans.overall
    typer.echo(f"spans      typed overlap F1 {sp['overlap'].f1:.3f} (P {sp['overlap'].precision:.3f} "
               f"R {sp['overlap'].recall:.3f})  exact F1 {sp['exact'].f1:.3f} (P {sp['exact'].precision:.3f} "
               f"R {sp['exact'].recall:.3f})  untyped overlap F1 {sp['untyped_overlap'].f1:.3f}  "
               f"(gold {sp['overlap'].gold}, predicted {sp['overlap'].predicted}; pronouns apart)")
    for name, ms in s.spans.by_type.items():
        o, x = ms["overlap"], ms["exact"]
        typer.echo(f"  {name:15} gold {o.gold:4}  predicted {o.predicted:4}  overlap P {o.precision:.3f} "
                   f"R {o.recall:.3f} F1 {o.f1:.3f}  exact F1 {x.f1:.3f}")


def re3d_command(
    directory: Path = typer.Argument(..., help="re3d dataset folder (documents.json, entities.json, "
                                     "relations.json) or a folder of them", exists=True, file_okay=False),
    fmt: ReportFormatOption = ReportFormat.text,
    details: bool = typer.Option(False, "--details", help="List missed entities, extra mentions and "
                                 "missed relations per document."),
    model: ModelOption = None,
    config: ConfigOption = None,
) -> None:
    """Score actors (against re3d entities) and facts (against re3d relations) on Dstl's re3d data."""
    try:
        scores = run(directory, eval_settings(model, config))
    except FileNotFoundError as err:
        typer.echo(str(err), err=True)
        raise typer.Exit(2) from err
    if len(scores) > 1:
        scores = [*scores, combine("all", [d for s in scores for d in s.documents])]
    if fmt is ReportFormat.json:
        payload = [s.as_dict(details) for s in scores]
        typer.echo(json.dumps(payload[0] if len(payload) == 1 else payload, indent=2, ensure_ascii=False))
        return
    for i, s in enumerate(scores):
        if i:
            typer.echo("")
        _print_score(s, details and s.name != "all")


def register(eval_app: typer.Typer) -> None:
    """Adds ``re3d`` to ``newsgraph eval``."""
    eval_app.command("re3d")(re3d_command)


__all__ = ["GoldEntity", "GoldRelation", "Re3dDocument", "Re3dDataset", "Tally", "MentionTally",
           "DocumentScore", "DatasetScore", "load", "load_dataset", "kb_state_test", "score_document",
           "relation_found", "combine", "evaluate", "run", "register", "PRONOUNS", "is_pronoun"]
