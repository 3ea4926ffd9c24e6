"""Where each event happened: a stage after the event coder that reads its events and the article's places.

An event's place is *stated* when a place mention of its sentence attaches to the event by the parse: the
object of a locative preposition ("in", "near", "into"; "to" after a visit or a trip) on the trigger, on
the verb that carries a nominal trigger ("held talks in Geneva"), on the clause a participle adjoins
("echoed it in Washington, criticizing ..."), or in a circumstance phrase of the trigger ("during a press
conference in Italy, X underscored ..."). The most specific stated place wins (a city over its region,
a region over its country). Otherwise the event takes the dateline's place (*dateline*), else the country
of its source (or target) actor (*actor-country*). Each location keeps the span it rests on as evidence.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from newsgraph.contract import Event, EventLocation, Place, TextSpan
from newsgraph.extract.actor_table import ActorTable
from newsgraph.geo.gazetteer import Gazetteer, coordinate

if TYPE_CHECKING:
    from newsgraph.extract.places import PlaceLexicon

SPECIFICITY = {"city": 0, "region": 1, "area": 2, "country": 3}  # most specific first
_PARTIES = frozenset({"with", "against", "on", "upon"})  # whom a material act is done with or to


@dataclass(frozen=True)
class PlaceMention:
    index: int  # the toponym's index in the article
    place: str  # place id
    span: Span


def locate_events(doc: Doc, text: str, events: Sequence[Event], mentions: Sequence[PlaceMention],
                  places: Sequence[Place], table: ActorTable | None, dateline: PlaceMention | None,
                  gazetteer: Gazetteer, lex: PlaceLexicon) -> list[Event]:
    by_id = {p.id: p for p in places}
    starts = [s.start for s in doc.sents]  # sentence starts, once: Token.sent walks the parse each time
    out = []
    for ev in events:
        geo = _stated(doc, ev, mentions, by_id, lex, starts)
        if geo is None and dateline is not None and by_id[dateline.place].lat is not None:
            geo = _location("dateline", by_id[dateline.place], dateline.span)
        if geo is None:
            geo = _actor_country(text, ev, table, places, gazetteer)
        if geo is None:
            out.append(ev)
            continue
        update: dict[str, object] = {"geo": geo}
        if geo.basis == "stated":  # the older strings say where the text places the event
            update["location"], update["location_country"] = geo.name, geo.country or ev.location_country
        out.append(ev.model_copy(update=update))
    return out


def _location(basis: str, place: Place, span: Span) -> EventLocation:
    return EventLocation(basis=basis, place=place.id, name=place.name, feature=place.feature,  # type: ignore[arg-type]
                         gazetteer_id=place.gazetteer_id, country=place.country, region=place.region,
                         lat=place.lat, lon=place.lon,
                         evidence=TextSpan(start=span.start_char, end=span.end_char, text=span.text))


def _targets(trigger: Span, lex: PlaceLexicon, material: bool) -> set[int]:
    """The tokens a place must attach to: the trigger, and the words whose place is the trigger's."""
    out = {t.i for t in trigger}
    # what the act was done to is where it was done: "shelled positions near Tal Abyad", "abducted
    # dozens of students in Zamfara"; for a material act also whom it was done with or against
    # ("clashed with protesters in Mandalay", "opened fire on protesters in Basra")
    objects = [c for t in trigger for c in t.children if c.dep_ in ("dobj", "nsubjpass") and c.pos_ == "NOUN"]
    if material:
        objects += [o for t in trigger for p in t.children if p.dep_ == "prep" and p.lower_ in _PARTIES
                    for o in p.children if o.dep_ == "pobj" and o.pos_ == "NOUN"]
    objects += [o for n in list(objects) for p in n.children if p.dep_ == "prep" and p.lower_ == "of"
                for o in p.children if o.dep_ == "pobj" and o.pos_ == "NOUN"]
    out |= {o.i for o in objects}
    for t in trigger:
        head = t.head
        if t.pos_ in ("NOUN", "PROPN") and head.lemma_.lower() in lex.light_verbs and \
                t.dep_ in ("dobj", "nsubjpass", "attr"):
            out.add(head.i)  # "held talks in Geneva"
        if t.dep_ in ("advcl", "xcomp") and t.tag_ in ("VBG", "VBN") and head.i != t.i:
            out.add(head.i)  # "echoed the sentiment in Washington, criticizing China"
    return out


def _attaches(tok: Token, targets: set[int], motion: bool, lex: PlaceLexicon) -> bool:
    x = tok
    steps = 0
    # "Mosul, Iraq" / "Mosul and Tal Afar": the first conjunct's or appositive's attachment
    while x.dep_ in ("appos", "conj", "compound") and x.head.i != x.i and steps < 3:
        x = x.head
        steps += 1
    # "in the northern city of Mosul": the place noun's attachment
    kinds = lex.city_words | lex.region_words
    if x.dep_ == "pobj" and x.head.lower_ == "of" and x.head.head.lemma_.lower() in kinds:
        x = x.head.head
    if x.dep_ != "pobj":
        return False
    prep = x.head
    word = prep.lower_
    if not (word in lex.locative or (motion and word in lex.motion_preps)):
        return False
    h = prep.head
    if h.i in targets:
        return True
    # a circumstance phrase: "during a press conference in Italy, Biden underscored ..."
    if h.dep_ == "pobj" and h.head.lower_ in lex.circumstance and h.head.head.i in targets:
        return True
    # a visit's destination written after its visitor: "a visit from Putin to North Korea"
    if motion and word in lex.motion_preps:
        y = h
        for _ in range(2):
            if y.dep_ != "pobj" or y.head.dep_ != "prep":
                break
            y = y.head.head
            if y.i in targets:
                return True
    return False


def _stated(doc: Doc, ev: Event, mentions: Sequence[PlaceMention], places: dict[str, Place],
            lex: PlaceLexicon, sent_starts: list[int]) -> EventLocation | None:
    trigger = doc.char_span(ev.trigger.start, ev.trigger.end, alignment_mode="expand")
    if trigger is None or len(trigger) == 0:
        return None
    k = bisect.bisect_right(sent_starts, trigger.start) - 1
    sent_start = sent_starts[k] if k >= 0 else 0
    sent_end = sent_starts[k + 1] if k + 1 < len(sent_starts) else len(doc)
    material = ev.quad_class in (2, 4)
    targets = _targets(trigger, lex, material)
    motion = any(t.lemma_.lower() in lex.motion_triggers for t in trigger)
    found: list[tuple[int, int, int, PlaceMention]] = []
    for m in mentions:
        if not (sent_start <= m.span.start < sent_end):
            continue
        place = places[m.place]
        root = m.span.root
        # a material act done to a place happened there: "shelled Kharkiv", "took control of Kunduz"
        seized = material and place.feature in ("city", "region") and (
            (root.dep_ == "dobj" and root.head.i in {t.i for t in trigger})
            or (root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.i in targets))
        if seized or _attaches(root, targets, motion, lex):
            found.append((0 if place.lat is not None else 1, SPECIFICITY.get(place.feature or "", 4),
                          abs(m.span.start - trigger.start), m))
    if not found:
        return None
    best = min(found, key=lambda f: f[:3])[3]
    return _location("stated", places[best.place], best.span)


def _actor_country(text: str, ev: Event, table: ActorTable | None, places: Sequence[Place],
                   gazetteer: Gazetteer) -> EventLocation | None:
    if table is None:
        return None
    for actor_id in [*ev.source, *ev.target]:
        actor = table.get(actor_id)
        if actor is None:
            continue
        iso3 = actor.code if actor.kind == "state" else actor.country
        entry = gazetteer.country(iso3)
        if entry is None:
            continue
        spans = [m for m in table.mentions if m.actor_id == actor_id]
        if not spans:
            continue
        near = min(spans, key=lambda m: abs(m.start - ev.trigger.start))
        place = next((p for p in places if p.gazetteer_id == entry.id), None)
        return EventLocation(basis="actor-country", place=place.id if place else None, name=entry.name,
                             feature=entry.feature, gazetteer_id=entry.id, country=entry.country,
                             lat=coordinate(entry.lat), lon=coordinate(entry.lon),
                             evidence=TextSpan(start=near.start, end=near.end,
                                               text=text[near.start:near.end]))
    return None
