"""Polarity and modality of an event trigger: negated, hypothetical, planned, asked, or stated as fact."""

from __future__ import annotations

from spacy.tokens import Span, Token

from newsgraph.extract.event_lexicon import TriggerLexicon

_CLAUSE_DEPS = ("ccomp", "advcl", "relcl", "ROOT", "parataxis", "csubj")


def _governors(tok: Token) -> list[Token]:
    """The trigger's verb and the verbs and adjectives it is an infinitive or complement of
    ("did not agree to provide", "is expected to visit", "ready to contribute")."""
    chain = [tok]
    t = tok
    while t.dep_ in ("xcomp", "acomp", "conj", "pcomp") and t.head.i != t.i and len(chain) < 5:
        if t.dep_ == "conj" and t.head.pos_ not in ("VERB", "AUX"):
            break
        if t.dep_ == "pcomp":  # "ready for/about to"
            t = t.head.head if t.head.head.i != t.head.i else t.head
        else:
            t = t.head
        chain.append(t)
    return chain


def _clause_heads(tok: Token) -> list[Token]:
    """Heads of the clauses enclosing the trigger, innermost first."""
    out = []
    t = tok
    while True:
        if t.pos_ in ("VERB", "AUX") or t.dep_ in _CLAUSE_DEPS:
            out.append(t)
        if t.head.i == t.i:
            break
        t = t.head
    return out


def polarity(trigger: Token, clause: Token | None, lex: TriggerLexicon, consumed: set[int]) -> str:
    neg = lex.cue("negation")
    heads = _governors(clause if clause is not None else trigger)
    if trigger.pos_ in ("NOUN", "PROPN"):
        if any(c.lower_ in ("no", "without") and c.dep_ in ("det", "neg") for c in trigger.children):
            return "negative"
        if trigger.dep_ == "pobj" and trigger.head.lower_ == "without":
            return "negative"
        # "reneged on its commitment", "rejected the agreement", "scrapped the deal"
        gov = trigger.head.head if trigger.dep_ == "pobj" else trigger.head
        if trigger.dep_ in ("dobj", "pobj") and gov.lemma_.lower() in lex.cue("negating_control"):
            return "negative"
    for h in heads:
        for c in h.children:
            if c.i in consumed:
                continue
            if c.dep_ == "neg" or (c.dep_ in ("advmod", "preconj") and c.lower_ in neg and c.lower_ != "no"):
                return "negative"
    # "refused to lift the curfew", "failed to deliver"
    if any(h.lemma_.lower() in lex.cue("negating_control") for h in heads[1:]):
        return "negative"
    # "denied that it had supplied weapons"
    top = heads[-1]
    if top.dep_ == "ccomp" and top.head.lemma_ in lex.cue("negating_governors"):
        return "negative"
    return "positive"


def _is_question(trigger: Token, sent: Span | None = None) -> bool:
    sent = sent if sent is not None else trigger.sent
    doc = trigger.doc
    # the sentence's last token that is not a closing quote or space (no sent.text: it builds a string)
    k = sent.end - 1
    while k > sent.start and (doc[k].is_space or doc[k].text in ('"', "'", "”", "’", "''")):
        k -= 1
    if doc[k].text.endswith("?"):
        return True
    # a question inside a longer sentence: "…, hard currency?" stays with its clause up to the mark
    for t in doc[trigger.i : min(sent.end + 3, len(doc))]:
        if t.text == "?":
            return True
        if t.text in (".", "!"):
            return False
    return False


def modality(
    trigger: Token,
    clause: Token | None,
    lex: TriggerLexicon,
    sent: Span | None = None,
    conditional_act: bool = True,
) -> str:
    """``sent``: the trigger's sentence, when the caller has it (``Token.sent`` walks the document).
    ``conditional_act=False`` for threats and ultimatums: their condition is what they threaten over
    ("threatened to close the strait if sanctions were tightened" is a threat that was made), not a doubt
    that they were."""
    if _is_question(trigger, sent):
        return "question"
    anchor = clause if clause is not None else trigger
    chain = _governors(anchor)
    hyp_aux, plan_aux = lex.cue("hypothetical_aux"), lex.cue("planned_aux")
    reporting = lex.cue("reporting")
    planned = False
    # nominal cues: "potential exchanges", "an impending visit"
    for c in trigger.children:
        if c.dep_ in ("amod", "compound") and c.lemma_.lower() in lex.cue("hypothetical_modifiers"):
            return "hypothetical"
        if c.dep_ in ("amod", "compound", "nmod") and c.lemma_.lower() in lex.cue("planned_modifiers"):
            planned = True
    if trigger.dep_ == "pobj" and trigger.head.head.lemma_ in ("speculation", "talk", "rumour", "rumor"):
        return "hypothetical"
    for i, h in enumerate(chain):
        for c in h.children:
            if c.dep_ in ("aux", "auxpass"):
                low = c.lower_
                if low in plan_aux:
                    planned = True
                elif low == "would" and _in_reported_speech(h, reporting):
                    planned = True  # "said it would allow": the future of reported speech
                elif low in hyp_aux:
                    return "hypothetical"
            if c.dep_ == "mark" and c.lower_ in lex.cue("hypothetical_marks"):
                return "hypothetical"
        if i > 0:
            lemma = h.lemma_.lower()
            if lemma in lex.cue("hypothetical_governors"):
                return "hypothetical"
            if lemma in lex.cue("planned_governors") or (lemma == "go" and h.tag_ == "VBG"):
                planned = True
    # the content of a demand or an accusation is not a deed: "demanded that X withdraw", "its demand that
    # X ease restrictions", "accused X of sending detainees"
    for h in _clause_heads(anchor)[:2]:
        gov = h.head
        if h.dep_ in ("ccomp", "acl") and gov.lemma_.lower() in lex.cue("hypothetical_governors"):
            return "hypothetical"
        if h.dep_ == "ccomp" and any(  # "reiterated its demand today that X ease ...": parsed under the verb
            c.dep_ == "dobj" and c.i < h.i and c.lemma_.lower() in lex.cue("hypothetical_governors")
            for c in gov.children
        ):
            return "hypothetical"
        if (
            h.dep_ == "pcomp"
            and gov.lower_ == "of"
            and gov.head.lemma_.lower() in lex.cue("allegation_governors")
        ):
            return "hypothetical"
    # the trigger's clause inside a condition: "if Russia attacks, ..."
    for h in _clause_heads(anchor)[:3]:
        if any(c.dep_ == "mark" and c.lower_ in lex.cue("hypothetical_marks") for c in h.children):
            return "hypothetical"
    # a condition attached to it: "will withdraw its force unless ...", "would meet him if ..."
    for h in chain if conditional_act else ():
        for c in h.children:
            if c.dep_ == "advcl" and any(
                m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children
            ):
                # a conditional commitment ("will withdraw unless", "said they would meet him if") stays a
                # commitment; a bare conditional is hypothetical
                return "planned" if planned else "hypothetical"
    return "planned" if planned else "actual"


def _in_reported_speech(h: Token, reporting: frozenset[str]) -> bool:
    t = h
    for _ in range(4):
        if t.dep_ == "ccomp" and t.head.lemma_.lower() in reporting:
            return True
        if t.head.i == t.i:
            return False
        t = t.head
    return False


# ---- the learned reading --------------------------------------------------------------------------------
_MODAL_WORDS = frozenset(
    {"will", "would", "could", "can", "may", "might", "should", "must", "shall", "'ll", "wo", "ca", "to"}
)
FACT_LABELS = (
    "positive/actual",
    "positive/planned",
    "positive/hypothetical",
    "positive/conditional",
    "positive/question",
    "negative/actual",
    "negative/planned",
    "negative/hypothetical",
)


def modality_features(
    trigger: Token,
    clause: Token | None,
    event_type: str,
    kind: str,
    in_quote: bool,
    rule_polarity: str,
    rule_modality: str,
    lex: TriggerLexicon,
) -> list[str]:
    """What the rules conclude, and the words they read, for the model that weighs them against the coded
    corpus: the rules' verdicts are features, not answers ("must" in a quoted demand makes the demand's
    content hypothetical, not the demand)."""
    f = [
        f"rule={rule_polarity}/{rule_modality}",
        f"rulepol={rule_polarity}",
        f"rulemod={rule_modality}",
        f"type={event_type}",
        f"kind={kind}",
        f"type+rule={event_type}+{rule_polarity}/{rule_modality}",
    ]
    if in_quote:
        f += ["inquote", f"inquote+rule={rule_polarity}/{rule_modality}"]
    anchor = clause if clause is not None else trigger
    chain = _governors(anchor)
    for i, h in enumerate(chain[:4]):
        if i > 0:
            f.append(f"gov={h.lemma_.lower()}")
        for c in h.children:
            if c.dep_ in ("aux", "auxpass") and c.lower_ in _MODAL_WORDS:
                f.append(f"aux{min(i, 1)}={c.lower_}")
            elif c.dep_ == "neg":
                f.append(f"neg{min(i, 1)}")
            elif c.dep_ == "mark":
                f.append(f"mark={c.lower_}")
            elif c.dep_ == "advcl" and any(
                m.lower_ in ("if", "unless", "once", "until") for m in c.children if m.dep_ == "mark"
            ):
                f.append("condition-attached")
    for h in _clause_heads(anchor)[:3]:
        if h.dep_ in ("ccomp", "advcl", "xcomp", "acl", "relcl"):
            f.append(f"under={h.dep_}:{h.head.lemma_.lower()}")
        if any(c.dep_ == "mark" and c.lower_ in lex.cue("hypothetical_marks") for c in h.children):
            f.append("in-condition")
    f.append(f"tag={anchor.tag_}")
    # negation and intent carried by words the rules do not read as such: "no meeting", "without consulting",
    # "never accused", "his plan to sue", "an effort to block", "the upcoming visit"
    near = [*trigger.children, *anchor.children, *(t for h in chain[1:3] for t in h.children)]
    for c in near:
        low = c.lower_
        if low in ("no", "never", "without", "nobody", "none", "neither", "nor", "nothing", "hardly"):
            f.append(f"negword={low}")
        if c.dep_ in ("amod", "compound") and c.lemma_.lower() in lex.cue("planned_modifiers"):
            f.append("planned-modifier")
        if c.dep_ in ("amod", "compound") and c.lemma_.lower() in lex.cue("hypothetical_modifiers"):
            f.append("hypothetical-modifier")
    if trigger.dep_ == "pobj" and trigger.head.lower_ == "without":
        f.append("negword=without")
    head = anchor.head
    if anchor.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN"):
        f.append(f"acl-of={head.lemma_.lower()}")
        if head.lemma_.lower() in lex.cue("planned_governors") | lex.cue("hypothetical_governors"):
            f.append("acl-of-intent")
    if trigger.i + 1 < len(trigger.doc) and any(
        t.text == "?" for t in trigger.doc[trigger.i : trigger.sent.end]
    ):
        f.append("question-mark-after")
    return f
