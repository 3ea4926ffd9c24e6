"""The ``newsgraph_places`` component: places named in the article, resolved offline, and where events were.

Place mentions come from the model's GPE/LOC/FAC entities, from names the gazetteer knows after a
locative preposition ("near Ayn Isa", which the small model often tags as a person), and from the
dateline. Each is resolved against the gazetteer (``newsgraph.geo.resolve``) with the article's states
(from the actor table) and dateline as evidence; mentions of one entry form one ``Place``, each mention
kept as evidence. Then each event the event coder made gets its location (``newsgraph.geo.locate``).
Writes ``doc._.ng_places`` and sets ``geo`` (and the older ``location`` strings) on ``doc._.ng_events``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml
from spacy.language import Language
from spacy.tokens import Doc, Span

from newsgraph.contract import Mention, Place
from newsgraph.extract.actor_table import ActorTable
from newsgraph.extract.base import context_of
from newsgraph.geo.gazetteer import Gazetteer, GazetteerEntry, coordinate, shared_gazetteer
from newsgraph.geo.locate import PlaceMention, locate_events
from newsgraph.geo.resolve import Resolution, Toponym, resolve_all
from newsgraph.kb import KnowledgeBase


@dataclass(frozen=True)
class PlaceLexicon:
    """The words of ``data/lexicons/places.yaml``."""

    locative: frozenset[str]
    motion_triggers: frozenset[str]
    motion_preps: frozenset[str]
    circumstance: frozenset[str]
    light_verbs: frozenset[str]
    region_words: frozenset[str]
    city_words: frozenset[str]
    directions: frozenset[str]
    labels: frozenset[str]
    finding: frozenset[str] = frozenset()
    feature_words: frozenset[str] = frozenset()
    territory_nouns: frozenset[str] = frozenset()

    @classmethod
    def load(cls, path: Path | None = None) -> PlaceLexicon:
        bundled = resources.files("newsgraph") / "data" / "lexicons" / "places.yaml"
        source = path if path is not None else bundled
        text = source.read_text(encoding="utf-8")
        d = yaml.safe_load(text)

        def words(key: str) -> frozenset[str]:
            return frozenset(str(w).lower() for w in d.get(key) or ())

        return cls(words("locative_prepositions"), words("motion_triggers"), words("motion_prepositions"),
                   words("circumstance_prepositions"), words("light_verbs"), words("region_words"),
                   words("city_words"), words("directions"),
                   frozenset(str(w) for w in d.get("entity_labels") or ()), words("finding_prepositions"),
                   words("feature_words"), words("territory_nouns"))


_ARTICLES = frozenset({"al", "ar", "as", "ad", "an", "at", "az", "ash", "el", "al-"})  # Arabic names' article
_ARTICLE_NAME = re.compile(r"^(al|ar|as|ad|an|at|az|ash|el)-[A-Z]")  # "al-Hilla" as one token
_NAME_POS = ("PROPN", "NOUN", "ADJ")  # the small model tags unknown capitalised names as any of these


class PlaceFinder:
    def __init__(self, nlp: Language, name: str, gazetteer: Gazetteer | None = None,
                 lexicon: PlaceLexicon | None = None, kb: KnowledgeBase | None = None) -> None:
        self.name = name
        self.kb = kb  # the actor layer's: its demonyms are no places
        self.gazetteer = gazetteer if gazetteer is not None else shared_gazetteer()
        self.lex = lexicon if lexicon is not None else PlaceLexicon.load()

    def __call__(self, doc: Doc) -> Doc:
        ctx = context_of(doc)
        if not ctx.analysable:
            doc._.ng_places = []
            return doc
        table: ActorTable | None = doc._.ng_actors
        countries = self._countries(table)
        text = doc.text  # once: spaCy joins the tokens again on every access
        toponyms, spans, dateline = self._toponyms(doc, table, countries, ctx.dateline_place, ctx.body_start,
                                                   text)
        resolutions = resolve_all(self.gazetteer, toponyms, countries, dateline)
        places, mentions = self._places(text, table, toponyms, spans, resolutions)
        doc._.ng_places = places
        if doc._.ng_events:
            dl = next((m for m in mentions if m.index == dateline), None) if dateline is not None else None
            doc._.ng_events = locate_events(doc, text, doc._.ng_events, mentions, places, table, dl,
                                            self.gazetteer, self.lex)
        return doc

    # --- finding ---------------------------------------------------------------------------------------
    def _toponyms(self, doc: Doc, table: ActorTable | None, countries: dict[str, float],
                  dateline_place: str | None, body_start: int, text: str
                  ) -> tuple[list[Toponym], list[Span], int | None]:
        lex = self.lex
        mention_counts = Counter(m.actor_id for m in table.mentions) if table is not None else Counter()
        found: list[tuple[Span, str, GazetteerEntry | None]] = []
        taken: set[int] = set()
        dateline_span = self._dateline_span(doc, text, dateline_place, body_start)
        if dateline_span is not None:
            found.append((dateline_span, "dateline", None))
            taken.update(range(dateline_span.start, dateline_span.end))
        for ent in doc.ents:
            if any(i in taken for i in range(ent.start, ent.end)):
                continue
            if ent.label_ == "NORP" and ent.end < len(doc) and doc[ent.end].lower_ in lex.territory_nouns:
                state = self._state_named(table, ent, ("adjective", "modifier"))
                if state is not None:  # "Iraqi territory"
                    found.append((doc[ent.start:ent.end + 1], "ner", state))
                    taken.update(range(ent.start, ent.end + 1))
                    continue
            if ent.label_ == "NORP" and not self._norp_place(table, ent):
                continue
            other = ent.label_ not in lex.labels and ent.label_ != "NORP"
            if other and self._state_named(table, ent) is None \
                    and not self._misread_place(table, ent, countries, mention_counts):
                continue
            span = self._trim(ent)
            if span is None or self._demonym(span.text):
                continue
            span = self._extend(span)
            if any(i in taken for i in range(span.start, span.end)):
                continue
            if ent.label_ == "FAC" and not self.gazetteer.knows(span.text) and self._namesake(span) is None:
                continue  # a building or a road the gazetteer does not hold: no point to give it
            found.append((span, "ner", None))
            taken.update(range(span.start, span.end))
        # names the gazetteer knows after "in", "near", "from"... that the model did not read as places
        words = [t.text for t in doc]  # one pass over the tokens: spaCy builds a Token on every access
        lowers = [w.lower() for w in words]
        finding = lex.locative | lex.finding
        starts = [i + 1 for i, w in enumerate(lowers) if w in finding]
        locative_at = {i + 1 for i, w in enumerate(lowers) if w in lex.locative}
        # and before a kind word: "northwestern Syria’s Idlib province"
        starts += [self._name_start(doc, i) for i, w in enumerate(lowers) if w in lex.region_words and i > 0]
        skip = {"the", *lex.directions}
        for start in sorted(set(starts)):
            prep = start - 1
            while start < len(doc) and lowers[start] in skip:
                start += 1
            if start >= len(doc) or not (words[start][:1].isupper() or lowers[start] in _ARTICLES
                                         or _ARTICLE_NAME.match(words[start])):
                continue
            end = self._name_end(doc, start)
            if end == start or any(i in taken for i in range(start, end)):
                continue
            if table is not None and any(self._is_named_actor(table, i, prep, prep + 1 in locative_at)
                                         for i in range(start, end)):
                continue
            span = doc[start:end]
            if self.gazetteer.knows(span.text):
                found.append((span, "gazetteer", None))
                taken.update(range(start, end))
        # one name, one place within an article: its other mentions the model left untagged count too
        by_first: dict[str, set[tuple[str, ...]]] = {}
        for s, origin, _ in found:
            if origin != "dateline":
                by_first.setdefault(s[0].text, set()).add(tuple(t.text for t in s))
        for i, word in enumerate(words):
            for name in by_first.get(word, ()):
                end = i + len(name)
                if end <= len(doc) and tuple(words[i:end]) == name \
                        and not any(j in taken for j in range(i, end)) \
                        and not (table is not None and any(self._is_named_actor(table, j, i - 1, True)
                                                           for j in range(i, end))):
                    found.append((doc[i:end], "repeat", None))
                    taken.update(range(i, end))
        found.sort(key=lambda f: f[0].start)
        toponyms: list[Toponym] = []
        spans: list[Span] = []
        dateline_index = None
        for span, origin, state in found:
            parts = self._split_qualified(doc, span) if origin == "dateline" or "," in span.text else [span]
            first = len(toponyms)
            for k, part in enumerate(parts):
                within = first + 1 if k == 0 and len(parts) > 1 else None
                toponyms.append(Toponym(part.start_char, part.end_char, self._lookup_form(part),
                                        self._cue(doc, part), within, origin,
                                        state or self._state_named(table, part),
                                        namesake=self._namesake(part)))
                spans.append(part)
            if origin == "dateline":
                dateline_index = first
        # "Palmyra, Syria": a place followed by a comma and another place is qualified by it
        for i in range(len(spans) - 1):
            a, b = spans[i], spans[i + 1]
            if toponyms[i].within is None and b.start == a.end + 1 and doc[a.end].text == ",":
                toponyms[i].within = i + 1
        for t in toponyms:
            if t.within is not None:
                toponyms[t.within].qualifies = True
        return toponyms, spans, dateline_index

    def _state_named(self, table: ActorTable | None, span: Span,
                     hows: tuple[str, ...] = ("name", "alias")) -> GazetteerEntry | None:
        """The country the actor layer reads a name as, when it names the state itself (not a metonym:
        "in Washington" is the city even where "Washington said" is the government); with
        ``hows=("adjective", "modifier")``, the state an adjective names ("Iraqi territory")."""
        if table is None:
            return None
        m = table.mention_at(span.root.i)
        actor = table.get(m.actor_id) if m is not None else None
        if actor is None or actor.kind != "state" or m.how not in hows:
            return None
        return self.gazetteer.country(actor.code)

    @staticmethod
    def _name_end(doc: Doc, start: int) -> int:
        """The end of the capitalised name starting at ``start`` ("Dayr az Zawr", "al-Hilla", "Tal Afar")."""
        end = start
        if end + 1 < len(doc) and doc[end].lower_ in _ARTICLES and doc[end + 1].text[:1].isupper():
            end += 1  # "in al Hilla"
        elif end + 2 < len(doc) and doc[end].lower_ in _ARTICLES and doc[end + 1].text == "-" \
                and doc[end + 2].text[:1].isupper():
            end += 2  # "in al - Hasakah" as the tokenizer splits it
        while end < len(doc) and (doc[end].text[:1].isupper() and doc[end].pos_ in _NAME_POS
                                  or _ARTICLE_NAME.match(doc[end].text)
                                  or doc[end].text == "-" and end > start):
            end += 1
        while end + 1 < len(doc) and end - start < 4 and doc[end].lower_ in _ARTICLES \
                and doc[end + 1].text[:1].isupper():
            end += 2  # "Tal al-Abyad", "Dayr az Zawr"
        while end > start and doc[end - 1].text == "-":
            end -= 1
        return end

    @staticmethod
    def _name_start(doc: Doc, end: int) -> int:
        start = end
        while start > 0 and doc[start - 1].text[:1].isupper() and doc[start - 1].pos_ in _NAME_POS:
            start -= 1
        return start

    def _extend(self, span: Span) -> Span:
        """An entity the model cut at an Arabic article: "Dayr az [Zawr]" is "Dayr az Zawr"."""
        doc, start, end = span.doc, span.start, span.end
        if start >= 2 and doc[start - 1].lower_ in _ARTICLES and doc[start - 2].text[:1].isupper():
            start -= 2
        if end + 1 < len(doc) and doc[end].lower_ in _ARTICLES and doc[end + 1].text[:1].isupper():
            end += 2
        if (start, end) == (span.start, span.end) or not self.gazetteer.knows(doc[start:end].text):
            return span
        return doc[start:end]

    def _namesake(self, span: Span) -> str | None:
        """The place a named feature is named after: "Mount Sinjar" -> "Sinjar" (when the gazetteer does
        not know the feature itself)."""
        if self.gazetteer.knows(span.text):
            return None
        words = [t.text for t in span if t.lower_ not in self.lex.feature_words and t.text[:1].isupper()]
        name = " ".join(words)
        return name if words and len(words) < len(span) and self.gazetteer.knows(name) else None

    def _demonym(self, text: str) -> bool:
        """"Arab", "Kurdish": a people's name is no place, whatever town shares it."""
        return self.kb is not None and any(how == "adjective" for _e, how in self.kb.lookup_kind(text))

    def _misread_place(self, table: ActorTable | None, ent: Span, countries: dict[str, float],
                       mention_counts: Counter[str]) -> bool:
        """A name the model tags as a person or organisation that is a place of the article's countries:
        "isolate Raqqah" (PERSON), "the liberation of Sinjar" (ORG). Only when the knowledge base knows
        no such actor and the text gives it no title, and the gazetteer has a town or region of that
        name in a country the article is mostly about."""
        if ent.label_ not in ("PERSON", "ORG") or not countries:
            return False
        if table is not None:
            m = table.mention_at(ent.root.i)
            actor = table.get(m.actor_id) if m is not None else None
            if actor is not None and (actor.wikidata or actor.cameo or actor.role or actor.code
                                      or mention_counts[actor.id] > 8):  # much named: an actor
                return False
        return any(c.feature in ("city", "region") and countries.get(c.country or "", 0.0) >= 0.5
                   and (c.feature == "region" or c.population >= 1000 or c.population == 0)
                   for c in self.gazetteer.candidates(ent.text, loose=False))

    def _norp_place(self, table: ActorTable | None, ent: Span) -> bool:
        """A name the model tags as a nationality ("Aleppo") that is a place, not a state's adjective."""
        if table is not None:
            hows = {m.how for t in ent if (m := table.mention_at(t.i)) is not None}
            if hows & {"adjective", "modifier"}:
                return False
        # only a large place: the tag is mostly right, and small towns share peoples' names ("Arab")
        places = [c for c in self.gazetteer.candidates(ent.text, loose=False)
                  if c.feature in ("city", "region")]
        return any(c.feature == "region" or c.population >= 50_000 for c in places)

    @staticmethod
    def _is_named_actor(table: ActorTable, i: int, prep: int, locative: bool = False) -> bool:
        """Whether token ``i`` names a person or body: not when the knowledge base does not know it, the
        text gives it no title and it follows "in", "near"... ("fighting around Bakhmut"), or the mention
        swallowed the preposition before it ("Near Palmyra" read as a person's name)."""
        m = table.mention_at(i)
        if m is None:
            return False
        actor = table.get(m.actor_id)
        if actor is None or actor.kind not in ("person", "organization", "group"):
            return False
        known = actor.wikidata or actor.cameo or actor.code or actor.role
        if known:
            return True
        return not locative and m.token_start > prep

    def _dateline_span(self, doc: Doc, text: str, place: str | None, body_start: int) -> Span | None:
        if not place:
            return None
        pos = text.find(place, body_start)
        if pos < 0 or pos > body_start + 400:
            pos = text.find(place)
        if pos < 0 or pos > body_start + 400:
            return None
        return doc.char_span(pos, pos + len(place), alignment_mode="expand")

    def _trim(self, span: Span) -> Span | None:
        """The name within an entity: no leading "the", possessive or trailing punctuation."""
        start, end = span.start, span.end
        doc = span.doc
        while start < end and doc[start].lower_ in ("the",):
            start += 1
        cut = next((t.i for t in doc[start:end] if t.tag_ == "POS"), None)
        if cut is not None:  # "North Korea’s Support" (a headline's capitals)
            end = cut
        while end > start and doc[end - 1].is_punct:
            end -= 1
        if end == start or (end - start == 1 and doc[start].lower_ in self.lex.directions):
            return None  # "the West" is no place on a map
        return doc[start:end]

    def _split_qualified(self, doc: Doc, span: Span) -> list[Span]:
        """"Washington, D.C." and "Palmyra, Syria" as two toponyms, the first qualified by the second."""
        cut = [t.i for t in span if t.text == ","]
        if not cut:
            return [span]
        parts, start = [], span.start
        for c in [*cut, span.end]:
            if c > start:
                parts.append(doc[start:c])
            start = c + 1
        return parts[:2]

    def _cue(self, doc: Doc, span: Span) -> str | None:
        words = self.lex
        last = span[-1].lower_
        after = doc[span.end].lower_ if span.end < len(doc) else ""
        before = [t.lower_ for t in doc[max(0, span.start - 2):span.start]]
        if last in words.region_words or after in words.region_words:
            return "region"
        if last in words.city_words or after in words.city_words or (
                len(before) == 2 and before[1] == "of" and before[0] in words.city_words):
            return "city"
        return None

    @staticmethod
    def _countries(table: ActorTable | None) -> dict[str, float]:
        if table is None:
            return {}
        counts: Counter[str] = Counter()
        mention_counts = Counter(m.actor_id for m in table.mentions)
        for actor in table:
            iso3 = actor.code if actor.kind == "state" else None
            if iso3 and len(iso3) == 3:
                counts[iso3] += mention_counts.get(actor.id, 1)
        top = max(counts.values(), default=1)
        return {k: round(v / top, 3) for k, v in counts.items()}

    # --- assembling ------------------------------------------------------------------------------------
    def _places(self, text: str, table: ActorTable | None, toponyms: list[Toponym], spans: list[Span],
                resolutions: list[Resolution]) -> tuple[list[Place], list[PlaceMention]]:
        places: list[Place] = []
        by_key: dict[str, int] = {}
        mentions: list[PlaceMention] = []
        for i, (t, span, r) in enumerate(zip(toponyms, spans, resolutions, strict=True)):
            surface = t.surface
            key = r.entry.id if r.entry is not None else "?" + surface.lower()
            k = by_key.get(key)
            if k is None:
                k = len(places)
                by_key[key] = k
                e = r.entry
                actor = None
                if e is not None and e.feature == "country" and table is not None:
                    actor = next((a.id for a in table if a.kind == "state" and a.code == e.country), None)
                where = e or r.inside  # an unlisted feature: the country and region of its namesake only
                places.append(Place(
                    id=f"p{k + 1}", name=e.name if e else surface, feature=e.feature if e else None,
                    gazetteer_id=e.id if e else None, country=where.country if where else None,
                    region=where.region if where else None,
                    lat=coordinate(e.lat) if e else None, lon=coordinate(e.lon) if e else None,
                    candidates=r.candidates, actor=actor, confidence=r.confidence if e else 0.0,
                ))
            # built from offsets just checked: no validation needed
            mention = Mention.model_construct(start=t.start, end=t.end, text=text[t.start:t.end])
            places[k].mentions.append(mention)
            mentions.append(PlaceMention(index=i, place=places[k].id, span=span))
        return places, mentions

    def _lookup_form(self, span: Span) -> str:
        """The name to look up: the span, else without a leading direction or a trailing kind word
        ("northern Iraq", "Idlib province"), when the gazetteer knows the shorter form."""
        doc = span.doc
        if span.end < len(doc) and doc[span.end].lower_ in self.lex.region_words:
            with_kind = doc[span.start:span.end + 1].text  # "Donetsk region" names the oblast
            if self.gazetteer.knows(with_kind):
                return with_kind
        if self.gazetteer.knows(span.text):
            return span.text
        words = [t for t in span]
        while len(words) > 1 and words[0].lower_ in self.lex.directions:
            words = words[1:]
        while len(words) > 1 and words[-1].lower_ in (self.lex.region_words | self.lex.city_words):
            words = words[:-1]
        short = span.doc[words[0].i:words[-1].i + 1].text
        return short if self.gazetteer.knows(short) else span.text


@Language.factory("newsgraph_places", default_config={"gazetteer_dir": None, "lexicon": None})
def make_place_finder(nlp: Language, name: str, gazetteer_dir: str | None,
                      lexicon: str | None) -> PlaceFinder:
    gazetteer = Gazetteer.load(Path(gazetteer_dir)) if gazetteer_dir else None
    actors = nlp.get_pipe("newsgraph_actors") if "newsgraph_actors" in nlp.pipe_names else None
    kb = getattr(actors, "kb", None)
    return PlaceFinder(nlp, name, gazetteer, PlaceLexicon.load(Path(lexicon)) if lexicon else None,
                       kb if isinstance(kb, KnowledgeBase) else None)
