"""Arguments of an event trigger from the dependency parse: who acts (source) and on whom (target).

Covers active and passive voice, coordination, datives and prepositional recipients, possessive and
prepositional nominals ("X's support for Y", "a visit from X to Y", "cooperation between X and Y"),
light verbs ("made concessions to Y"), control and raising ("compelled to make concessions"), relative
clauses, participles and gerunds ("actions including supplying Y"). Tokens become actors only through the
actor table, so pronouns, surnames and metonyms resolve there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Token

from newsgraph.extract.actor_table import ActorTable
from newsgraph.extract.event_lexicon import TriggerEntry, TriggerLexicon

_SUBJ = ("nsubj", "nsubjpass", "csubj", "csubjpass", "expl")
_OBJ = ("dobj", "dative", "attr", "oprd")
_MODIFIERS = ("poss", "compound", "amod", "nmod", "npadvmod")
_REL_PRONOUNS = {"who", "which", "that", "whom", "whose"}
# Nouns that measure out a nominal event: "launched ten days of war games", "carried out a series of raids".
_MEASURES = frozenset(
    {
        "day",
        "week",
        "month",
        "hour",
        "round",
        "series",
        "wave",
        "spate",
        "string",
        "number",
        "couple",
        "set",
        "flurry",
        "volley",
        "barrage",
    }
)
# Places named for the people they house or serve: "a camp for refugees" belongs to the refugees.
_SHELTERS = frozenset(
    {
        "camp",
        "shelter",
        "home",
        "school",
        "hospital",
        "clinic",
        "centre",
        "center",
        "settlement",
        "orphanage",
        "hostel",
        "convoy",
    }
)
_LOCATING_PREPS = ("in", "from", "of", "throughout", "across", "at", "inside")
# Material acts whose target PLOVER takes from the place when no recipient is stated.
PLACE_TARGET_TYPES = {
    "PROTEST",
    "MOBILIZE",
    "RETREAT",
    "CONCEDE",
    "COERCE",
    "ASSAULT",
    "AID",
    "SANCTION",
    "COOPERATE",
}
# Verbal acts aimed at whoever a that-clause is about ("demanded that X ...", "accused ... that X ...").
_ADDRESSEE_TYPES = {"REQUEST", "ACCUSE", "REJECT"}
# Threats and announced hostile measures: the party a condition names is their target.
_CONDITION_TYPES = {"THREATEN", "SANCTION", "COERCE", "ASSAULT", "MOBILIZE"}
_MEANS_PREPS = ("including", "by", "through", "via", "while", "after", "before", "in", "like", "such")


@dataclass
class Arguments:
    source: list[str] = field(default_factory=list)
    target: list[str] = field(default_factory=list)
    source_tokens: list[int] = field(default_factory=list)
    target_tokens: list[int] = field(default_factory=list)
    reciprocal: bool = False
    inherited_source: bool = False
    fallback_target: bool = False
    # why an implied target (or source) was filled, and the token it comes from: PLOVER's conventions,
    # carried into the contract's Event.implied so that the inference can be checked
    implied: list[tuple[str, str, int | None]] = field(default_factory=list)  # (role, basis, token)
    clause_head: Token | None = None  # the verb whose clause states the event
    light_verb: Token | None = (
        None  # for a nominal trigger: the verb that only carries it ("made concessions")
    )


def _path(t: Token, top: Token) -> list[Token]:
    """Tokens from ``t`` up to (excluding) ``top``."""
    out = []
    while t.i != top.i and t.head.i != t.i:
        out.append(t)
        t = t.head
    return out


def _add(out: list[str], ids: list[str]) -> None:
    for a in ids:
        if a not in out:
            out.append(a)


class ArgumentFinder:
    def __init__(
        self,
        table: ActorTable,
        lexicon: TriggerLexicon,
        adjective_actor: Callable[[Token], str | None] | None = None,
    ) -> None:
        self.table = table
        self.lex = lexicon
        # resolves a nationality adjective the actor layer left alone ("Israeli helicopters") to its state
        self.adjective_actor = adjective_actor
        self.patient_is_agent = (
            False  # set per trigger: a passive RETREAT verb's subject is the one retreating
        )

    # ---- actors of a phrase ----------------------------------------------------------------------
    def informative(self, actor_id: str) -> bool:
        actor = self.table.get(actor_id)
        return actor is not None and bool(actor.country or actor.code or actor.organization)

    def says_who(self, actor_id: str) -> bool:
        """Informative, or a named person: "met Alice Wells at a hotel in the Qatari capital" is a meeting
        with her, not with Qatar; a bare description ("senior officers", article-local) says less."""
        actor = self.table.get(actor_id)
        named_person = actor is not None and actor.kind == "person" and not actor.local
        return self.informative(actor_id) or named_person

    def direct(self, tok: Token) -> list[str]:
        """Actors the phrase headed by ``tok`` (and its conjuncts) names itself."""
        out: list[str] = []
        for t in [tok, *tok.conjuncts]:
            if t.lower_.endswith(("self", "selves")):  # "blew themselves up": not someone acted upon
                continue
            a = self.table.actor_of(t)
            if a:
                self._locate(a, t)
                _add(out, [a])
            _add(out, self.table.sharing_head(t))  # "US and South Korean troops": both groups
        return out

    def _locate(self, actor_id: str, t: Token) -> None:
        """A group named only by a description takes the country its phrase places it in ("students
        throughout Indonesia", "rebels in the Ivory Coast", "activists from the Fatah party")."""
        actor = self.table.get(actor_id)
        if actor is None or actor.country or actor.code or actor.kind not in ("group", "organization"):
            return
        mention = self.table.mention_at(t.i)
        if mention is not None and mention.how not in ("title", "description"):
            return
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ in _LOCATING_PREPS:
                for o in c.children:
                    other = self.table.get(self.table.actor_of(o)) if o.dep_ == "pobj" else None
                    if other is not None and other.id != actor_id and other.country:
                        self.table.update(actor_id, country=other.country)
                        return

    def owners(self, tok: Token, depth: int = 0) -> list[str]:
        """Actors a phrase names or belongs to: itself, its possessor or nationality modifier
        ("Israel's positions", "Palestinian homes"), or the agent of a nested event ("support from X")."""
        named = self.direct(tok)
        if depth > 2 or (named and any(self.informative(a) for a in named)):
            return named
        out = self._belongs_to(tok, depth)
        if not named:
            return out
        # a bare description ("Iraqi Kurds", "Lebanon's new President X") takes the country of what it
        # belongs to
        owner = next((self.table.get(a) for a in out if a not in named and self.informative(a)), None)
        country = owner.country if owner is not None else None
        for a in named:
            actor = self.table.get(a)
            if actor is None or actor.country or actor.code:
                continue
            if country:
                self.table.update(a, country=country)
            elif owner is not None and owner.kind == "organization" and not actor.organization:
                self.table.update(a, organization=owner.id)  # "U.N. mediator X": speaks for the UN
        return named

    def _belongs_to(self, tok: Token, depth: int) -> list[str]:
        out: list[str] = []
        for t in [tok, *tok.conjuncts]:
            for c in t.children:
                if c.dep_ in _MODIFIERS and c.i < t.i:
                    found = self.direct(c) or (self.owners(c, depth + 1) if c.dep_ == "poss" else [])
                    if not found and self.adjective_actor is not None and c.dep_ in ("amod", "compound"):
                        # "French and Egyptian warships": each adjective names its state
                        found = [a for a in (self.adjective_actor(x) for x in [c, *c.conjuncts]) if a]
                    _add(out, found)
            if not out and t.pos_ == "VERB":  # a clause: its subject first ("the group operating in X")
                subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if subj is not None:
                    _add(out, self.owners(subj, depth + 1))
            if not out:
                # "a camp for Congolese refugees" belongs to the refugees it houses
                preps = ("from", "by", "of", "in") + (("for",) if t.lemma_.lower() in _SHELTERS else ())
                for c in t.children:
                    if c.dep_ == "prep" and c.lower_ in preps:
                        for o in c.children:
                            if o.dep_ in ("pobj", "pcomp"):
                                _add(out, self.owners(o, depth + 1))
            if not out and t.pos_ == "NOUN" and self.lex.candidates(t.lemma_.lower(), "noun"):
                # a nested event with no agent: whom it is aimed at ("sanctions against X", "curfew on X")
                for c in t.children:
                    if c.dep_ == "prep" and c.lower_ in (
                        "against",
                        "on",
                        "to",
                        "toward",
                        "towards",
                        "upon",
                        "with",
                        "between",
                    ):
                        for o in c.children:
                            if o.dep_ == "pobj":
                                _add(out, self.owners(o, depth + 1))
            if not out and t.pos_ == "VERB":  # a nested clause: its actor, else whom it acts on
                subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if subj is not None:
                    _add(out, self.owners(subj, depth + 1))
                else:
                    for c in t.children:
                        if c.dep_ in _OBJ:
                            _add(out, self.owners(c, depth + 1))
        return out

    # ---- subjects ----------------------------------------------------------------------------------
    @staticmethod
    def is_passive(v: Token) -> bool:
        return any(c.dep_ in ("nsubjpass", "auxpass", "csubjpass") for c in v.children)

    def _subject_token(self, v: Token) -> Token | None:
        return next((c for c in v.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")), None)

    def agent_of(self, v: Token, depth: int = 0) -> tuple[list[str], list[int], bool]:
        """Source actors of verb ``v``: (actor ids, token indices, inherited?)."""
        if depth > 4:
            return [], [], False
        if self.is_passive(v):
            agent = next((c for c in v.children if c.dep_ == "agent"), None)
            if agent is not None:
                pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return self.owners(pobj), [pobj.i], False
            if self.patient_is_agent:  # "guerrillas have been demobilized": they are the ones retreating
                subj = next((c for c in v.children if c.dep_ == "nsubjpass"), None)
                if subj is not None and self.owners(subj):
                    return self.owners(subj), [subj.i], False
            if v.dep_ != "xcomp":
                return [], [], False
        subj = self._subject_token(v)
        if subj is not None and not self.is_passive(v):
            if subj.lower_ in _REL_PRONOUNS and v.dep_ == "relcl":
                return self.owners(v.head), [v.head.i], True
            ids = self.owners(subj)
            if ids:
                return ids, [subj.i], False
            if subj.tag_ == "PRP":
                speaker = [a for a in self._speaker_of(v) if self._may_be(subj, a)]
                if speaker:
                    return speaker, [subj.i], True
        gov = v.head
        if gov.i == v.i:
            return [], [], False
        if v.dep_ == "xcomp" or (v.dep_ in ("advcl", "conj", "ccomp") and subj is None):
            if (
                v.dep_ == "xcomp"
                and gov.lemma_ in self.lex.cue("object_control")
                and not self.is_passive(gov)
            ):
                obj = next((c for c in gov.children if c.dep_ in ("dobj", "dative")), None)
                if obj is not None and self.owners(obj):
                    return self.owners(obj), [obj.i], True
            if gov.dep_ == "acomp" and gov.head.i != gov.i:  # "X is ready/willing/prepared to ..."
                gov = gov.head
            if gov.pos_ in ("VERB", "AUX", "ADJ"):
                gsubj = self._subject_token(gov)
                if (
                    v.dep_ in ("advcl", "conj")
                    and gsubj is not None
                    and gsubj.dep_ == "nsubjpass"
                    and any(c.dep_ == "agent" for c in gov.children)
                ):
                    gsubj = None  # "X was attacked by Y, killing 20": Y does the killing, not X
                if gsubj is not None and gsubj.lower_ not in _REL_PRONOUNS:
                    ids = self.owners(gsubj)
                    if ids:
                        return ids, [gsubj.i], True
                ids, toks, _ = self.agent_of(gov, depth + 1)
                return ids, toks, True
        if v.dep_ == "relcl" or (v.dep_ == "acl" and v.tag_ == "VBG"):
            ids = self.owners(gov)
            if (
                not ids
                and v.dep_ == "acl"
                and gov.dep_ in ("dobj", "attr")
                and gov.head.pos_ in ("VERB", "AUX")
            ):
                # "issued a declaration demanding ...": whoever issued it
                ids, toks, _ = self.agent_of(gov.head, depth + 1)
                return ids, toks, True
            return ids, [gov.i], True
        if v.dep_ == "acl" and v.tag_ == "VBN":
            return [], [], False
        # "actions including supplying Y", "support by providing Y": the gerund shares the owner's agent;
        # not so after "against"/"about" ("warnings against aiding Y" are not Y's aid by the warner)
        if v.dep_ in ("pcomp", "pobj") and gov.dep_ == "prep" and gov.lower_ in _MEANS_PREPS:
            owner = gov.head
            if owner.pos_ in ("NOUN", "PROPN"):
                src = self.noun_source(owner)
                if src[0]:
                    return src[0], src[1], True
                if owner.dep_ in ("dobj", "pobj", "nsubj") and owner.head.pos_ == "VERB":
                    ids, toks, _ = self.agent_of(owner.head, depth + 1)
                    return ids, toks, True
            elif owner.pos_ in ("VERB", "AUX"):
                ids, toks, _ = self.agent_of(owner, depth + 1)
                return ids, toks, True
        return [], [], False

    def _may_be(self, pronoun: Token, actor_id: str) -> bool:
        """Whether a pronoun can stand for the actor: "it" for a state or body, "he"/"she" for a person,
        "they" not for one person ("Miller said they are using ..." is not Miller), "we"/"I" for anyone."""
        actor = self.table.get(actor_id)
        low = pronoun.lower_
        if actor is None or low in ("we", "i", "us", "me"):
            return actor is not None
        if low in ("he", "she", "him", "her"):
            return actor.kind == "person"
        return actor.kind != "person"  # it, they, them

    def _speaker_of(self, v: Token) -> list[str]:
        """ "Syria says it is willing to withdraw": an unresolved pronoun subject of reported speech is,
        failing any other antecedent, the speaker."""
        t = v
        for _ in range(4):
            if t.dep_ == "ccomp" and t.head.lemma_.lower() in self.lex.cue("reporting"):
                subj = self._subject_token(t.head)
                return self.owners(subj) if subj is not None else []
            if t.head.i == t.i:
                return []
            t = t.head
        return []

    # ---- nominal triggers ----------------------------------------------------------------------------
    def noun_source(self, n: Token, entry: TriggerEntry | None = None) -> tuple[list[str], list[int]]:
        preps = (entry.source_preps if entry and entry.source_preps else None) or self.lex.defaults.get(
            "noun_source_preps", ("from", "by")
        )
        for c in n.children:
            if c.dep_ == "poss":
                ids = self.owners(c)
                if ids:
                    return ids, [c.i]
        for c in n.children:
            if c.dep_ in ("compound", "amod", "nmod") and c.i < n.i:
                m = self.table.mention_at(c.i)
                if m is not None and m.how == "modifier":
                    continue  # "Palestinian unrest": the actor layer names the state, not the agent
                ids = self.direct(c)
                if ids:
                    return ids, [c.i]
        for c in n.children:
            if c.dep_ == "prep" and c.lower_ in preps:
                pobj = next((o for o in c.children if o.dep_ == "pobj"), None)
                if pobj is not None:
                    ids = self.owners(pobj)
                    if ids:
                        return ids, [pobj.i]
        return [], []

    def light_verb(self, n: Token) -> Token | None:
        """The verb a nominal trigger is the object of, when that verb only carries it ("issued warnings",
        "made concessions", "expressed gratitude")."""
        if (
            n.dep_ in ("dobj", "attr", "nsubjpass")
            and n.head.pos_ in ("VERB", "AUX")
            and n.head.lemma_ in self.lex.cue("light_verbs")
        ):
            return n.head
        if n.dep_ == "conj" and n.head.dep_ in ("dobj", "attr"):
            return self.light_verb(n.head)
        if n.dep_ == "pobj" and n.head.lower_ == "of" and n.head.head.lemma_.lower() in _MEASURES:
            return self.light_verb(n.head.head)  # "launched ten days of war games", "a series of raids"
        return None

    # ---- targets ------------------------------------------------------------------------------------
    def _prep_objects(self, tok: Token, preps: tuple[str, ...]) -> list[tuple[int, Token, str]]:
        found = []
        # a preposition hung on the verb's particle counts as the verb's ("kidnapped up to 16 advisers")
        kids = [*tok.children, *[g for c in tok.children if c.dep_ in ("prt", "advmod") for g in c.children]]
        for c in kids:
            if c.dep_ in ("prep", "dative", "agent") and c.lower_ in preps:
                objs = [o for o in c.children if o.dep_ in ("pobj", "pcomp")]
                if not objs:  # the parser hung the noun phrase elsewhere: the first actor right after
                    doc = c.doc
                    objs = [
                        doc[j] for j in range(c.i + 1, min(c.i + 6, len(doc))) if self.table.mention_at(j)
                    ][:1]
                for o in objs:
                    found.append((preps.index(c.lower_), o, c.lower_))
        found.sort(key=lambda x: x[0])
        return found

    def _between(self, tok: Token) -> list[str]:
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "between":
                pobj = next((o for o in c.children if o.dep_ == "pobj"), None)
                if pobj is not None:
                    return self.direct(pobj) or self.owners(pobj)
        return []

    def targets_of(
        self,
        head: Token,
        preps: tuple[str, ...],
        skip: set[int],
        objects: bool,
        from_object: bool = False,
        exclude: frozenset[str] = frozenset(),
    ) -> tuple[list[str], list[int]]:
        """Targets among the dependents of ``head``: objects first, then prepositional objects in the
        order of ``preps``; phrases naming an actor beat phrases merely owned by one."""
        cands: list[Token] = []
        if exclude:  # "offered its troops to X": the source's own things are not its target
            skip = skip | {
                c.i
                for c in head.children
                if any(
                    p.dep_ == "poss" and set(self.direct(p)) <= exclude and self.direct(p) for p in c.children
                )
            }
        if objects:
            cands += [c for c in head.children if c.dep_ in ("dobj", "dative") and c.i not in skip]
            cands += [o for c in head.children if c.dep_ == "dative" for o in c.children if o.dep_ == "pobj"]
        if from_object:
            for c in cands:
                ids = [a for a in self.owners(c) if a not in exclude]
                if ids:
                    return ids, [c.i]
            return [], []
        # "in support of X", "on behalf of X" name a side, never the target
        pobjs = [
            o
            for _, o, p in self._prep_objects(head, preps)
            if o.i not in skip and not (p in ("in", "on") and o.lemma_.lower() in ("support", "behalf"))
        ]
        # an actor with a known country or code, named or owning the phrase ("Palestinian detainees"),
        # beats a bare description ("senior officers"); objects first, then prepositions in their order
        for c in cands + pobjs:
            # owners() is the phrase's own actors when it names any, else what it belongs to; it also
            # gives a named person the body of its title ("U.N. mediator X")
            ids = [a for a in self.owners(c) if a not in exclude]
            if ids and any(self.says_who(a) for a in ids):
                return ids, [c.i]
        for how in (self.direct, self.owners):
            for c in cands + pobjs:
                ids = [a for a in how(c) if a not in exclude]
                if ids:
                    return ids, [c.i]
        if "against" in preps:  # "strikes ... using aircraft against X": the parser hung it on the means
            for c in head.children:
                if c.dep_ == "advcl" and c.lemma_ == "use":
                    for o in c.children:
                        if o.dep_ == "dobj":
                            for _, pobj, _ in self._prep_objects(o, ("against",)):
                                ids = [a for a in self.owners(pobj) if a not in exclude]
                                if ids:
                                    return ids, [pobj.i]
        return [], []

    # ---- the entry point ----------------------------------------------------------------------------
    def _attached_low(self, v: Token, skip: set[int]) -> tuple[list[str], list[int]]:
        """A recipient the parser hung on the object instead of the verb ("transferred missiles and
        containers of munitions to Russia", "provide in exchange to North Korea")."""
        frontier = [c for c in v.children if c.dep_ in ("dobj", "prep") and c.i not in skip]
        for _ in range(4):
            nxt = []
            for t in frontier:
                if t.dep_ == "prep" and t.lower_ in ("to", "into", "toward", "towards") and t.head.i != v.i:
                    for o in t.children:
                        if o.dep_ == "pobj" and self.direct(o):
                            return self.direct(o), [o.i]
                nxt += [c for c in t.children if c.dep_ in ("conj", "prep", "pobj", "dobj", "appos")]
            frontier = nxt
        return [], []

    def find(
        self, trigger: Token, entry: TriggerEntry, parts: list[Token] | None = None, need_source: bool = False
    ) -> Arguments:
        """The trigger's arguments. With ``need_source``, a trigger whose source cannot be found (and that
        names no "between X and Y" pair) returns at once: its targets would not be used."""
        args = Arguments()
        self.patient_is_agent = entry.type == "RETREAT"
        d = self.lex.defaults
        if entry.pos == "verb":
            v = trigger
            args.clause_head = v
            ids, toks, inherited = self.agent_of(v)
            args.source, args.source_tokens, args.inherited_source = ids, toks, inherited
            if need_source and not ids and len(self._between(v)) < 2:
                return args
            # the object of a phrase's own preposition is no argument ("took the regulator to court")
            skip = set(toks) | {p.i for p in parts or [] if p.i != v.i and p.dep_ == "pobj"}
            if self.is_passive(v):
                subj = next((c for c in v.children if c.dep_ == "nsubjpass"), None)
                if subj is not None and v.dep_ != "xcomp" and subj.i not in toks:
                    args.target, args.target_tokens = self.owners(subj), [subj.i]
            if not args.target:
                preps = entry.target_preps or d.get("verb_target_preps", ())
                args.target, args.target_tokens = self.targets_of(
                    v, tuple(preps), skip, True, entry.target_from_object, exclude=frozenset(args.source)
                )
            if not args.target:  # the noun of a phrasal trigger: "issued warnings about X"
                npreps = entry.target_preps or d.get("noun_target_preps", ())
                for part in parts or []:
                    if part.i != v.i and part.pos_ in ("NOUN", "PROPN"):
                        args.target, args.target_tokens = self.targets_of(
                            part, tuple(npreps), skip, False, exclude=frozenset(args.source)
                        )
                        if args.target:
                            break
            if not args.target and not entry.target_from_object:
                args.target, args.target_tokens = self._attached_low(v, skip)
            if not args.target and entry.type in _ADDRESSEE_TYPES:  # "demanded that the US cancel plans"
                for c in v.children:
                    if c.dep_ == "ccomp":
                        subj = next((x for x in c.children if x.dep_ in ("nsubj", "nsubjpass")), None)
                        if subj is not None and self.owners(subj):
                            args.target, args.target_tokens = self.owners(subj), [subj.i]
                            break
            if not args.target and not entry.target_from_object:
                for c in v.children:  # "offered to hand over to Britain", "warned that allies ... on China"
                    if c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX"):
                        subj = next((x for x in c.children if x.dep_ in ("nsubj", "nsubjpass")), None)
                        if subj is not None and v.lemma_.lower() in self.lex.cue("object_control"):
                            # "will allow refugees to return": whom the permission or pressure is for
                            ids = [a for a in self.owners(subj) if a not in args.source]
                            if ids:
                                args.target, args.target_tokens = ids, [subj.i]
                                break
                        preps = entry.target_preps or d.get("verb_target_preps", ())
                        args.target, args.target_tokens = self.targets_of(
                            c, tuple(preps), skip, True, exclude=frozenset(args.source)
                        )
                        if args.target:
                            break
            if not args.target and not entry.target_from_object:
                last = d.get("last_resort_target_preps", ())
                ids, toks = self.targets_of(v, tuple(last), skip, False, exclude=frozenset(args.source))
                if ids and all((self.table.get(a) and self.table.get(a).kind == "state") for a in ids):
                    args.target, args.target_tokens = ids, toks
            if not args.target and entry.type in _CONDITION_TYPES:
                # "threatened to stop talks if the United States goes ahead": whoever must comply
                args.target, args.target_tokens = self._condition_subject(v)
            if (
                not args.target and entry.type == "PROTEST"
            ):  # "demonstrated ... calling for independence from X"
                for c in v.children:
                    if c.dep_ in ("advcl", "xcomp") and c.pos_ == "VERB":
                        preps = entry.target_preps or d.get("verb_target_preps", ())
                        args.target, args.target_tokens = self.targets_of(
                            c, tuple(preps) + ("from",), skip, True, exclude=frozenset(args.source)
                        )
                        if args.target:
                            break
            between = self._between(v)
        else:
            n = trigger
            while n.dep_ == "compound" and n.head.pos_ in ("NOUN", "PROPN") and n.head.i != n.i:
                n = n.head  # "a mediation effort between X and Y": the phrase's head carries the arguments
            light = self.light_verb(n)
            args.light_verb = light
            args.clause_head = (
                light
                if light is not None
                else next((a for a in n.ancestors if a.pos_ in ("VERB", "AUX")), None)
            )
            args.source, args.source_tokens = self.noun_source(n, entry)
            if not args.source and light is not None:
                ids, toks, _ = self.agent_of(light)
                args.source, args.source_tokens, args.inherited_source = ids, toks, True
            if need_source and not args.source and len(self._between(n)) < 2:
                return args
            skip = set(args.source_tokens)
            preps = tuple(
                p
                for p in (entry.target_preps or d.get("noun_target_preps", ()))
                if not entry.source_preps or p not in entry.source_preps
            )
            args.target, args.target_tokens = self.targets_of(
                n, preps, skip, False, exclude=frozenset(args.source)
            )
            if not args.target and light is not None:
                vpreps = entry.target_preps or d.get("verb_target_preps", ())
                args.target, args.target_tokens = self.targets_of(
                    light, tuple(vpreps), skip | {n.i}, True, exclude=frozenset(args.source)
                )
            if not args.target and entry.type in _ADDRESSEE_TYPES:  # "its demand that Israel ease ..."
                # the clause may hang from the light verb: "reiterated its demand today that Israel ease"
                clauses = (
                    [*n.children, *(c for c in light.children if c.i > n.i)]
                    if light is not None
                    else list(n.children)
                )
                for c in clauses:
                    if c.dep_ in ("acl", "ccomp"):
                        subj = next((x for x in c.children if x.dep_ in ("nsubj", "nsubjpass")), None)
                        ids = (
                            [a for a in self.owners(subj) if a not in args.source] if subj is not None else []
                        )
                        if ids:
                            args.target, args.target_tokens = ids, [subj.i]
                            break
            between = self._between(n)
            if not between:  # "the Russia-North Korea relationship"
                mods = []
                for c in n.children:
                    if c.dep_ in ("compound", "amod", "nmod") and c.i < n.i:
                        _add(mods, self.direct(c))
                if len(mods) >= 2 and entry.head in self.lex.cue("reciprocal"):
                    between = mods
        if len(between) >= 2 and args.source and not set(args.source) & set(between):
            args.target = list(between)  # "X mediated between Y and Z"
        elif len(between) >= 2:
            args.source, args.target, args.reciprocal = list(between), list(between), True
        elif (
            len(args.source) >= 2
            and not args.target
            and (
                entry.head in self.lex.cue("reciprocal")
                or any(n in self.lex.cue("reciprocal") for n in entry.needs)
            )
        ):
            args.target, args.reciprocal = list(args.source), True
        if not args.reciprocal:
            args.target = [a for a in args.target if a not in args.source]
        if not args.target and not entry.target_from_object and entry.type in PLACE_TARGET_TYPES:
            args.target, args.target_tokens = self._state_in_clause(trigger, args)
            args.fallback_target = bool(args.target)
            if args.target:
                args.implied.append(
                    (
                        "target",
                        "the state where the act takes place",
                        args.target_tokens[0] if args.target_tokens else None,
                    )
                )
        if not args.target and entry.type == "PROTEST":
            # domestic dissent with no stated addressee: PLOVER codes the protesters' own country
            countries = {self.table.get(a).country for a in args.source if self.table.get(a)}
            state = next((a.id for a in self.table if a.kind == "state" and a.country in countries), None)
            if state is not None and state not in args.source:
                args.target, args.fallback_target = [state], True
                args.implied.append(
                    (
                        "target",
                        "a protest with no stated target: the protesters' own state",
                        args.source_tokens[0] if args.source_tokens else None,
                    )
                )
        return args

    def _condition_subject(self, v: Token) -> tuple[list[str], list[int]]:
        for h in [v, *[c for c in v.children if c.dep_ == "xcomp"]]:
            for c in h.children:
                if c.dep_ == "advcl" and any(
                    m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children
                ):
                    subj = next((x for x in c.children if x.dep_ in ("nsubj", "nsubjpass")), None)
                    if subj is not None and self.owners(subj):
                        return self.owners(subj), [subj.i]
        return [], []

    def _state_in_clause(self, trigger: Token, args: Arguments) -> tuple[list[str], list[int]]:
        """No stated recipient: PLOVER codes the country where the act happens ("lifted the curfew imposed in
        Sudan", "evacuate settlements in the Gaza Strip"). The first state named in the trigger's phrase."""
        skip = set(args.source_tokens)
        banned = set()
        for i in skip:
            banned |= {t.i for t in trigger.doc[i].subtree}
        for t in trigger.subtree:
            if t.i in banned or t.i == trigger.i or t.dep_ in ("nsubj", "nsubjpass"):
                continue
            if any(
                a.dep_ in ("ccomp", "relcl", "advcl", "parataxis") and a.i != trigger.i
                for a in _path(t, trigger)
            ):
                continue
            a = self.table.actor_at(t.i)
            actor = self.table.get(a)
            if actor is not None and actor.kind == "state" and a not in args.source:
                return [a], [t.i]
        return [], []
