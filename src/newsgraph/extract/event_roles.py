"""Who acts and on whom, learnt: the role of each actor mention around an event.

``ArgumentFinder`` reads the parse where it is regular (subjects, objects, passive agents, possessives,
prepositional recipients). Where it finds no source or no target, the role model chooses among the actor
mentions of the event's sentence, and the speaker of the statement the event is in, by what lies between
them and the trigger: the dependency path, the prepositions on it, the order and distance, how the mention
names its actor, and the event's type. It is trained on the event corpus and PLV's marked pairs
(``newsgraph train events``) and ships beside the event model (``roles/``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from newsgraph.extract.actor_table import ActorTable, ResolvedMention
from newsgraph.extract.event_candidates import Candidate
from newsgraph.learn.linear import LinearModel

ROLES = ("source", "target", "none")
_THIRD_PERSON = frozenset({"he", "she", "it", "they", "him", "her", "them"})
DEFAULT_ROLE_THRESHOLD = 0.5


def _unresolved_third_person(t: Token, table: ActorTable) -> bool:
    """Whether the nearest subject up the trigger's clauses is "he"/"she"/"it"/"they" with no actor."""
    for _ in range(4):
        subj = next((ch for ch in t.children if ch.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None:
            return subj.lower_ in _THIRD_PERSON and table.actor_of(subj) is None
        if t.head.i == t.i:
            return False
        t = t.head
    return False


def _head(doc: Doc, m: ResolvedMention) -> Token:
    return doc[m.token_start : m.token_end].root


def _ancestors(t: Token, limit: int = 12) -> list[Token]:
    out = [t]
    while t.head.i != t.i and len(out) < limit:
        t = t.head
        out.append(t)
    return out


def dependency_path(a: Token, b: Token) -> str:
    """The path from ``a`` up to the lowest common ancestor and down to ``b``: "^nsubj" is one step up from a
    subject; prepositions on the way down are named ("vprep:against vpobj")."""
    up = _ancestors(a)
    down = _ancestors(b)
    up_ids = {t.i: k for k, t in enumerate(up)}
    common = next((k for k, t in enumerate(down) if t.i in up_ids), None)
    if common is None:
        return "far"
    steps_up = [f"^{t.dep_}" for t in up[: up_ids[down[common].i]]]
    steps_down = []
    for t in reversed(down[:common]):
        steps_down.append(f"v{t.dep_}:{t.lower_}" if t.dep_ == "prep" else f"v{t.dep_}")
    path = steps_up + steps_down
    return " ".join(path) if len(path) <= 5 else "long"


def _within(tok: Token | None, head: Token) -> bool:
    return tok is not None and tok.left_edge.i <= head.i <= tok.right_edge.i


def mention_features(
    c: Candidate, event_type: str, m: ResolvedMention, doc: Doc, table: ActorTable, speaker: str | None
) -> list[str]:
    head = _head(doc, m)
    path = dependency_path(c.token, head)
    lemma = c.token.lemma_.lower()
    actor = table.get(m.actor_id)
    dist = abs(head.i - c.token.i)
    f = [
        f"path={path}",
        f"type+path={event_type}+{path}",
        f"w+path={lemma}+{path}",
        f"order={'before' if head.i < c.token.i else 'after'}",
        f"type+order={event_type}+{'before' if head.i < c.token.i else 'after'}",
        f"dist={min(dist, 12) // 3}",
        f"how={m.how}",
        f"ckind={c.kind}",
        f"type={event_type}",
    ]
    if actor is not None:
        f += [f"akind={actor.kind}", f"type+akind={event_type}+{actor.kind}"]
        if actor.local:
            f.append("local")
    if speaker is not None and m.actor_id == speaker:
        f += ["speaker", f"type+speaker={event_type}"]
    if _within(c.subject, head):
        f += ["in-subject", f"subjhow={c.subject_how}"]
    for rel, o in c.objects:
        if _within(o, head):
            f += [f"in-object={rel}", f"type+in-object={event_type}+{rel}"]
            break
    if c.light is not None and _within(c.light, head):
        f.append("under-light-verb")
    if c.quote is not None and any(
        s <= m.start < e
        for s, e in ([(p.start, p.end) for p in c.quote.parts] or [(c.quote.start, c.quote.end)])
    ):
        f.append("in-quote")
    return f


def sentence_mentions(
    doc: Doc, sent: Span, table: ActorTable, exclude: Iterable[int]
) -> list[ResolvedMention]:
    skip = set(exclude)
    return [
        m
        for m in table.mentions
        if sent.start <= m.token_start < sent.end and not (set(range(m.token_start, m.token_end)) & skip)
    ]


@dataclass
class RoleModel:
    linear: LinearModel
    threshold: float = DEFAULT_ROLE_THRESHOLD

    def roles(
        self,
        c: Candidate,
        event_type: str,
        doc: Doc,
        table: ActorTable,
        speaker: str | None,
    ) -> list[tuple[str, float, float]]:
        """(actor id, P(source), P(target)) for each actor the event's sentence mentions, best first; the
        speaker of the statement it is in counts, wherever the speaker is named."""
        sent = c.token.sent
        mentions = sentence_mentions(doc, sent, table, (t.i for t in c.parts))
        scored: dict[str, tuple[float, float]] = {}
        for m in mentions:
            p = self.linear.predict_proba(mention_features(c, event_type, m, doc, table, speaker))
            old = scored.get(m.actor_id, (0.0, 0.0))
            scored[m.actor_id] = (max(old[0], p["source"]), max(old[1], p["target"]))
        if speaker is not None and speaker not in scored:
            speaker_mentions = [m for m in table.mentions if m.actor_id == speaker]
            if speaker_mentions:
                m = min(speaker_mentions, key=lambda x: abs(x.token_start - c.token.i))
                p = self.linear.predict_proba(mention_features(c, event_type, m, doc, table, speaker))
                scored[speaker] = (p["source"], p["target"])
        return sorted(((a, s, t) for a, (s, t) in scored.items()), key=lambda x: -max(x[1], x[2]))

    def fill(
        self,
        c: Candidate,
        event_type: str,
        doc: Doc,
        table: ActorTable,
        speaker: str | None,
        source: list[str],
        target: list[str],
    ) -> tuple[list[str], list[str]]:
        """The stated source and target, with a missing one filled by the most probable mention above the
        threshold (never the same actor in both roles)."""
        if source and target:
            return source, target
        ranked = self.roles(c, event_type, doc, table, speaker)
        # "they are using ..." with the pronoun unresolved: the one acting is someone the text named before,
        # not the quotation's speaker, who would have said "we" or "I"
        third_person = _unresolved_third_person(c.token, table)
        if not source:
            best = max(((s, a) for a, s, _ in ranked
                        if a not in target and not (third_person and a == speaker)), default=(0.0, None))
            if best[1] is not None and best[0] >= self.threshold:
                source = [best[1]]
        if not target:
            best = max(((t, a) for a, _, t in ranked if a not in source), default=(0.0, None))
            if best[1] is not None and best[0] >= self.threshold:
                target = [best[1]]
        return source, target
