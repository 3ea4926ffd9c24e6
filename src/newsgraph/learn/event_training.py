"""``newsgraph train events``: rebuild the event model from the data, with a fixed seed.

Sources (see ``event_data``): the event corpus's train split, PLV's training pairs, and the PLOVER
gold-standard records. Every text is parsed once by the full pipeline with the event coder switched off;
each candidate becomes a row of features; an L2 logistic regression is fitted on all rows. Article-grouped
cross-validated predictions give the softmax temperature (calibration) and the emission threshold, and,
with ``evaluate``, fold models are run end to end through the event coder on the texts they did not see,
so the reported figures are those of the extractor, scored by the evaluation commands' definitions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from newsgraph.config import Settings
from newsgraph.eval import event_corpus, plv
from newsgraph.eval.event_corpus import AnnotatedDoc, load_corpus
from newsgraph.extract.event_features import N_DENSE
from newsgraph.extract.event_model import BUNDLED_DIR, EVENT, NONE, EventModel, FactModel
from newsgraph.extract.event_roles import RoleModel
from newsgraph.learn import event_data
from newsgraph.learn.linear import from_sklearn
from newsgraph.learn.training import (
    Featurized,
    cross_validate,
    expected_calibration_error,
    fit_linear,
    fit_temperature,
    group_folds,
)

DEFAULT_SEED = 20261203


@dataclass(frozen=True)
class EventTrainingConfig:
    shared: Path
    annotations: Path
    out: Path = BUNDLED_DIR
    seed: int = DEFAULT_SEED
    c: float = 0.25
    c_type: float = 0.5
    c_roles: float = 0.5
    role_threshold: float = 0.35
    c_facts: float = 0.5
    facts: bool = True
    roles: bool = True
    gate: bool = True
    # the shipped (threshold, lexicon threshold); None: the pair cross-validation scores best
    thresholds: tuple[float, float] | None = None
    folds: int = 5
    dense: bool = False
    limit: int | None = None  # at most this many texts per source (a quick run for tests)
    evaluate: bool = True  # end-to-end cross-validated figures (fold models through the extractor)
    settings: Settings = field(default_factory=Settings)


@dataclass
class Parsed:
    source: str  # corpus | plv | gsr
    group: str
    doc: object  # spaCy Doc, parsed once with the event coder off
    article: object  # the ArticleInput it came from
    gold: object  # AnnotatedDoc | PlvPair | GsrRecord


@dataclass
class TrainingResult:
    model: EventModel
    report: dict


def _parse_all(cfg: EventTrainingConfig) -> tuple[object, list[Parsed], list[AnnotatedDoc]]:
    from newsgraph.extract.pipeline import Extractor
    from newsgraph.ingest.readers import ArticleInput

    extractor = Extractor(cfg.settings.updated({"event_model": "none"}))
    eval_dir = cfg.shared / "eval"
    corpus = load_corpus(cfg.annotations, cfg.shared)
    train_docs = [d for d in corpus if d.split == "train"][: cfg.limit]
    held = [d for d in corpus if d.split == "dev"][: cfg.limit]
    pairs = event_data.read_plv(eval_dir / "plv-train.tsv")[: cfg.limit]
    records = event_data.read_gsr(eval_dir / "plover-gsr-dev.json")[: cfg.limit]
    items: list[tuple[str, str, str, object]] = []
    items += [("corpus", f"corpus:{d.id}", d.text, d) for d in train_docs]
    items += [("dev", f"dev:{d.id}", d.text, d) for d in held]
    items += [("plv", f"plv:{p.id}", p.text, p) for p in pairs]
    seen: set[str] = set()
    for r in records:  # records sharing a sentence are one text
        if r.text not in seen:
            seen.add(r.text)
            items.append(("gsr", f"gsr:{hashlib.sha1(r.text.encode()).hexdigest()[:10]}", r.text, r))
    articles = [ArticleInput(text=text, id=group.replace(":", "-")) for _, group, text, _ in items]
    docs = extractor.nlp.pipe((extractor._prepare(a) for a in articles), batch_size=32)
    parsed = [
        Parsed(source=s, group=g, doc=doc, article=a, gold=gold)
        for (s, g, _, gold), doc, a in zip(items, docs, articles, strict=True)
    ]
    gsr_by_text: dict[str, list] = {}
    for r in records:
        gsr_by_text.setdefault(r.text, []).append(r)
    for p in parsed:
        if p.source == "gsr":
            p.gold = gsr_by_text[p.gold.text]
    return extractor, parsed, train_docs


def rows_for(coder, p: Parsed, dense: bool) -> list[Featurized]:
    featurize = coder.featurized_candidates
    if p.source in ("corpus", "dev"):
        rows = list(event_data.corpus_rows([p.gold], [p.doc], featurize))
    elif p.source == "plv":
        rows = list(event_data.plv_rows([p.gold], [p.doc], featurize))
    else:
        rows = list(event_data.gsr_rows(p.gold[:1], [p.doc], featurize))
        for rec in p.gold[1:]:  # further records of the same sentence: their own event words
            rows += list(event_data.gsr_rows([rec], [p.doc], featurize))
    for r in rows:
        r.group = p.group
        r.dense = _scaled(r.dense) if dense else None
    return rows


def role_rows_for(coder, p: Parsed) -> list[Featurized]:
    cands = [c for c, _, _ in coder.featurized_candidates(p.doc)]
    if p.source in ("corpus", "dev"):
        rows = list(event_data.corpus_role_rows(p.gold, p.doc, cands))
    elif p.source == "plv":
        rows = list(event_data.plv_role_rows(p.gold, p.doc, cands))
    else:
        rows = []
    for r in rows:
        r.group = p.group
    return rows


def fact_rows_for(coder, p: Parsed) -> list[Featurized]:
    """Polarity/modality rows: each coded event of a corpus article at the candidate that states it."""
    from newsgraph.extract.event_modality import modality, modality_features, polarity

    if p.source not in ("corpus", "dev"):
        return []
    cands = [c for c, _, _ in coder.featurized_candidates(p.doc)]
    rows = []
    for g in p.gold.events:
        best, overlap = None, 0
        for c in cands:
            n = sum(1 for t in c.parts if t.idx < g.trigger.end and g.trigger.start < t.idx + len(t.text))
            if n > overlap:
                best, overlap = c, n
        if best is None:
            continue
        clause = best.clause if best.kind == "evaluation" else best.light
        used = {t.i for t in best.parts}
        rule_pol = polarity(best.token, clause, coder.lexicon, used)
        rule_mod = modality(
            best.token, clause, coder.lexicon, best.token.sent, conditional_act=g.type != "THREATEN"
        )
        feats = modality_features(
            best.token, clause, g.type, best.kind, best.quote is not None, rule_pol, rule_mod, coder.lexicon
        )
        label = f"{g.polarity}/{g.modality}"
        rows.append(
            Featurized(
                features=feats,
                label=label,
                group=p.group,
                weight=1.0 if g.certain else 0.5,
                info={"source": p.source, "rule": f"{rule_pol}/{rule_mod}"},
            )
        )
    return rows


def _fit_facts(rows: Sequence[Featurized], cfg: EventTrainingConfig) -> FactModel:
    estimator, vocab = fit_linear(rows, c=cfg.c_facts, seed=cfg.seed, n_dense=0)
    return FactModel(from_sklearn(estimator, vocab, 0, 1.0))


def _fit_roles(rows: Sequence[Featurized], cfg: EventTrainingConfig) -> RoleModel:
    estimator, vocab = fit_linear(rows, c=cfg.c_roles, seed=cfg.seed, n_dense=0)
    return RoleModel(from_sklearn(estimator, vocab, 0, 1.0), cfg.role_threshold)


def _scaled(vec) -> list[float]:
    # doc.tensor rows have a scale of several units; a fixed scale keeps the L2 penalty comparable to that
    # of the binary features
    return [float(x) / 4.0 for x in vec]


def _fit(
    rows: Sequence[Featurized],
    cfg: EventTrainingConfig,
    threshold: float = 0.3,
    meta: dict | None = None,
    temperatures: tuple[float, float] = (1.0, 1.0),
) -> EventModel:
    """With ``cfg.gate``: a binary event/no-event model over every row and a type model over the positives;
    else one multinomial model with a NONE class."""
    n_dense = N_DENSE if cfg.dense else 0
    if not cfg.gate:
        estimator, vocab = fit_linear(rows, c=cfg.c, seed=cfg.seed, n_dense=n_dense)
        return EventModel(
            linear=from_sklearn(estimator, vocab, n_dense, temperatures[0], meta), threshold=threshold
        )
    gate_rows = [_relabel(r, EVENT if r.label != NONE else NONE) for r in rows]
    estimator, vocab = fit_linear(gate_rows, c=cfg.c, seed=cfg.seed, n_dense=n_dense)
    gate = from_sklearn(estimator, vocab, n_dense, temperatures[1])
    positives = [r for r in rows if r.label != NONE]
    estimator, vocab = fit_linear(positives, c=cfg.c_type, seed=cfg.seed, n_dense=n_dense)
    typing = from_sklearn(estimator, vocab, n_dense, temperatures[0], meta)
    return EventModel(linear=typing, threshold=threshold, gate=gate)


def _relabel(r: Featurized, label: str) -> Featurized:
    return Featurized(
        features=r.features, label=label, group=r.group, dense=r.dense, weight=r.weight, info=r.info
    )


def _cv_probabilities(
    rows: Sequence[Featurized], cfg: EventTrainingConfig
) -> tuple[np.ndarray, list[str], dict]:
    """Held-out probabilities of every label (types and NONE) for every row, and the fitted temperatures."""
    n_dense = N_DENSE if cfg.dense else 0
    if not cfg.gate:
        fit = lambda rs: fit_linear(rs, c=cfg.c, seed=cfg.seed, n_dense=n_dense)  # noqa: E731
        probs, labels = cross_validate(rows, fit, k=cfg.folds, seed=cfg.seed, n_dense=n_dense)
        t = fit_temperature(probs, [labels.index(r.label) for r in rows])
        return _tempered(probs, t), labels, {"type": t}
    gate_rows = [_relabel(r, EVENT if r.label != NONE else NONE) for r in rows]
    fit = lambda rs, c=cfg.c: fit_linear(rs, c=c, seed=cfg.seed, n_dense=n_dense)  # noqa: E731
    gp, glabels = cross_validate(gate_rows, fit, k=cfg.folds, seed=cfg.seed, n_dense=n_dense)
    t_gate = fit_temperature(gp, [glabels.index(r.label) for r in gate_rows])
    gp = _tempered(gp, t_gate)
    p_event = gp[:, glabels.index(EVENT)]
    # the type model is cross-validated on every row (so that negatives get a type distribution too), trained
    # on the positives of the other folds
    types = sorted({r.label for r in rows if r.label != NONE})
    tp = np.zeros((len(rows), len(types)))
    for test_idx in group_folds([r.group for r in rows], cfg.folds, cfg.seed):
        test_set = set(test_idx.tolist())
        train = [r for i, r in enumerate(rows) if i not in test_set and r.label != NONE]
        est, vocab = fit_linear(train, c=cfg.c_type, seed=cfg.seed, n_dense=n_dense)
        from newsgraph.learn.training import predict_proba as _pp

        p = _pp(est, vocab, [rows[i] for i in test_idx], n_dense)
        for j, cls in enumerate(est.classes_):
            tp[test_idx, types.index(str(cls))] = p[:, j]
    pos = [i for i, r in enumerate(rows) if r.label != NONE]
    t_type = fit_temperature(tp[pos], [types.index(rows[i].label) for i in pos])
    tp = _tempered(tp, t_type)
    labels = [*types, NONE]
    probs = np.hstack([tp * p_event[:, None], (1.0 - p_event)[:, None]])
    return probs, labels, {"type": t_type, "gate": t_gate}


def _tempered(probs: np.ndarray, t: float) -> np.ndarray:
    z = np.log(np.clip(probs, 1e-12, 1.0)) / t
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _choose_threshold(probs: np.ndarray, labels: list[str], rows: Sequence[Featurized]) -> tuple[float, dict]:
    """The emission threshold maximising F1 of typed events on the exhaustively coded rows (the corpus)."""
    none = labels.index(NONE) if NONE in labels else None
    idx = [i for i, r in enumerate(rows) if r.info.get("source") == "corpus"]
    if not idx or none is None:
        return 0.5, {}
    best = (0.0, 0.5, {})
    masked = probs.copy()
    masked[:, none] = -1.0
    top = masked.argmax(1)
    for t in np.arange(0.1, 0.91, 0.05):
        tp = fp = fn = 0
        for i in idx:
            gold = rows[i].label
            pred = labels[top[i]] if probs[i, top[i]] >= t else NONE
            if pred != NONE and pred == gold:
                tp += 1
            else:
                fp += pred != NONE
                fn += gold != NONE
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        if f1 > best[0]:
            best = (
                f1,
                float(round(t, 2)),
                {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f1, 3)},
            )
    return best[1], best[2]


def _row_figures(probs: np.ndarray, labels: list[str], rows: Sequence[Featurized], threshold: float) -> dict:
    none = labels.index(NONE) if NONE in labels else -1
    masked = probs.copy()
    if none >= 0:
        masked[:, none] = -1.0
    top = masked.argmax(1)
    out = {}
    for source in ("corpus", "plv", "gsr"):
        idx = [i for i, r in enumerate(rows) if r.info.get("source") == source]
        if not idx:
            continue
        positives = [i for i in idx if rows[i].label != NONE]
        typed = sum(labels[top[i]] == rows[i].label for i in positives)
        out[source] = {
            "rows": len(idx),
            "positives": len(positives),
            "type_accuracy_on_positives": round(typed / len(positives), 3) if positives else 0.0,
        }
    conf = probs.max(1)
    correct = [labels[int(probs[i].argmax())] == r.label for i, r in enumerate(rows)]
    out["expected_calibration_error"] = round(expected_calibration_error(conf, correct), 3)
    return out


def _decide_all(coder, extractor, parsed: Sequence[Parsed], model: EventModel):
    """Run the event coder with ``model`` over already parsed docs and assemble extractions."""
    coder.model = model
    coder.event_model_name = "cv"
    out = []
    for p in parsed:
        doc = coder(p.doc)
        out.append(extractor._news(extractor._assemble(doc, p.article, p.article.text), p.article))
    coder.model, coder.event_model_name = None, "none"
    return out


# (threshold, lexicon threshold): candidates the model types as the trigger lexicon does may pass lower
THRESHOLDS = tuple((t, lt) for t in (0.3, 0.35, 0.4, 0.5) for lt in (0.15, 0.2, 0.25, 0.3) if lt <= t)


def _f_beta(p: float, r: float, beta: float = 1.0) -> float:
    return (1 + beta * beta) * p * r / (beta * beta * p + r) if p + r else 0.0


def _end_to_end(
    cfg: EventTrainingConfig,
    extractor,
    parsed: list[Parsed],
    rows_by_group: dict[str, list],
    temperatures: tuple[float, float],
    roles_by_group: dict[str, list] | None = None,
    facts_by_group: dict[str, list] | None = None,
) -> tuple[tuple[float, float], dict]:
    """Fold models through the extractor, each text coded by a model that never saw it, at every candidate
    threshold pair; returns the pair with the best mean F0.5 (corpus strict, PLOVER records, PLV pairs) and
    the figures (cross-validated at every pair, dev at the chosen one)."""
    from newsgraph.eval import plover as plover_eval

    roles_by_group = roles_by_group or {}
    facts_by_group = facts_by_group or {}
    coder = extractor.nlp.get_pipe("newsgraph_events")
    train_groups = [p.group for p in parsed if p.source != "dev"]
    folds = group_folds(train_groups, cfg.folds, cfg.seed)
    by_group = {p.group: p for p in parsed}
    plv_score = {t: plv.PlvScore() for t in THRESHOLDS}
    corpus_score = {t: event_corpus.CorpusScore() for t in THRESHOLDS}
    gsr = {t: Counter() for t in THRESHOLDS}
    for fold in folds:
        held = {train_groups[i] for i in fold}
        keep = lambda g, held=held: g not in held and not g.startswith("dev:")  # noqa: E731
        model = _fit(
            [r for g, rs in rows_by_group.items() if keep(g) for r in rs], cfg, temperatures=temperatures
        )
        _add_roles(
            model,
            cfg,
            [r for g, rs in roles_by_group.items() if keep(g) for r in rs],
            [r for g, rs in facts_by_group.items() if keep(g) for r in rs],
        )
        held_parsed = [by_group[g] for g in sorted(held)]
        for t in THRESHOLDS:
            model.threshold, model.lexicon_threshold = t
            for p, ex in zip(held_parsed, _decide_all(coder, extractor, held_parsed, model), strict=True):
                if p.source == "plv":
                    plv_score[t].add(plv.score([p.gold], [ex]))
                elif p.source == "corpus":
                    event_corpus.score_document(p.gold, ex, corpus_score[t])
                elif p.source == "gsr":
                    gsr[t].update(plover_eval.score_records_strict(p.gold, ex))

    def score(t: tuple[float, float]) -> float:
        # F0.5 (precision weighs double: an event shown is one an analyst reads as a fact), averaged over the
        # three kinds of news: the corpus (strict), PLOVER's records and PLV's pairs
        c = corpus_score[t].as_dict()["strict"]
        p = plv_score[t].as_dict()
        g = gsr[t]
        g_p = g["matched_predicted"] / g["predicted"] if g["predicted"] else 0.0
        g_r = g["matched_gold"] / g["gold"] if g["gold"] else 0.0
        return (
            _f_beta(c["precision"], c["recall"], 0.5)
            + _f_beta(p["precision"], p["pair_recall"], 0.5)
            + _f_beta(g_p, g_r, 0.5)
        ) / 3

    best = max(THRESHOLDS, key=score)
    chosen = cfg.thresholds if cfg.thresholds in THRESHOLDS else best
    final = _fit(
        [r for g, rs in rows_by_group.items() if not g.startswith("dev:") for r in rs],
        cfg,
        chosen[0],
        temperatures=temperatures,
    )
    final.lexicon_threshold = chosen[1]
    _add_roles(
        final,
        cfg,
        [r for g, rs in roles_by_group.items() if not g.startswith("dev:") for r in rs],
        [r for g, rs in facts_by_group.items() if not g.startswith("dev:") for r in rs],
    )
    dev = [p for p in parsed if p.source == "dev"]
    dev_score = event_corpus.CorpusScore()
    for p, ex in zip(dev, _decide_all(coder, extractor, dev, final), strict=True):
        event_corpus.score_document(p.gold, ex, dev_score)
    r = lambda a, b: round(a / b, 3) if b else 0.0  # noqa: E731
    per_threshold = {
        f"{t[0]}/{t[1]}": {
            "corpus": corpus_score[t].as_dict(),
            "plv": plv_score[t].as_dict(),
            "plover_gsr": {
                "records": gsr[t]["gold"],
                "dyad_type_recall": r(gsr[t]["matched_gold"], gsr[t]["gold"]),
                "dyad_type_precision": r(gsr[t]["matched_predicted"], gsr[t]["predicted"]),
            },
        }
        for t in THRESHOLDS
    }
    return chosen, {
        "threshold": chosen[0],
        "lexicon_threshold": chosen[1],
        "best_cross_validated": {"thresholds": f"{best[0]}/{best[1]}", "score": round(score(best), 4)},
        "shipped_score": round(score(chosen), 4),
        "cross_validated": per_threshold[f"{chosen[0]}/{chosen[1]}"],
        "cross_validated_by_threshold": per_threshold,
        "corpus_dev": dev_score.as_dict() | {"articles": len(dev)},
        "corpus_dev_confusion": {f"{g}->{p}": n for (g, p), n in sorted(dev_score.confusion.items())},
    }


def _add_roles(
    model: EventModel,
    cfg: EventTrainingConfig,
    role_rows: Sequence[Featurized],
    fact_rows: Sequence[Featurized] = (),
) -> None:
    """The role model and the polarity/modality model, fitted beside the type model."""
    if cfg.roles and role_rows:
        model.roles = _fit_roles(role_rows, cfg)
    if cfg.facts and fact_rows and len({r.label for r in fact_rows}) > 1:
        model.facts = _fit_facts(fact_rows, cfg)


def train_events(cfg: EventTrainingConfig) -> TrainingResult:
    extractor, parsed, train_docs = _parse_all(cfg)
    coder = extractor.nlp.get_pipe("newsgraph_events")
    rows_by_group: dict[str, list[Featurized]] = {p.group: rows_for(coder, p, cfg.dense) for p in parsed}
    roles_by_group = {p.group: role_rows_for(coder, p) for p in parsed} if cfg.roles else {}
    facts_by_group = {p.group: fact_rows_for(coder, p) for p in parsed} if cfg.facts else {}
    rows = [r for g, rs in rows_by_group.items() if not g.startswith("dev:") for r in rs]
    scaled, labels, temps = _cv_probabilities(rows, cfg)
    temperatures = (temps["type"], temps.get("gate", 1.0))
    threshold, threshold_figures = _choose_threshold(scaled, labels, rows)
    report: dict = {
        "data": {
            "corpus_train_articles": len(train_docs),
            "rows": len(rows),
            # sorted, so that the card reads the same whatever order the sources were read in
            "rows_by_source": dict(sorted(Counter(r.info["source"] for r in rows).items())),
            "labels": dict(sorted(Counter(r.label for r in rows).items(), key=lambda kv: (-kv[1], kv[0]))),
        },
        "seed": cfg.seed,
        "trained": dt.date.today().isoformat(),
        "c": cfg.c,
        "dense": cfg.dense,
        "gate": cfg.gate,
        "c_type": cfg.c_type,
        "temperatures": {k: round(v, 3) for k, v in temps.items()},
        "threshold": threshold,
        "candidates_cross_validated": _row_figures(scaled, labels, rows, threshold)
        | {"corpus_at_threshold": threshold_figures},
    }
    lexicon_threshold = threshold
    if cfg.evaluate:
        (threshold, lexicon_threshold), report["end_to_end"] = _end_to_end(
            cfg, extractor, parsed, rows_by_group, temperatures, roles_by_group, facts_by_group
        )
        report["threshold"], report["lexicon_threshold"] = threshold, lexicon_threshold
    meta = {
        "version": f"events-{dt.date.today().isoformat()}-{cfg.seed}",
        "trained": dt.date.today().isoformat(),
    }
    model = _fit(rows, cfg, threshold, meta | {"report": report}, temperatures)
    model.lexicon_threshold = lexicon_threshold
    _add_roles(
        model,
        cfg,
        [r for g, rs in roles_by_group.items() if not g.startswith("dev:") for r in rs],
        [r for g, rs in facts_by_group.items() if not g.startswith("dev:") for r in rs],
    )
    return TrainingResult(model=model, report=report)


def save(result: TrainingResult, out: Path) -> None:
    result.model.save(out)
    (out / "report.json").write_text(
        json.dumps(result.report, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )


def summary(report: dict) -> dict:
    """The figures that matter, for the command's output."""
    e2e = report.get("end_to_end", {})
    cv = e2e.get("cross_validated", {})
    return {
        "threshold": report.get("threshold"),
        "lexicon_threshold": report.get("lexicon_threshold"),
        "corpus_cross_validated": cv.get("corpus", {}).get("strict"),
        "corpus_dev": {k: e2e.get("corpus_dev", {}).get(k) for k in ("lenient", "strict", "inverted_facts")},
        "plv_cross_validated": cv.get("plv"),
        "plover_gsr_cross_validated": cv.get("plover_gsr"),
    }


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _table(header: tuple[str, ...], rows: list[tuple]) -> str:
    return "\n".join([_row(*header), _row(*("---" for _ in header)), *(_row(*r) for r in rows)])


def _pr(d: dict) -> str:
    return f"{d['precision']} / {d['recall']}"


def model_card(report: dict) -> str:
    """The model card, from the training report and the template beside this module."""
    from importlib.resources import files

    template = files("newsgraph.learn").joinpath("templates/event_model_card.md").read_text(encoding="utf-8")
    data, e2e = report["data"], report.get("end_to_end", {})
    cv, dev = e2e.get("cross_validated", {}), e2e.get("corpus_dev", {})
    figures = "(trained without --evaluate: no end-to-end figures)"
    by_threshold = figures
    if cv:
        c, p, g = cv["corpus"], cv["plv"], cv["plover_gsr"]
        figures = _table(
            ("data", "measure", "figure"),
            [
                ("corpus, cross-validated", "strict precision / recall", _pr(c["strict"])),
                ("corpus, cross-validated", "lenient precision / recall", _pr(c["lenient"])),
                (
                    "corpus, cross-validated",
                    "modality accuracy; inverted facts",
                    f"{c['modality_accuracy']}; {c['inverted_facts']}",
                ),
                ("corpus dev (not trained on)", "strict precision / recall", _pr(dev["strict"])),
                ("corpus dev", "lenient precision / recall", _pr(dev["lenient"])),
                (
                    "corpus dev",
                    "modality accuracy; inverted facts",
                    f"{dev['modality_accuracy']}; {dev['inverted_facts']}",
                ),
                (
                    "PLV, cross-validated",
                    "pair recall / type given dyad / precision",
                    f"{p['pair_recall']} / {p['type_given_dyad']} / {p['precision']}",
                ),
                (
                    "PLOVER records (shared half), cross-validated",
                    "dyad+type recall / precision",
                    f"{g['dyad_type_recall']} / {g['dyad_type_precision']}",
                ),
            ],
        )
        by_threshold = _table(
            ("thresholds (any / lexicon agrees)", "corpus strict", "PLV", "PLOVER"),
            [
                (
                    t,
                    _pr(v["corpus"]["strict"]),
                    f"{v['plv']['pair_recall']} / {v['plv']['type_given_dyad']} / {v['plv']['precision']}",
                    f"{v['plover_gsr']['dyad_type_recall']} / {v['plover_gsr']['dyad_type_precision']}",
                )
                for t, v in e2e["cross_validated_by_threshold"].items()
            ],
        )
    candidates = report["candidates_cross_validated"]
    candidate_figures = (
        "; ".join(
            f"{k}: type accuracy on positives {v['type_accuracy_on_positives']}"
            for k, v in candidates.items()
            if isinstance(v, dict) and "type_accuracy_on_positives" in v
        )
        + f"; expected calibration error {candidates.get('expected_calibration_error')}"
    )
    best = e2e.get("best_cross_validated")
    threshold_note = ""
    if best and best["thresholds"] != f"{report['threshold']}/{report.get('lexicon_threshold')}":
        threshold_note = (
            f" (the best pair there, {best['thresholds']}, scores {best['score']}; the shipped one, "
            f"chosen with `--thresholds`, {e2e.get('shipped_score')})"
        )
    return template.format(
        threshold_note=threshold_note,
        trained=report.get("trained", dt.date.today().isoformat()),
        seed=report["seed"],
        threshold=report["threshold"],
        lexicon_threshold=report.get("lexicon_threshold", report["threshold"]),
        dense="yes" if report.get("dense") else "no (measured: they lowered precision)",
        data_table=_table(("source", "rows (candidates)"), list(data["rows_by_source"].items())),
        train_articles=data["corpus_train_articles"],
        labels=", ".join(f"{k} {v}" for k, v in data["labels"].items()),
        figures_table=figures,
        threshold_table=by_threshold,
        candidate_figures=candidate_figures,
    )
