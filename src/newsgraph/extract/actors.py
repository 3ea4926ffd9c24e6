"""Actor resolution: who is who in an article (spaCy component ``newsgraph_actors``).

No `from __future__ import annotations` here: spaCy validates factory signatures at run time.

Per article, in this order (each step reads what the earlier ones put in the ActorTable):
1. Knowledge-base names as token sequences (longest first) and the model's PERSON entities, cleaned of
   swallowed titles and regions ("National Intelligence Jane Roe" -> "Jane Roe"); capitalised words
   right after a title the model missed; a PERSON entity holding an organisation word ("Forces",
   "Command") is an organisation; a PERSON entity in apposition with "newspaper" is a news outlet; an
   ORG entity with a person title in apposition ("X Y, a militia commander,") is a person.
2. States, organisations and metonyms. A capital or seat of power ("Moscow", "the Kremlin") stands for
   the state's GOVERNMENT: one organisation actor per state (code and country = ISO3, sector GOV, cameo
   e.g. RUSGOV) named after the seat of power when one is mentioned ("Kremlin (government of Russia)");
   "the Chinese government" is the same actor. After "in", "at"... ("talks in Moscow"), as the name of
   a thing ("the Minsk agreements") or in the dateline it is a place, not an actor. Bodies named without
   their country ("the Foreign Ministry", KB ``generic``) take it from the context.
3. Titles before a name, appositions after it and a title the name is in apposition to give role,
   country, organisation and sector ("State Department spokesman X", "X, the foreign minister of Y,",
   "Its prime minister, X,"). KB people take the office they held on the article's date; the title as
   written in the text wins for ``role``. An unqualified official in a datelined story takes the
   dateline's country.
4. Later surnames (or a lone surname of exactly one KB person), shorter forms of names, acronyms given
   in parentheses, then title-only noun phrases ("a ministry spokesman", "senior officials", "rebels")
   as actors (how="description"; "the spokesman" refers back to a named spokesman), state adjectives
   naming a participant ("Chinese support"), demonym plurals as groups ("Ukrainians"), and finally
   pronouns (extract/actor_coref.py).
Word lists live in data/lexicons/actor_rules.yaml; knowledge comes from newsgraph.kb.
"""

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from spacy.attrs import LOWER, POS
from spacy.language import Language
from spacy.tokens import Doc, Span

from newsgraph.contract import Actor
from newsgraph.extract.actor_coref import resolve_pronouns
from newsgraph.extract.actor_matcher import KBMatch, KBMatcher, token_key
from newsgraph.extract.actor_rules import ActorRules
from newsgraph.extract.actor_table import ActorTable
from newsgraph.extract.base import ArticleContext, context_of, register_extensions
from newsgraph.extract.temporal import text_period
from newsgraph.kb import KBEntry, KnowledgeBase, Office

_POSSESSIVES = frozenset({"'s", "’s", "'", "’"})
_JOINERS = frozenset({"of", "for", "on", "to", "and", "the"})
_STANCE_PREFIXES = frozenset({"anti", "pro", "non"})
_STOP_POS = frozenset({"DET", "VERB", "AUX", "PRON", "CCONJ", "SCONJ", "NUM", "ADV", "PART", "INTJ", "SYM",
                       "ADP", "X"})
_NAME_POS = frozenset({"PROPN", "NOUN", "ADJ"})
_ROLE_ENDS = frozenset({"in", "at", "from", "with", "on", "since", "during", "after", "before", "who",
                        "which", "that", "whose", "and"})
_NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
_DATELINE_DASH = re.compile(r"\s[-–—―]{1,2}\s|\s?[–—]")
_INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\ufeff"
# Lower-case particles inside personal names ("Mohammed bin Salman", "Ursula von der Leyen").
_NAME_PARTICLES = frozenset({"bin", "bint", "ibn", "al", "el", "abu", "de", "da", "di", "do", "dos", "du",
                             "del", "della", "der", "den", "van", "von", "la", "le", "ter", "y"})
_US_PARTY = re.compile(r"\(([A-Z])\s?[-–]\s?[A-Z]")  # "Sen. X (R-Texas)", "(D-N.Y.)"
# Nouns after which a party's name is a portfolio's ("Labour Minister", "Labor Department").
_PORTFOLIO_NOUNS = frozenset({"minister", "ministry", "ministers", "secretary", "department", "dept",
                              "committee", "day", "market", "markets", "code", "law", "laws"})
_CONJUNCTIONS = frozenset({"and", "or", "but", "nor", "&"})
# Title words that may stand in a name ("King Charles III", "Prince Charles", "President Xi"): a name holding
# one says which office its bearer held, so it is kept only when that office is consistent with the date.
_NAME_TITLES = frozenset({"king", "queen", "prince", "princess", "president", "pope", "emperor", "empress",
                          "sultan", "emir", "sheikh", "lord", "baroness", "sir", "dame", "chancellor"})
# Words in a title the text gives that rule out a knowledge-base office held on the article's date.
_NOT_IN_OFFICE = frozenset({"former", "ex", "shadow", "then", "late", "outgoing", "would-be", "aspiring"})


_AGE_WORDS = frozenset({"year", "years", "month", "months", "week", "weeks", "day", "days", "old"})
# where a lone surname stands when it names someone ("Trump and Putin agreed", "met Putin")
_ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "conj", "poss", "dative", "agent"})


@dataclass
class _Affiliation:
    country: str | None = None
    organization: str | None = None  # actor id
    party: str | None = None  # actor id


@dataclass
class _Person:
    actor_id: str
    entry: KBEntry | None
    start: int
    end: int
    name_tokens: tuple[str, ...]


@dataclass
class _Work:
    """Per-document state of one resolution."""

    doc: Doc
    table: ActorTable
    ctx: ArticleContext
    text: str  # doc.text, built once (spaCy rebuilds it from the tokens on every access)
    lower: list[int]  # LOWER hash of each token, for fast scans
    ents: tuple[Span, ...]  # doc.ents, built once (spaCy makes new Span objects on every access)
    skip: tuple[int, int] | None = None  # dateline tokens: a place, never an actor
    consumed: set[int] = field(default_factory=set)  # tokens of titles and roles
    adjectives: dict[int, tuple[int, KBEntry]] = field(default_factory=dict)  # start -> (end, state)
    ethnic: set[int] = field(default_factory=set)  # starts of adjectives after "ethnic": a people, no state
    persons: list[_Person] = field(default_factory=list)
    person_by_key: dict[tuple[str, ...], str] = field(default_factory=dict)
    gender: dict[str, str] = field(default_factory=dict)
    seats: dict[str, str] = field(default_factory=dict)  # government actor id -> seat-of-power name
    titled: set[str] = field(default_factory=set)  # person actors whose title has been read
    home: str | None = None  # the article's state: dateline, else the state most named

    def covered(self, i: int) -> bool:
        return i in self.consumed or self.table.mention_at(i) is not None

    def in_skip(self, start: int, end: int) -> bool:
        return self.skip is not None and start < self.skip[1] and self.skip[0] < end


class ActorResolver:
    def __init__(self, nlp: Language, name: str, actor_dictionaries: list[str],
                 rules_file: str | None = None) -> None:
        register_extensions()
        self.actor_dictionaries = actor_dictionaries
        self.kb = KnowledgeBase.load([Path(p) for p in actor_dictionaries])
        self.rules = ActorRules.load(Path(rules_file) if rules_file else None)
        tokenizer = nlp.tokenizer
        self.matcher = KBMatcher(self.kb, lambda text: [t.text for t in tokenizer(text)])
        self._agent_cache: dict[str, object] = {}
        self._region_cache: dict[str, bool] = {}
        self._heads: set[int] | None = None  # see _agent_heads
        self._seat_keys = {token_key(m[4:]) for e in self.kb.entries() for m in e.metonyms
                           if m.lower().startswith("the ")}

    # ---------------------------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        table = ActorTable()
        doc._.ng_actors = table
        ctx = context_of(doc)
        if not ctx.analysable or not len(doc):
            return doc
        text = doc.text
        if ctx.published is None and ctx.period is None:
            ctx.period = text_period(text)
        w = _Work(doc, table, ctx, text, doc.to_array(LOWER).tolist(), _split_entities(doc),
                  skip=self._dateline_tokens(doc, text, ctx))
        matches = [m for m in self.matcher.find(doc) if not w.in_skip(m.start, m.end) and m.candidates
                   and any(not c.islower() for c in doc[m.start:m.end].text) and not self._title_only(doc, m)
                   and not self._function_word(w, m) and not self._after_honorific(w, m)]
        w.home = self._home_country(w, matches)
        later = self._people_and_adjectives(w, matches)
        self._states_and_orgs(w, later)
        self._person_entities(w)
        for person in list(w.persons):
            self._read_title(w, person)
        self._surnames(w, matches)
        self._leftover_entities(w)
        self._descriptions(w)
        self._adjective_mentions(w)
        resolve_pronouns(doc, table, self.rules, w.gender, text=text, lower=w.lower)
        self._finish(w)
        return doc

    def _title_only(self, doc: Doc, m: KBMatch) -> bool:
        """Title words alone ("Foreign", "Defense") are part of a title, whatever a dictionary says."""
        if m.end - m.start > 1 and doc[m.start].ent_type_ == "ORG" \
                and self._whole_entity(doc, m.start, m.end):
            return False  # the model reads exactly this body: "the Security Council" voted
        if any(e.kind == "party" for e, _ in m.candidates) and not (
                m.end < len(doc) and doc[m.end].lower_ in _PORTFOLIO_NOUNS):
            return False  # "Labour", "Democratic": a party unless it names a portfolio ("Labour Minister")
        return all(t.lower_ in self.rules.title_words and not t.is_upper for t in doc[m.start:m.end])

    def _function_word(self, w: _Work, m: KBMatch) -> bool:
        """An acronym that is also an English word ("US", "IS", "WHO", "IT") in capitals is read as the word
        when the parser says it is one: "LET US KNOW", "THIS IS WAR", "PEOPLE WHO FLED"."""
        tok = w.doc[m.start]
        return m.end - m.start == 1 and tok.is_upper and w.doc.vocab[tok.lower_].is_stop \
            and tok.pos_ in ("PRON", "AUX", "VERB", "DET", "ADP", "SCONJ", "CCONJ", "PART", "ADV")

    def _after_honorific(self, w: _Work, m: KBMatch) -> bool:
        """"Mr Lima", "Dr Chad": a capitalised word after an honorific is a person, whatever else it names."""
        if m.start == 0 or w.doc[m.start - 1].lower_ not in self.rules.honorifics:
            return False
        return not any(e.kind == "person" for e, _ in m.candidates)

    def _home_country(self, w: _Work, matches: list[KBMatch]) -> str | None:
        """The article's state: the dateline's, else the state named most often (first named on a tie)."""
        home = self._dateline_country(w)
        if home:
            return home
        counts: Counter[str] = Counter()
        for m in matches:
            for entry, how in m.candidates[:1]:
                iso = entry.code if entry.kind == "state" else entry.country
                if iso and entry.kind in ("state", "person") and how != "surname":
                    counts[iso] += 1
        return counts.most_common(1)[0][0] if counts else None

    @staticmethod
    def _whole_entity(doc: Doc, start: int, end: int) -> bool:
        """Whether tokens start..end are one whole entity of the model (an initial "the" aside)."""
        first = doc[start]
        begins = first.ent_iob_ == "B" or (start > 0 and doc[start - 1].lower_ == "the"
                                            and doc[start - 1].ent_iob_ == "B")
        return begins and all(t.ent_iob_ == "I" for t in doc[start + 1:end]) \
            and (end >= len(doc) or doc[end].ent_iob_ != "I")

    # --- 1. people named in full and adjectives ------------------------------------------------------
    def _people_and_adjectives(self, w: _Work, matches: list[KBMatch]) -> list[KBMatch]:
        later: list[KBMatch] = []
        for m in matches:
            entry, how = self._choose(w, m)
            if entry.kind == "person" and how in ("name", "alias"):
                self._add_person(w, m.start, m.end, entry, how)
            elif how == "adjective" and entry.kind == "party":
                if self._party_role_follows(w, m):
                    later.append(m)  # "a Labour MP", "Tory leader X", "Democratic senators"
            elif how == "adjective":
                if entry.kind == "state":
                    w.adjectives[m.start] = (m.end, entry)
                    if m.start > 0 and w.doc[m.start - 1].lower_ == "ethnic":
                        w.ethnic.add(m.start)
            elif how != "surname":
                later.append(m)
        return later

    def _party_role_follows(self, w: _Work, m: KBMatch) -> bool:
        """A party adjective names the party before a role noun ("Conservative leader", "Labour MPs"), not
        as part of another name ("Republican Guard") or before other nouns ("Conservative estimates")."""
        doc = w.doc
        if m.end >= len(doc):
            return False
        nxt = doc[m.end]
        if nxt.ent_iob_ == "I" and nxt.ent_type_ in ("ORG", "FAC", "LOC", "GPE", "EVENT", "WORK_OF_ART"):
            return False
        return nxt.lower_ in self.rules.title_words or w.lower[m.end] in self._agent_heads(doc) \
            or nxt.lower_ in ("party", "parties")

    def _choose(self, w: _Work, m: KBMatch) -> tuple[KBEntry, str]:
        """The candidate that fits the model's entity label best (a PERSON span prefers a person)."""
        label = w.doc[m.start].ent_type_
        prefer = {"PERSON": ("person",), "GPE": ("state",), "ORG": ("organization", "group"),
                  "NORP": ("state", "group")}.get(label, ())
        non_surname = [c for c in m.candidates if c[1] != "surname"]
        pool = non_surname or list(m.candidates)
        if len(pool) > 1 and any(e.kind == "party" for e, _ in pool):
            # "Labour", "the Conservatives", "Greens": the party of the article's state
            pool.sort(key=lambda c: c[0].kind != "party" or c[0].country != w.home)
        for entry, how in pool:
            if entry.kind in prefer:
                return entry, how
        return pool[0]

    def _add_person(self, w: _Work, start: int, end: int, entry: KBEntry | None, how: str) -> str:
        doc = w.doc
        tokens = tuple(t.lower_ for t in doc[start:end] if not t.is_punct)
        while len(tokens) > 1 and tokens[-1] in _NAME_SUFFIXES:  # "Charles Keating IV" is "Keating"
            tokens = tokens[:-1]
        actor_id = None
        if entry is not None:
            actor_id = w.table.actor_for_kb(entry.id)
        if actor_id is None:
            actor_id = w.person_by_key.get(tokens)
        if actor_id is None and entry is None:
            # A shorter form of a name already seen ("Abu Jandal" after "Abu Jandal al-Kuwaiti").
            n = len(tokens)
            for p in w.persons:
                if n < len(p.name_tokens) and (p.name_tokens[:n] == tokens or p.name_tokens[-n:] == tokens):
                    actor_id, how = p.actor_id, "surname"
                    break
        if actor_id is None:
            name = entry.name if entry is not None else doc[start:end].text
            actor_id = w.table.add(Actor(id="", name=name, kind="person",
                                         wikidata=entry.wikidata if entry else None),
                                   entry.id if entry else None)
            w.persons.append(_Person(actor_id, entry, start, end, tokens))
        w.person_by_key.setdefault(tokens, actor_id)
        w.table.add_mention(doc, actor_id, start, end, how)
        return actor_id

    # --- 2. states, organisations, metonyms ------------------------------------------------------------
    def _states_and_orgs(self, w: _Work, matches: list[KBMatch]) -> None:
        doc = w.doc
        # A name once known as a person stays a person: "Michael Jordan ... Jordan said" is not the state.
        starts = {m.start for m in matches}
        surnames: set[str] = set()
        for ent in w.ents:
            if ent.label_ == "PERSON" and len(ent) >= 2 and ent.start not in starts:
                if any(m.start > ent.start and m.end == ent.end for m in matches):
                    surnames.add(doc[ent.end - 1].lower_)
        for m in matches:
            if any(w.table.mention_at(i) for i in range(m.start, m.end)):
                continue
            if m.end - m.start == 1 and doc[m.start].lower_ in surnames and doc[m.start].ent_type_ != "GPE":
                continue
            entry, how = self._choose(w, m)
            if self._is_region(doc[m.start:m.end].text):
                continue
            seat_of = next((e for e, h in m.candidates if h == "metonym" and e.kind == "state"), None)
            if seat_of is not None and entry.kind == "organization" and entry.parent == seat_of.id:
                # A seat of power the KB also lists as a body ("the Kremlin"): one government actor per
                # state, whether the text says "the Kremlin" or "Moscow".
                if not self._is_place(w, m.start, m.end):
                    w.seats.setdefault(self._government(w, seat_of.code or seat_of.country or ""), entry.name)
                entry, how = seat_of, "metonym"
            start = m.start
            if start > 0 and doc[start - 1].lower_ == "the" and not w.covered(start - 1) \
                    and doc[m.end - 1].dep_ != "compound":
                start -= 1  # "the Kremlin", "the United States" (but not "the Syria crisis")
            if how == "metonym":
                if self._is_place(w, m.start, m.end):
                    w.consumed.update(range(m.start, m.end))  # a place: not an actor by any other route
                    continue
                iso = entry.country or entry.code
                if not iso:
                    continue
                actor_id = self._government(w, iso)
                if token_key(doc[m.start:m.end].text.replace("the ", "")) in self._seat_keys \
                        or doc[m.start].ent_type_ in ("ORG", "FAC"):
                    w.seats.setdefault(actor_id, doc[m.start:m.end].text)
                w.table.add_mention(doc, actor_id, start, m.end, "metonym")
                continue
            if entry.kind == "person":
                continue
            if entry.generic:
                actor_id = self._generic_org(w, entry, m.start, m.end)
            else:
                actor_id = self._kb_actor(w, entry)
                if entry.kind == "organization" and w.table.get(actor_id).name == entry.name:
                    self._name_from_text(w, actor_id, entry, doc[m.start:m.end].text)
            w.table.add_mention(doc, actor_id, start, m.end, how)

    def _is_place(self, w: _Work, start: int, end: int) -> bool:
        prev = start - 1 - (start > 0 and w.doc[start - 1].lower_ == "the")
        if prev >= 0 and w.doc[prev].lower_ in self.rules.locative_prepositions:
            return True  # also when a headline's parse is off: "Leaders Meet in Vilnius"
        tok = w.doc[end - 1]
        if tok.dep_ == "compound" and tok.head.i >= end:
            # "the Minsk agreements", "a Beijing summit": a name for a thing, not the government; but
            # "Kremlin spokesman", "White House adviser" name the body the person speaks for.
            head = tok.head
            return not (head.lower_ in self.rules.title_words or w.lower[head.i] in self._agent_heads(w.doc)
                        or head.lemma_.lower() in self.rules.government_nouns)
        while tok.dep_ in ("compound", "flat") and start <= tok.head.i < end and tok.head.i != tok.i:
            tok = tok.head
        if tok.dep_ == "dobj" and tok.head.lemma_.lower() in self.rules.place_verbs:
            return True  # "visited Tbilisi"
        if tok.dep_ != "pobj":
            return False
        prep = tok.head.lower_
        if prep in self.rules.locative_prepositions:
            return True
        return prep == "to" and tok.head.head.lemma_.lower() in self.rules.travel_words

    def _government(self, w: _Work, iso: str) -> str:
        state = self.kb.state(iso)
        name = f"Government of {state.name if state else iso}"
        return w.table.add(Actor(id="", name=name, kind="organization", code=iso, country=iso, sector="GOV",
                                 cameo=f"{iso}GOV"), f"gov:{iso}")

    def _kb_actor(self, w: _Work, entry: KBEntry) -> str:
        existing = w.table.actor_for_kb(entry.id)
        if existing:
            return existing
        country = entry.country or (entry.code if entry.kind == "state" else None)
        sector, cameo = entry.sector, entry.cameo
        if entry.kind == "party":
            sector = self._party_sector(w, entry) or sector
            if sector and cameo and cameo[3:6] == "PTY":
                cameo = cameo[:3] + sector + cameo[6:]  # GBRPTYLAB -> GBRGOVLAB / GBROPPLAB
        return w.table.add(Actor(id="", name=entry.name, kind=entry.kind, code=entry.code, country=country,
                                 sector=sector, cameo=cameo, wikidata=entry.wikidata), entry.id)

    def _party_sector(self, w: _Work, party: KBEntry) -> str | None:
        """GOV or OPP from who governed on the article's date; with only bounds on the date, the answer
        when it is the same all through them."""
        if w.ctx.published is not None:
            return self.kb.party_sector(party, w.ctx.published)
        if w.ctx.period is not None:
            first, last = (self.kb.party_sector(party, d) for d in w.ctx.period)
            return first if first == last else None
        return None

    def _when(self, w: _Work) -> dt.date | None:
        """The article's date, or the start of the bounds its text gives."""
        return w.ctx.published or (w.ctx.period[0] if w.ctx.period else None)

    @staticmethod
    def _name_from_text(w: _Work, actor_id: str, entry: KBEntry, surface: str) -> None:
        """Organisations keep the name the text uses ("State Department"), unless it is an abbreviation."""
        surface = surface[4:] if surface.lower().startswith("the ") else surface
        if surface != entry.name and not surface.replace(".", "").isupper() and len(surface.split()) >= 2:
            w.table.update(actor_id, name=surface, aliases=[entry.name])

    def _generic_org(self, w: _Work, entry: KBEntry, start: int, end: int) -> str:
        """A body named without its country ("the Foreign Ministry"): the country comes from the context."""
        iso = self._country_before(w, start) or self._country_after(w, end)
        if iso is None:
            return self._kb_actor(w, entry)
        state = self.kb.state(iso)
        return w.table.add(Actor(id="", name=f"{entry.name} of {state.name if state else iso}",
                                 kind=entry.kind, code=iso, country=iso, sector=entry.sector,
                                 cameo=f"{iso}{entry.sector or ''}"), f"{entry.id}@{iso}")

    def _country_before(self, w: _Work, start: int) -> str | None:
        """A state adjective, name or possessive right before ``start`` ("Chinese", "China's", "the US")."""
        doc = w.doc
        i = start - 1
        if i >= 0 and doc[i].lower_ == "the":
            i -= 1
        if i >= 0 and doc[i].text in _POSSESSIVES:
            i -= 1
        if i < 0:
            return None
        for s, (e, entry) in w.adjectives.items():
            if s <= i < e:
                return entry.country or entry.code
        m = w.table.mention_at(i)
        if m is not None:
            actor = w.table.get(m.actor_id)
            if actor is not None and actor.kind in ("state", "organization") and actor.country:
                return actor.country
        return None

    def _country_after(self, w: _Work, end: int) -> str | None:
        doc = w.doc
        if end + 1 < len(doc) and doc[end].lower_ in ("of", "in"):
            j = end + 1 + (doc[end + 1].lower_ == "the")
            m = w.table.mention_at(j) if j < len(doc) else None
            actor = w.table.get(m.actor_id) if m else None
            if actor is not None and actor.kind == "state":
                return actor.country
        return None

    # --- persons from the model's entities ----------------------------------------------------------------
    def _person_entities(self, w: _Work) -> None:
        doc = w.doc
        for ent in w.ents:
            if ent.label_ not in ("PERSON", "ORG") or w.in_skip(ent.start, ent.end):
                continue
            if any(w.table.mention_at(i) for i in range(ent.start, ent.end)):
                continue
            if ent.label_ == "PERSON" and self._media_apposition(ent):
                self._media_outlet(w, ent)
                continue
            start, end = self._strip_title(w, ent)
            if ent.label_ == "PERSON":
                end = self._extend_name(w, end)
            if end - start < 2 or start == end:
                continue  # single words: surnames, resolved once all full names are known
            if ent.label_ == "ORG" and start == ent.start and not self._person_apposition(ent):
                continue  # an ORG entity is a person when a title was swallowed into it or follows it
            if not self._person_name(doc[start:end]) or self._people_name(w, ent):
                continue
            name = doc[start:end].text
            hits = [e for e, how in self.kb.lookup_kind(name)
                    if e.kind == "person" and how in ("name", "alias")]
            self._add_person(w, start, end, hits[0] if hits else None, "name")
        self._titled_names(w)

    def _titled_names(self, w: _Work) -> None:
        """Capitalised words right after a title that the model did not tag ("Director of X Jane Roe")."""
        doc = w.doc
        rules = self.rules
        propn = doc.vocab.strings["PROPN"]
        pos = doc.to_array(POS).tolist()
        n = len(doc)
        i = next((k for k in range(n) if pos[k] == propn), n)
        while i < n:
            if pos[i] != propn:
                i += 1
                continue
            tok = doc[i]
            if not (tok.text[:1].isupper() and tok.is_alpha) or w.covered(i) \
                    or tok.lower_ in rules.title_words or tok.ent_type_ in ("GPE", "LOC", "NORP", "DATE"):
                i += 1
                continue
            j = i
            while j < n and doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper() and doc[j].is_alpha \
                    and not w.covered(j) and doc[j].lower_ not in rules.title_words:
                j += 1
            if not self._person_name(doc[i:j]):
                i = j
                continue
            prev = doc[i - 1] if i > 0 else None
            if 2 <= j - i <= 4 and prev is not None and (prev.lower_ in rules.title_words
                                                           or prev.lower_ in rules.honorifics) \
                    and not w.in_skip(i, j) and not self._in_headline(w, i) \
                    and not any(t.is_stop and t.lower_ not in _NAME_PARTICLES for t in doc[i:j]):
                self._add_person(w, i, j, None, "name")
            i = max(j, i + 1)

    def _extend_name(self, w: _Work, end: int) -> int:
        """The model sometimes stops a long name early ("Mohammed bin Abdulrahman | Al Thani")."""
        doc = w.doc
        while end < len(doc) and end > 0 and doc[end].pos_ == "PROPN" and doc[end].is_alpha \
                and (doc[end].text[:1].isupper() or doc[end].lower_ in _NAME_PARTICLES) \
                and doc[end].ent_type_ in ("", "PERSON") and not w.covered(end) \
                and doc[end].lower_ not in self.rules.title_words and doc[end - 1].whitespace_:
            end += 1
        return end

    def _strip_title(self, w: _Work, ent: Span) -> tuple[int, int]:
        doc = w.doc
        start, end = ent.start, ent.end
        while start < end and (doc[start].lower_ in self.rules.title_words
                               or doc[start].lower_ in self.rules.honorifics
                               or doc[start].lower_ in _JOINERS or doc[start].is_punct):
            start += 1
        while end > start and (doc[end - 1].text in _POSSESSIVES or doc[end - 1].is_punct):
            end -= 1
        for k in range(min(3, end - start - 2), 0, -1):  # "Middle East Tobias Ellwood": a region swallowed
            if self._is_region(doc[start:start + k].text):
                return start + k, end
        return start, end

    def _person_apposition(self, ent: Span) -> bool:
        """"X Y, a militia commander, ...": a title in apposition makes a two-word name a person."""
        if not 2 <= len(ent) <= 4:
            return False
        for child in ent.root.children:
            if child.dep_ == "appos" and child.i > ent.end and child.lower_ in self.rules.title_heads:
                agent = self._agent(child.lower_)
                return agent is None or agent.kind == "person"
        return False

    def _media_apposition(self, ent: Span) -> bool:
        root = ent.root
        if root.dep_ in ("appos", "compound", "attr") and root.head.lemma_.lower() in self.rules.media_nouns:
            return True
        return any(c.lemma_.lower() in self.rules.media_nouns and c.dep_ in ("appos", "compound")
                   for c in root.children)

    def _media_outlet(self, w: _Work, ent: Span) -> None:
        noun = ent.root.head if ent.root.head.lemma_.lower() in self.rules.media_nouns else ent.root
        iso = None
        for child in noun.children:
            for s, (e, entry) in w.adjectives.items():
                if s <= child.i < e:
                    iso = entry.country or entry.code
        actor_id = w.table.add(Actor(id="", name=ent.text, kind="organization", code=iso, country=iso,
                                     sector="MED", cameo=f"{iso}MED" if iso else None),
                               f"media:{ent.text.lower()}")
        w.table.add_mention(w.doc, actor_id, ent.start, ent.end, "name")

    # --- 3. titles and appositions -----------------------------------------------------------------------
    def _read_title(self, w: _Work, person: _Person) -> None:
        doc = w.doc
        role_span: tuple[int, int] | None = None
        aff = _Affiliation()
        found = False
        left = self._title_left(w, person.start)
        if left is not None:
            role_span = self._analyse_title(w, left[0], left[1], aff)
            if role_span is not None:
                w.consumed.update(i for i in range(left[0], left[1]) if w.table.mention_at(i) is None)
        if role_span is None or (aff.country is None and aff.organization is None):
            # An apposition may say more than a bare rank before the name ("Gen. X, Central Command chief")
            for tok in doc[person.start:person.end]:
                for child in tok.children:
                    if child.dep_ == "appos" and child.i >= person.end and child.pos_ in ("NOUN", "PROPN"):
                        t0, t1 = child.left_edge.i, child.right_edge.i + 1
                        while t0 < t1 and doc[t0].pos_ == "DET":
                            t0 += 1
                        appos_aff = _Affiliation()
                        appos_span = self._analyse_title(w, t0, t1, appos_aff)
                        if appos_span is not None and (role_span is None or appos_aff.country
                                                       or appos_aff.organization):
                            role_span, aff, found = appos_span, appos_aff, True
                            w.consumed.update(i for i in range(t0, t1) if w.table.mention_at(i) is None)
                            break
                if found:
                    break
        if role_span is None:
            # The name in apposition to a title before it: "Its prime minister, Tomas Berg, said".
            span = doc[person.start:person.end]
            root = next((t for t in span if not person.start <= t.head.i < person.end), None)
            head = root.head if root is not None and root.dep_ == "appos" else None
            if head is not None and head.i < person.start and head.lower_ in self.rules.title_heads:
                t0 = head.left_edge.i
                while t0 < head.i and (doc[t0].pos_ in ("DET", "PRON") or doc[t0].text in _POSSESSIVES):
                    t0 += 1
                t1 = person.start
                while t1 > head.i + 1 and (doc[t1 - 1].is_punct or doc[t1 - 1].is_space):
                    t1 -= 1  # "Minister for the Middle East, X": the title runs up to the comma
                aff = _Affiliation()
                role_span = self._analyse_title(w, t0, t1, aff)
        role = doc[role_span[0]:role_span[1]].text.strip(_INVISIBLE + " ") if role_span else None
        if role_span:
            for tok in doc[role_span[0]:role_span[1]]:
                if tok.lower_ in self.rules.female_words:
                    w.gender.setdefault(person.actor_id, "f")
                elif tok.lower_ in self.rules.male_words:
                    w.gender.setdefault(person.actor_id, "m")
        if person.start > 0 and doc[person.start - 1].lower_ in self.rules.honorifics:
            low = doc[person.start - 1].lower_
            w.gender.setdefault(person.actor_id, "f" if low in self.rules.female_words else "m")
        if aff.party is None:
            aff.party = self._party_near(w, person)
        if person.actor_id in w.titled and role is None and aff.party is None:
            return
        w.titled.add(person.actor_id)
        self._fill_person(w, person, role, aff)

    def _party_near(self, w: _Work, person: _Person) -> str | None:
        """A party the text gives beside a name: "Labour's X", "X (Labour)", "Sen. X (R-Texas)"."""
        doc = w.doc
        start, end = person.start, person.end
        if start >= 2 and doc[start - 1].text in _POSSESSIVES:
            party = w.table.get(w.table.actor_at(start - 2))
            if party is not None and party.kind == "party":
                return party.id
        if end < len(doc) and doc[end].text == "(":
            inside = w.table.get(w.table.actor_at(end + 1)) if end + 1 < len(doc) else None
            if inside is not None and inside.kind == "party":
                return inside.id
            us = _US_PARTY.match(w.text, doc[end].idx)
            entry = self.kb.get(self.rules.party_letters.get(us.group(1), "")) if us is not None else None
            if entry is not None:
                return self._kb_actor(w, entry)
        return None

    def _title_left(self, w: _Work, start: int) -> tuple[int, int] | None:
        doc = w.doc
        i = start - 1
        while i >= 0:
            tok = doc[i]
            if tok.is_space:  # a title never runs across a line break (headline above a dateline)
                break
            m = w.table.mention_at(i)
            if m is not None:
                actor = w.table.get(m.actor_id)
                if actor is None or actor.kind == "person":
                    break
                i = m.token_start - 1
                continue
            if any(s <= i < e for s, (e, _) in w.adjectives.items()):
                i -= 1
                continue
            low = tok.lower_
            if (low in _JOINERS and low != "the") or (low == "the" and i > 0
                                                      and doc[i - 1].lower_ in ("of", "for")):
                i -= 1
                continue
            if tok.text == "-" or (low in self.rules.title_words and tok.pos_ not in ("VERB", "AUX", "DET")):
                i -= 1
                continue
            # Other words belong to a title only when capitalised ("National Intelligence", "Homeland").
            if tok.pos_ in _STOP_POS or tok.is_punct or tok.pos_ not in _NAME_POS \
                    or not tok.text[:1].isupper():
                break
            i -= 1
        t0 = i + 1
        while t0 < start and (doc[t0].lower_ in _JOINERS or doc[t0].text == "-"):
            t0 += 1
        if t0 >= start:
            return None
        return t0, start

    def _analyse_title(self, w: _Work, t0: int, t1: int, aff: _Affiliation) -> tuple[int, int] | None:
        """Split a title phrase into affiliation (leading states/bodies, "of X") and the role words."""
        doc = w.doc
        # A possessor right before the phrase: "Ukraine's foreign minister X".
        if t0 >= 2 and doc[t0 - 1].text in _POSSESSIVES:
            m = w.table.mention_at(t0 - 2)
            if m is not None:
                self._apply(w, aff, m.actor_id)
        i = t0
        while i < t1:
            m = w.table.mention_at(i)
            if m is not None:
                if not self._apply(w, aff, m.actor_id):
                    break
                i = max(m.token_end, i + 1)
                if i < t1 and doc[i].text in _POSSESSIVES:
                    i += 1
                continue
            adj = w.adjectives.get(i)
            if adj is not None and adj[0] <= t1:
                aff.country = aff.country or adj[1].country or adj[1].code
                i = adj[0]
                continue
            if doc[i].lower_ == "the":
                i += 1
                continue
            break
        j = t1
        for k in range(i, t1 - 1):
            if doc[k].lower_ in ("of", "for", "to", "at", "in"):
                n = k + 1 + (doc[k + 1].lower_ == "the")
                m = w.table.mention_at(n) if n < t1 else None
                if m is not None and m.token_end >= t1 and self._apply(w, aff, m.actor_id):
                    j = k
                    break
        # The role ends before a place or clause: "a gang leader in Raqqa", "the envoy who ...".
        j = next((k for k in range(i + 1, j) if doc[k].lower_ in _ROLE_ENDS
                  or (doc[k].is_punct and doc[k].text not in "-.")), j)
        if i >= j or not any(t.lower_ in self.rules.title_heads for t in doc[i:j]):
            return None
        return i, j

    def _apply(self, w: _Work, aff: _Affiliation, actor_id: str) -> bool:
        actor = w.table.get(actor_id)
        if actor is None or actor.kind == "person":
            return False
        if actor.kind == "state":
            aff.country = aff.country or actor.country or actor.code
        elif actor.kind == "party":
            aff.party = aff.party or actor_id
            aff.country = aff.country or actor.country
        else:
            aff.organization = aff.organization or actor_id
            aff.country = aff.country or actor.country
        return True

    def _fill_person(self, w: _Work, person: _Person, role: str | None, aff: _Affiliation) -> None:
        entry = person.entry
        office, basis = self._kb_office(w, person, role) if entry is not None else (None, None)
        organization = aff.organization
        if office is not None and office.organization:
            org_entry = self.kb.get(office.organization)
            if org_entry is not None:
                organization = self._kb_actor(w, org_entry)
        org = w.table.get(organization)
        party_id = aff.party
        if party_id is None and entry is not None:
            member_of = self.kb.party_of(entry, self._when(w))
            party_id = self._kb_actor(w, member_of) if member_of is not None else None
        party = w.table.get(party_id)
        country = (office.country if office and office.country else None) \
            or (entry.country if entry else None) \
            or aff.country or (org.country if org else None) or (party.country if party else None)
        role_basis = "text" if role else basis
        role = role or (office.role if office else None)
        agent = self.kb.agent(role) if role else None
        sector = (office.sector if office and office.sector else None) or (agent.sector if agent else None) \
            or (org.sector if org else None)
        if role and "shadow" in role.lower().split():
            sector = "OPP"  # "the shadow chancellor": the opposition's spokesman, not the government
        if party is not None and party.sector in ("GOV", "OPP") \
                and (office is None or office.sector != "GOV"):
            # A party member's side is the party's on the date: an opposition MP is no government official.
            if party.sector == "OPP" and sector in (None, "GOV", "LEG"):
                sector = "OPP"
            elif party.sector == "GOV" and sector is None:
                sector = "GOV"
        if country is None and organization is None and role and entry is None:
            country = self._dateline_country(w)  # an unqualified official in a datelined story
        if sector is None and role and (country or organization):
            sector = "GOV"  # a titled official of a state or state body whose title the KB does not list
        code = country or (org.code if org else None)
        if office is not None and office.country is None and org is not None and org.code:
            code = org.code  # an international official (NATO's Secretary-General): the body's code, IGO
        if country and sector and sector not in ("IGO",):
            cameo = f"{country}{sector}"
        else:
            cameo = org.cameo if org else country
        updates: dict[str, object] = dict(role=role, country=country, organization=organization,
                                          sector=sector, code=code, cameo=cameo, party=party_id,
                                          role_basis=role_basis)
        if entry is not None and not self._name_fits_date(w, entry):
            updates["name"] = self._text_name(w, person)  # "Prince Charles" in 2005 is not "King Charles III"
        w.table.update(person.actor_id, **updates)

    def _kb_office(self, w: _Work, person: _Person,
                   text_role: str | None) -> tuple[Office | None, str | None]:
        """The knowledge-base office that describes a person in this article, and its basis.

        On a known date: the office held then ("kb-dated"). With bounds from the text's years: an office held
        within them and consistent with the title the text gives ("kb-dated"). With no date at all: an
        office consistent with the text, and only when that leaves one title ("kb-undated"); a later office
        is never assumed."""
        entry = person.entry
        if entry is None or not entry.offices:
            return None, None
        if w.ctx.published is not None:
            held = [o for o in entry.offices if o.holds_on(w.ctx.published)]
            best = self.kb.office_at(entry, w.ctx.published) if held else None
            return best, "kb-dated" if best else None
        surface = {t.lower_ for m in w.table.mentions if m.actor_id == person.actor_id
                   for t in w.doc[m.token_start:m.token_end]}
        if w.ctx.period is not None:
            first, last = w.ctx.period
            held = [o for o in self.kb.offices_between(entry, first, last)
                    if self._office_fits(o, text_role, surface)]
            at_start = [o for o in held if o.holds_on(first)]
            return (at_start or held or [None])[0], "kb-dated" if held else None
        fits = [o for o in entry.offices if self._office_fits(o, text_role, surface)]
        if len({o.role for o in fits}) != 1:
            return None, None
        return fits[0], "kb-undated"

    @staticmethod
    def _office_fits(office: Office, text_role: str | None, surface: set[str]) -> bool:
        """Consistent with the text: the title the text gives names this office ("the Chancellor" for
        "Chancellor of the Exchequer"); a title word in the name used ("Prince Charles") is the office's."""
        words = set(re.split(r"[\s-]+", office.role.lower()))
        if any(t in _NAME_TITLES and t not in words for t in surface):
            return False
        if text_role:
            said = set(re.split(r"[\s-]+", text_role.lower()))
            if said & _NOT_IN_OFFICE:
                return False
            head = re.split(r"\s(?:of|for|to|at|in)\s", office.role.lower())[0].replace("-", " ").split()
            return bool(head) and head[-1] in said
        return True

    def _name_fits_date(self, w: _Work, entry: KBEntry) -> bool:
        """A knowledge-base name holding a title ("King Charles III") is used only when that title was held on
        the article's date (or within the bounds the text gives)."""
        first = entry.name.split()[0].lower()
        if first not in _NAME_TITLES:
            return True
        titled = [o for o in entry.offices if first in o.role.lower().split()]
        if w.ctx.published is not None:
            return any(o.holds_on(w.ctx.published) for o in titled)
        if w.ctx.period is not None:
            return any(o.holds_on(w.ctx.period[0]) for o in titled)
        return False

    def _text_name(self, w: _Work, person: _Person) -> str:
        """The fullest name the text uses for a person."""
        names = [w.text[m.start:m.end] for m in w.table.mentions
                 if m.actor_id == person.actor_id and m.how in ("name", "alias")]
        return max(names, key=len) if names else w.doc[person.start:person.end].text

    # --- 4. surnames, leftovers, descriptions, adjectives --------------------------------------------------
    def _surnames(self, w: _Work, matches: list[KBMatch]) -> None:
        doc = w.doc
        by_surname: dict[str, str] = {}
        for person in w.persons:  # a given name alone may stand for a surname-first name ("Kim", "Xi")
            if len(person.name_tokens) >= 2:
                by_surname.setdefault(person.name_tokens[0], person.actor_id)
        for person in w.persons:  # in order of first mention: a later namesake wins
            keys = {person.name_tokens[-1]} if person.name_tokens else set()
            if person.entry is not None:
                keys |= {token_key(s).lower() for s in person.entry.surnames}
            for key in keys:
                by_surname[key] = person.actor_id
        for m in matches:
            if w.covered(m.start):
                continue
            for entry, how in m.candidates:
                if how == "surname" and w.table.actor_for_kb(entry.id):
                    w.table.add_mention(doc, w.table.actor_for_kb(entry.id), m.start, m.end, "surname")
                    break
            else:
                # Only a surname, of one KB person, tagged as a person, and nobody in the text of that name
                # ("On Monday, Putin offered ..."): that person.
                people = [e for e, how in m.candidates if how == "surname" and e.kind == "person"]
                if len(people) == 1 and len(m.candidates) == 1 and m.end - m.start == 1 \
                        and self._surname_alone(doc[m.start]) and doc[m.start].lower_ not in by_surname:
                    actor_id = self._add_person(w, m.start, m.end, people[0], "surname")
                    person = next(p for p in w.persons if p.actor_id == actor_id)
                    if actor_id not in w.titled:
                        self._read_title(w, person)
        strings = doc.vocab.strings
        wanted = {strings[k]: a for k, a in by_surname.items()}
        for i in [i for i, h in enumerate(w.lower) if h in wanted]:
            tok = doc[i]
            if w.covered(tok.i) or not tok.text[:1].isupper() or w.in_skip(tok.i, tok.i + 1):
                continue
            actor_id = wanted[w.lower[i]]
            if tok.ent_type_ in ("GPE", "LOC", "NORP"):
                continue  # the model reads it as a place here ("talks with Jordan")
            if actor_id is None or (tok.pos_ not in ("PROPN", "NOUN")
                                    and tok.ent_type_ not in ("PERSON", "ORG")):
                continue
            nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            if nxt is not None and nxt.text[:1].isupper() and nxt.pos_ == "PROPN" and not w.covered(nxt.i):
                continue  # "Miller Street" / another person's first name
            w.table.add_mention(doc, actor_id, tok.i, tok.i + 1, "surname")
            person = next(p for p in w.persons if p.actor_id == actor_id)
            if actor_id not in w.titled:
                self._read_title(w, person)
            elif tok.i > 0 and doc[tok.i - 1].lower_ in self.rules.title_words:
                left = self._title_left(w, tok.i)
                if left:
                    w.consumed.update(i for i in range(*left) if w.table.mention_at(i) is None)

    @staticmethod
    def _state_modifiers(w: _Work, start: int, end: int) -> list[tuple[int, int, str]]:
        """The states named before a head, in order: (first token, end token, ISO3) of each state
        mention or state adjective between ``start`` and the head at ``end``."""
        out: list[tuple[int, int, str]] = []
        i = start
        while i < end:
            m = w.table.mention_at(i)
            actor = w.table.get(m.actor_id) if m is not None else None
            if actor is not None and actor.kind == "state" and actor.code:
                out.append((m.token_start, m.token_end, actor.code))
                i = m.token_end
                continue
            adj = w.adjectives.get(i)
            if adj is not None and (adj[1].country or adj[1].code):
                out.append((i, adj[0], adj[1].country or adj[1].code))
                i = adj[0]
                continue
            i += 1
        return out

    def _coordinated_groups(self, w: _Work, spans: list[tuple[int, int, str]], root, agent) -> None:
        """States coordinated before one head ("US and South Korean troops") name one group each: "US
        troops" and "South Korean troops". The last takes the head's words as its mention, the others their
        modifier ("shared": read with the head, ``ActorTable.sharing_head``)."""
        doc = w.doc
        if spans[-1][1] > root.i:
            return
        head_words = doc[spans[-1][1]:root.i + 1].text
        kind = "group" if root.tag_ in ("NNS", "NNPS") or agent.kind == "group" else agent.kind
        for n, (a, b, iso) in enumerate(spans):
            name = f"{doc[a:b].text} {head_words}"
            actor = Actor(id="", name=name, kind=kind, code=iso, country=iso, sector=agent.sector,
                          cameo=f"{iso}{agent.sector or ''}")
            actor_id = w.table.add(actor, f"shared-head:{name.lower()}|{iso}")
            last = n == len(spans) - 1
            if last:
                w.table.add_mention(doc, actor_id, a, root.i + 1, "description")
            else:
                w.table.add_mention(doc, actor_id, a, b, "shared")

    @staticmethod
    def _inside_longer_name(root) -> bool:
        """The word ends a name the model marked that starts before the word's own phrase."""
        i = root.i
        while i > 0 and root.doc[i].ent_iob_ == "I":
            i -= 1
        return i < root.left_edge.i

    @staticmethod
    def _surname_alone(tok) -> bool:
        """A lone surname that names a person: tagged a person, or a proper noun the small model left
        untagged or tagged as a one-word organisation ("Trump and Putin agreed", sentence-first names it
        often misses) standing where an actor stands (subject, object, conjunct, possessor)."""
        if tok.ent_type_ == "PERSON":
            return True
        if tok.pos_ != "PROPN" or tok.ent_type_ not in ("", "ORG") or tok.dep_ not in _ARGUMENT_DEPS:
            return False
        return tok.ent_iob_ != "I" and not (tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].ent_iob_ == "I")

    def _leftover_entities(self, w: _Work) -> None:
        doc = w.doc
        acronyms: dict[str, str] = {}  # "ISF" -> actor id, from "Iraqi Security Forces (ISF)"
        for m in w.table.mentions:
            self._acronym_after(w, m.token_end, m.actor_id, acronyms)
        for ent in w.ents:
            if w.in_skip(ent.start, ent.end):
                continue
            covered = next((i for i in range(ent.start, ent.end) if w.covered(i)), None)
            if covered is not None:
                # "the Foreign Ministry of Japan": a body named with "of <state>" the KB found
                cut = covered - 1 - (doc[covered - 1].lower_ == "the")
                if ent.label_ == "ORG" and cut > ent.start + 1 and doc[cut].lower_ in ("of", "for"):
                    self._org_entity(w, ent, acronyms, end=cut)
                continue
            if self._people_name(w, ent):
                # "Bosnian Serbs", "Iraqi Kurds": a people living in the first adjective's state
                first_adj = w.adjectives[ent.start]
                iso = None if ent.start in w.ethnic else (first_adj[1].country or first_adj[1].code)
                actor_id = w.table.add(Actor(id="", name=ent.text, kind="group", code=iso, country=iso),
                                       f"people:{ent.text.lower()}|{iso}")
                w.table.add_mention(doc, actor_id, ent.start, ent.end, "name")
                continue
            acronym = acronyms.get(ent.text)
            if acronym is not None:  # "Iraqi Security Forces (ISF)" ... "the ISF"
                w.table.add_mention(doc, acronym, ent.start, ent.end, "alias")
                continue
            if ent.label_ == "PERSON" and not self._person_name(ent):
                if ent.end - ent.start > 1 and any(t.lower_ in self.rules.org_words for t in ent):
                    self._org_entity(w, ent, acronyms)
                continue
            if ent.label_ == "PERSON":
                start, end = self._strip_title(w, ent)
                prev = doc[start - 1].lower_ if start > 0 else ""
                if end - start == 1 and prev not in self.rules.title_words \
                        and prev not in self.rules.honorifics:
                    continue  # one unknown word without a title ("to defend Raqqah") is mostly a place
                if end > start and self._person_name(doc[start:end]):
                    person_id = self._add_person(w, start, end, None, "name")
                    person = next(p for p in w.persons if p.actor_id == person_id)
                    if person_id not in w.titled:
                        self._read_title(w, person)
            elif ent.label_ == "ORG":
                adj = w.adjectives.get(ent.start)
                if adj is not None and adj[0] == ent.end and doc[ent.end - 1].tag_ in ("NNS", "NNPS"):
                    continue  # "Uzbeks" read as a body: a people, handled with the adjectives
                self._org_entity(w, ent, acronyms)
            elif ent.label_ == "NORP":
                root = ent.root
                if any(s <= ent.start < e for s, (e, _) in w.adjectives.items()):
                    continue  # a KB demonym: handled with the adjectives
                if root.tag_ in ("NNPS", "NNS") and not self._is_region(ent.text):
                    # a people the KB has no state for ("Kurds"): coded where the text says they live
                    ethnic = ent.start > 0 and doc[ent.start - 1].lower_ == "ethnic"
                    home = self._residence(w, root, ("of", "in") if ethnic else ("of",))
                    actor_id = w.table.add(Actor(id="", name=ent.text, kind="group", code=home, country=home),
                                           f"norp:{ent.text.lower()}|{home}")
                    w.table.add_mention(doc, actor_id, ent.start, ent.end, "name")

    def _people_name(self, w: _Work, ent: Span) -> bool:
        """A state's adjective before a plural people name the model took for a name: "Bosnian Serbs"."""
        first_adj = w.adjectives.get(ent.start)
        return ent.label_ in ("PERSON", "NORP") and first_adj is not None and first_adj[0] < ent.end \
            and ent.end - ent.start <= 3 and w.doc[ent.end - 1].tag_ in ("NNPS", "NNS") \
            and not any(t.lower_ in self.rules.org_words for t in ent)

    @staticmethod
    def _acronym_after(w: _Work, end: int, actor_id: str, acronyms: dict[str, str]) -> None:
        doc = w.doc
        if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")":
            acr = doc[end + 1]
            actor = w.table.get(actor_id)
            if acr.is_upper and len(acr.text) >= 2 and actor is not None and actor.kind != "person":
                acronyms.setdefault(acr.text, actor_id)

    def _person_name(self, span: Span) -> bool:
        """Capitalised like a name and holding no word of an organisation's name ("Forces", "Command")."""
        return _looks_like_name(span) and not any(
            t.lower_ in self.rules.org_words or (t.is_stop and t.lower_ not in _NAME_PARTICLES) for t in span)

    def _org_entity(self, w: _Work, ent: Span, acronyms: dict[str, str] | None = None,
                    end: int | None = None) -> None:
        doc = w.doc
        start = ent.start + (doc[ent.start].lower_ == "the")
        end = next((t.i for t in doc[start:end or ent.end] if t.is_space), end or ent.end)  # one paragraph
        while end > start and (doc[end - 1].text in _POSSESSIVES or doc[end - 1].is_punct):
            end -= 1
        words = doc[start:end]
        if end <= start or (all(t.lower_ in self.rules.title_words or t.lower_ in _JOINERS for t in words)
                            and not any(t.lower_ in self.rules.org_words for t in words)):
            return  # a piece of a title ("State" of "Secretary of State"), not a body ("Foreign Ministry")
        if self._is_region(doc[start:end].text):
            return
        name = doc[start:end].text
        iso = None
        for i in range(start, end):
            adj = w.adjectives.get(i)
            if adj is not None:
                iso = adj[1].country or adj[1].code
        iso = iso or self._country_before(w, ent.start) or self._country_after(w, end)
        agent = self.kb.agent(name)
        sector = agent.sector if agent else None
        generic_words = self.rules.title_words | self.rules.org_words | _JOINERS
        if iso and all(t.lower_ in generic_words for t in words):
            state = self.kb.state(iso)  # "Foreign Ministry" names no country: say whose it is
            name = f"{name} of {state.name if state else iso}"
        actor_id = w.table.add(Actor(id="", name=name, kind="organization", code=iso, country=iso,
                                     sector=sector, cameo=f"{iso}{sector or ''}" if iso else None),
                               f"org-text:{name.lower()}|{iso}")
        w.table.add_mention(doc, actor_id, ent.start, end, "name")
        if acronyms is not None:
            self._acronym_after(w, end, actor_id, acronyms)

    def _descriptions(self, w: _Work) -> None:
        doc = w.doc
        heads = self._agent_heads(doc)
        for i in [i for i, h in enumerate(w.lower) if h in heads]:
            root = doc[i]
            # "The Foreign Secretary", "the Minister for the Middle East": a capitalised office after "the"
            # is tagged as a name but names no one; it is a title-only person, and a lone capitalised role
            # noun ("The Coalition", "the Government") the body of that role (checked on the agent below)
            office = root.pos_ == "PROPN" and root.is_title and doc[root.left_edge.i].lower_ == "the"
            # a common noun written in capitals is tagged as a name ("The NGO", "two NGOs")
            capitals = root.pos_ == "PROPN" and len(root) > 1 and root.text.rstrip("s").isupper()
            if (root.pos_ != "NOUN" and not office and not capitals) or w.covered(root.i):
                continue
            if root.is_title and root.ent_iob_ == "I" and self._inside_longer_name(root):
                continue  # "the Great Hall of the People", "the Palace of the Nations": a name's word
            start = root.left_edge.i
            for k in range(root.i - 1, start - 1, -1):  # never across a spaced dash, comma or line break
                if doc[k].is_space or (doc[k].is_punct and (doc[k].whitespace_ or doc[k - 1].whitespace_)) \
                        or w.in_skip(k, k + 1):
                    start = k + 1
                    break
            chunk = doc[start:root.i + 1]  # the noun phrase up to its head, as in noun_chunks
            if root.dep_ == "compound" or (root.head.i != root.i and w.table.mention_at(root.head.i)
                                           and root.head.i > root.i and root.dep_ in ("compound", "amod")):
                continue
            first = chunk.start
            while first < root.i and (doc[first].pos_ in ("DET", "PRON") or doc[first].text in _POSSESSIVES):
                first += 1
            number = max((t.i for t in doc[first:root.i] if t.like_num or t.pos_ == "NUM"), default=None)
            if number is not None:
                first = number + 1  # "up to 4,000 troops": the quantity is not part of the name
                # nor an age: "a 35-year-old inmate" is an inmate
                while first < root.i and (doc[first].lower_ in _AGE_WORDS or doc[first].text == "-"):
                    first += 1
            words = doc[first:root.i + 1].text
            agent = self._agent(words)
            if (agent is None or agent.pattern == root.lower_) and first == root.i \
                    and doc[chunk.start].lower_ in ("the", "this", "that") \
                    and (root.lower_ == "party" or root.lower_ in self.rules.company_nouns):
                same = self._named_before(w, root, _Affiliation())  # "the party", "the firm": named before
                if same is not None:
                    w.table.add_mention(doc, same, root.i, root.i + 1, "description")
                    continue
            if agent is None or agent.pattern.split()[-1] not in (root.lower_, root.lemma_.lower()) \
                    or (office and root.pos_ != "NOUN" and agent.kind != "person" and first < root.i):
                continue
            if agent.determined and chunk.start == root.i:
                continue  # "allies might object": no one in particular
            modifiers = self._state_modifiers(w, chunk.start, root.i)
            if len({iso for _, _, iso in modifiers}) > 1:
                # "French and Egyptian warships", "US and South Korean troops": one group per state
                self._coordinated_groups(w, modifiers, root, agent)
                continue
            aff = _Affiliation()
            mention_start = first
            i = chunk.start
            while i <= root.i:
                if i >= 2 and doc[i - 1].text == "-" and doc[i - 2].lower_ in _STANCE_PREFIXES:
                    i += 1  # "an anti-Syria journalist" is no Syrian: the prefix names a stance
                    continue
                m = w.table.mention_at(i)
                if m is not None:
                    self._apply(w, aff, m.actor_id)
                    i = m.token_end
                    mention_start = max(mention_start, i)
                    continue
                adj = w.adjectives.get(i)
                if adj is not None:
                    if i in w.ethnic:  # "ethnic Albanian guerrillas operating in Macedonia": where they live
                        aff.country = aff.country or self._residence(w, root, ("of", "in"))
                    else:
                        aff.country = aff.country or adj[1].country or adj[1].code
                    i = adj[0]
                    continue
                i += 1
            while mention_start <= root.i and doc[mention_start].text in _POSSESSIVES:
                mention_start += 1
            for child in root.rights:
                if child.dep_ == "prep" and child.lower_ in ("of", "from", "at", "with", "in"):
                    for obj in child.children:
                        m = w.table.mention_at(obj.i)
                        target = w.table.get(m.actor_id) if m is not None and obj.dep_ == "pobj" else None
                        # "officials of the ministry", "lawmakers in Kenya" (a state only: "in" + a body
                        # is a place: "reporters at the White House" never gets here, it is no mention)
                        if target is not None and (child.lower_ != "in" or target.kind == "state"):
                            self._apply(w, aff, m.actor_id)
            plural = root.tag_ in ("NNS", "NNPS")
            named = self._apposed_actor(w, root)
            if named is not None:  # "the official newspaper, Rodong Sinmun": the name says who
                w.table.add_mention(doc, named, mention_start, root.i + 1, "description")
                continue
            definite = doc[chunk.start].lower_ in ("the", "this", "that")
            if root.lemma_.lower() in self.rules.government_nouns and not aff.organization:
                if any(t.pos_ == "PRON" for t in doc[chunk.start:root.i]):
                    continue  # "his government": whose, the pronoun step does not know yet
                # "the Chinese government" is the same actor as "Beijing"; "the government" alone is that
                # of the state the article is about here (named nearby, the dateline's, or the one most named)
                iso = aff.country or (self._context_state(w, root.i) if definite and not plural else None)
                if iso:
                    actor_id = self._government(w, iso)
                    w.table.add_mention(doc, actor_id, mention_start, root.i + 1, "description")
                    continue
            if not plural and definite:
                # "the Tory leader", "the ex-home secretary", "the Chancellor": the person named in the
                # article who holds or held that title; "the party", "the company": the one named before
                same = self._person_with_role(w, mention_start, root, aff) if agent.kind == "person" \
                    else self._named_before(w, root, aff)
                if same is not None:
                    w.table.add_mention(doc, same, mention_start, root.i + 1, "description")
                    continue
            sector = agent.sector
            if sector == "GOV":  # "rebel leaders", "opposition lawmakers": the modifier tells the side
                for mod in doc[mention_start:root.i]:
                    sub = self.kb.agent(mod.lower_)
                    if sub is not None and sub.pattern in (mod.lower_, mod.lemma_.lower()) \
                            and sub.sector != "GOV":
                        sector = sub.sector
            kind = agent.kind
            if kind == "person" and plural:
                kind = "group"
            org = w.table.get(aff.organization)
            party = w.table.get(aff.party)
            country = aff.country or (org.country if org else None)
            if country is None and office and kind == "person":
                country = self._dateline_country(w)  # "The Foreign Secretary" in a datelined story
            if party is not None and party.sector == "OPP" and sector in ("GOV", "LEG"):
                sector = "OPP"  # "Tory MPs" in 2005: the opposition
            name = doc[mention_start:root.i + 1].text
            if org is not None and mention_start > first:
                name = f"{org.name} {name}"
            elif (country or party) and mention_start > first:
                name = doc[first:root.i + 1].text
            role = doc[mention_start:root.i + 1].text if kind == "person" else None
            # Nothing says whose "ministers" or "the company" these are: an actor of this article only,
            # never one node with every article's "ministers".
            local = country is None and org is None and party is None
            actor_id = w.table.add(Actor(id="", name=name, kind=kind, code=country, country=country,
                                         sector=sector, organization=aff.organization, role=role,
                                         party=aff.party, local=local,
                                         role_basis="text" if role else None,
                                         cameo=f"{country or ''}{sector}"),  # CAMEO allows "REB" alone
                                   f"desc:{name.lower()}|{country}|{aff.organization}|{aff.party}")
            w.table.add_mention(doc, actor_id, mention_start, root.i + 1, "description")

    def _residence(self, w: _Work, root, preps: tuple[str, ...]) -> str | None:
        """The country of the place a group is said to live or act in: "Kurds of Iraq", "Albanians in
        southern Serbia", "guerrillas operating in Macedonia" (a participle's own place counts too)."""
        heads = [root] + [c for c in root.rights if c.dep_ == "acl" and c.pos_ == "VERB"]
        for head in heads:
            for child in head.rights:
                if child.dep_ != "prep" or child.lower_ not in preps:
                    continue
                for obj in child.children:
                    if obj.dep_ != "pobj":
                        continue
                    actor = w.table.get(w.table.actor_of(obj))
                    if actor is not None and actor.kind == "state" and actor.country:
                        return actor.country
                    if obj.ent_type_ in ("GPE", "LOC"):
                        found = self.kb.place_country(obj.text)
                        if found:
                            return found
        return None

    def _agent_heads(self, doc: Doc) -> set[int]:
        """LOWER hashes of the head nouns of KB role nouns, with their plural and singular forms."""
        if self._heads is None:
            words: set[str] = {"party", *self.rules.company_nouns}
            for agent in self.kb.agents():
                word = agent.pattern.split()[-1]
                words |= {word, word + "s", word + "es"}
                if word.endswith("y"):
                    words.add(word[:-1] + "ies")
                if word.endswith("s"):
                    words.add(word[:-1])
            self._heads = {doc.vocab.strings[w] for w in words}
        return self._heads

    def _is_region(self, surface: str) -> bool:
        """``kb.is_region`` with a bounded cache."""
        found = self._region_cache.get(surface)
        if found is None:
            if len(self._region_cache) > 100_000:
                self._region_cache.clear()
            found = self._region_cache[surface] = self.kb.is_region(surface)
        return found

    def _agent(self, words: str):
        """``kb.agent`` with a bounded cache: the same noun phrases recur across articles."""
        if words not in self._agent_cache:
            if len(self._agent_cache) > 100_000:
                self._agent_cache.clear()
            # The KB lists some role nouns only in the plural ("prisoners"): try that form too.
            self._agent_cache[words] = self.kb.agent(words) or self.kb.agent(words + "s")
        return self._agent_cache[words]

    @staticmethod
    def _apposed_actor(w: _Work, root) -> str | None:
        if root.dep_ == "appos" and w.table.mention_at(root.head.i) is not None:
            return w.table.actor_at(root.head.i)
        for child in root.children:
            if child.dep_ == "appos" and w.table.mention_at(child.i) is not None:
                return w.table.actor_at(child.i)
        return None

    def _person_with_role(self, w: _Work, start: int, root, aff: _Affiliation) -> str | None:
        """The person named before ``root`` who holds (or, after "former"/"ex-", held) the title in
        ``start``..``root``, by the role the article gives them or their office in the knowledge base; the
        title's party, body or state must be theirs. The latest such person named wins."""
        doc = w.doc
        said = [t.lower_ for t in doc[start:root.i + 1] if t.is_alpha]
        former = any(t in ("former", "ex") for t in said)
        words = {t for t in said if t not in _NOT_IN_OFFICE}
        when = self._when(w)
        best = None
        for m in w.table.mentions:
            if m.token_start >= start:
                break
            actor = w.table.get(m.actor_id)
            if actor is None or actor.kind != "person" or m.how == "pronoun":
                continue
            if (aff.party and actor.party != aff.party) or (aff.organization and actor.organization
                                                              and actor.organization != aff.organization) \
                    or (aff.country and actor.country and actor.country != aff.country):
                continue
            role_words = set(re.split(r"[\s-]+", (actor.role or "").lower()))
            if words and words <= role_words and (former or not role_words & {"former", "ex"}):
                best = m.actor_id
                continue
            person = next((p for p in w.persons if p.actor_id == m.actor_id), None)
            if person is None or person.entry is None:
                continue
            for office in person.entry.offices:
                if not words or not words <= set(re.split(r"[\s-]+", office.role.lower())):
                    continue
                if when is not None and (former != (office.end is not None and office.end < when)
                                         or (not former and not office.holds_on(when))):
                    continue
                best = m.actor_id
                break
        return best

    def _named_before(self, w: _Work, root, aff: _Affiliation) -> str | None:
        """"the party" -> the party named last before it; "the company", "the firm" -> the business."""
        noun = root.lemma_.lower()
        if noun == "party":
            wanted = ("party",)
        elif noun in self.rules.company_nouns:
            wanted = ("organization",)
        else:
            return None
        found = None
        for m in w.table.mentions:
            if m.token_start >= root.i:
                break
            actor = w.table.get(m.actor_id)
            if actor is not None and actor.kind in wanted and not actor.local \
                    and (noun == "party" or actor.sector in (None, "BUS")) \
                    and (aff.country is None or actor.country in (None, aff.country)):
                found = m.actor_id
        return found

    def _context_state(self, w: _Work, i: int) -> str | None:
        """The state "the government" belongs to at token ``i``: the one state named in this sentence or
        the one before, else the article's (dateline, or the state named most)."""
        sent = w.doc[i].sent
        begin = sent.start
        if begin > 0:
            begin = w.doc[begin - 1].sent.start
        found = set()
        for actor_id in w.table.actors_in(begin, i):
            actor = w.table.get(actor_id)
            if actor is not None and actor.country and (actor.kind == "state" or actor.sector == "GOV"):
                found.add(actor.country)
        if len(found) == 1:
            return found.pop()
        return w.home if not found else None

    def _adjective_mentions(self, w: _Work) -> None:
        doc = w.doc
        heads = self._agent_heads(doc)
        for start, (end, entry) in sorted(w.adjectives.items()):
            if any(w.covered(i) for i in range(start, end)):
                continue
            last = doc[end - 1]
            iso = entry.country or entry.code
            if last.tag_ in ("NNS", "NNPS") and last.dep_ not in ("amod", "compound"):
                # "Ukrainians", "Americans": the people of the state; "the Albanians of southern Serbia",
                # "ethnic Turks in Germany": a people coded where they live, and no state at all when
                # "ethnic" says the word names a people, not citizens, and the text does not say where
                if start in w.ethnic:
                    home = self._residence(w, last, ("of", "in"))
                    name = doc[start - 1:end].text
                else:
                    home = self._residence(w, last, ("of",)) or iso
                    name = doc[start:end].text
                actor_id = w.table.add(Actor(id="", name=name, kind="group", code=home, country=home),
                                       f"people:{iso}|{home}|{start in w.ethnic}")
                w.table.add_mention(doc, actor_id, start, end, "name")
            elif last.dep_ in ("amod", "compound") and (last.head.lower_ in self.rules.event_nouns
                                                         or (w.lower[last.head.i] not in heads
                                                             and start not in w.ethnic)):
                # "a U.S. strike", "the Syrian border", "an Iraqi delegate's visit": the state is named
                # (role nouns such as "French and Egyptian warships" are the description rule's); outside
                # event nouns it is a "modifier": it names the state but is no event's agent by itself
                how = "adjective" if last.head.lower_ in self.rules.event_nouns else "modifier"
                w.table.add_mention(doc, self._kb_actor(w, entry), start, end, how)

    # --- helpers -------------------------------------------------------------------------------------------
    def _dateline_tokens(self, doc: Doc, text: str, ctx: ArticleContext) -> tuple[int, int] | None:
        if not ctx.dateline_place:
            return None
        pos = text.find(ctx.dateline_place, ctx.body_start)
        if pos < 0 or pos > ctx.body_start + 400:
            return None
        end = pos + len(ctx.dateline_place)
        # The dateline runs to its dash: "LONDON (AP) —", "KYIV, Ukraine, May 2 (Reuters) -"; the
        # agency in it is the story's source, not an actor in it.
        dash = _DATELINE_DASH.search(text, end, min(len(text), end + 80))
        if dash is not None:
            end = dash.start()
        span = doc.char_span(pos, end, alignment_mode="expand")
        return (span.start, span.end) if span is not None else None

    @staticmethod
    def _in_headline(w: _Work, i: int) -> bool:
        """Headlines capitalise every word: capitalisation says nothing about names there."""
        span = w.ctx.title_span
        return span is not None and span[0] <= w.doc[i].idx < span[1]

    def _dateline_country(self, w: _Work) -> str | None:
        place = w.ctx.dateline_place
        if not place:
            return None
        for surface in (place, *[p.strip() for p in place.split(",")]):
            for entry, _how in self.kb.lookup_kind(surface):
                if entry.kind == "state" or entry.country:
                    return entry.country or entry.code
        return None

    def _finish(self, w: _Work) -> None:
        text = w.text
        surfaces: dict[str, list[str]] = {}
        for m in w.table.mentions:
            if m.how in ("pronoun", "description"):
                continue
            s = text[m.start:m.end]
            s = s[4:] if s.lower().startswith("the ") else s
            lst = surfaces.setdefault(m.actor_id, [])
            if s not in lst:
                lst.append(s)
        for actor in list(w.table):
            seat = w.seats.get(actor.id)
            updates: dict[str, object] = {}
            words = actor.name.split()
            while len(words) > 1 and words[0].lower() in _CONJUNCTIONS:
                words = words[1:]  # no actor is named "and X families"
            if len(words) < len(actor.name.split()):
                updates["name"] = " ".join(words)
            if seat:
                seat = seat[4:] if seat.lower().startswith("the ") else seat
                state = self.kb.state(actor.country or "")
                updates["name"] = f"{seat} (government of {state.name if state else actor.country})"
            aliases = [*actor.aliases, *(s for s in surfaces.get(actor.id, []) if s not in actor.aliases)]
            name = updates.get("name", actor.name)
            aliases = [a for a in aliases if a != name]
            if aliases != actor.aliases:
                updates["aliases"] = aliases
            if updates:
                w.table.update(actor.id, **updates)


def _split_entities(doc: Doc) -> tuple[Span, ...]:
    """The model's entities, with "X and Y" made two: names joined by a conjunction ("Jack Straw and Geoff
    Hoon") and bodies joined by "and the" ("Oxfam and the Red Cross") are two actors. Other bodies keep
    their "and" ("Ministry of Housing and Local Government")."""
    out: list[Span] = []
    for ent in doc.ents:
        cuts = [t.i for t in ent[1:-1] if t.lower_ in _CONJUNCTIONS]
        if not cuts or ent.label_ not in ("PERSON", "ORG"):
            out.append(ent)
            continue
        if ent.label_ == "ORG" and not all(doc[c + 1].lower_ == "the" for c in cuts):
            out.append(ent)
            continue
        start = ent.start
        for c in [*cuts, ent.end]:
            part = doc[start:c]
            while len(part) and (part[0].lower_ == "the" or part[0].is_punct):
                part = part[1:]
            while len(part) and part[-1].is_punct:
                part = part[:-1]
            if len(part) and part[0].text[:1].isupper():
                out.append(Span(doc, part.start, part.end, label=ent.label_))
            start = c + 1
    return tuple(out)


def _looks_like_name(span: Span) -> bool:
    words = [t for t in span if t.is_alpha]
    return bool(words) and words[0].text[:1].isupper() and words[-1].text[:1].isupper() and all(
        t.text[:1].isupper() or t.lower_ in _NAME_PARTICLES for t in words)


@Language.factory("newsgraph_actors", default_config={"actor_dictionaries": [], "rules_file": None})
def make_actor_resolver(nlp: Language, name: str, actor_dictionaries: list[str],
                        rules_file: str | None) -> ActorResolver:
    return ActorResolver(nlp, name, actor_dictionaries, rules_file)
