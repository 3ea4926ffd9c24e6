"""Training the attribution model (``newsgraph train attribution``) on brat attribution corpora (PolNeAR).

Two classifiers, both `LinearModel`s over the features of `newsgraph.extract.quote_model`:

* **cue**: is this word (verb, noun, "according") the head of an attribution's cue?
* **content**: of the stretches the parse offers for a cue (its that-clause, object, prepositional object,
  the clause around it …), which one is the content?

Rows come from the gold attributions of the first annotator of each article; folds group whole articles.
The command reports, beside the fitted model, the figures that predict held-out performance: each
component's article-grouped cross-validated scores and the end-to-end attribution score of models trained
on four fifths of the articles and run on the fifth (the full quote extractor, rules included), plus the
resubstitution score of the final model on its own training data.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

import newsgraph
from newsgraph.eval.attribution import (
    CorpusScore,
    Counts,
    GoldAttribution,
    GoldDocument,
    content_matches,
    evaluate,
    load_corpus,
    overlap,
    read_text,
)
from newsgraph.extract.base import context_of
from newsgraph.extract.quote_attribution import QuoteBuilder
from newsgraph.extract.quote_lexicon import ReportingLexicon, load_lexicon
from newsgraph.extract.quote_marks import find_quotes
from newsgraph.extract.quote_model import (
    AttributionModel,
    Quotations,
    content_candidates,
    content_features,
    cue_candidates,
)
from newsgraph.learn.linear import LinearModel, from_sklearn
from newsgraph.learn.training import Featurized, fit_linear, group_folds

SEED = 13
FOLDS = 5
CUE_C = 0.3
CONTENT_C = 0.3
MIN_COUNT = 2
THRESHOLDS = (0.3, 0.4, 0.5, 0.6)
RULE_FLOOR = 0.2
F1_TOLERANCE = 0.005


@dataclass
class Article:
    gold: GoldDocument
    doc: Doc

    @property
    def id(self) -> str:
        return self.gold.doc_id


# --- reading and parsing -----------------------------------------------------------------------------
def parse_corpus(nlp: Language, root: Path, limit: int | None = None) -> list[Article]:
    """Every article of a brat corpus through ``nlp`` (built without the quote component and after)."""
    from newsgraph.extract.pipeline import Extractor
    from newsgraph.ingest.readers import ArticleInput

    docs = load_corpus(root)[:limit]
    extractor = Extractor(nlp=nlp)
    prepared = ((extractor._prepare(ArticleInput(text=read_text(d.text_path), id=d.doc_id)), d) for d in docs)
    return [Article(gold, doc) for doc, gold in nlp.pipe(prepared, as_tuples=True, batch_size=16)]


def quotations(doc: Doc) -> Quotations:
    return Quotations.of(doc, [part for q in find_quotes(doc.text).quotes for part in q.parts])


def cue_head(doc: Doc, spans: Sequence[tuple[int, int]]) -> int | None:
    """The token that stands for a gold cue: its last verb ("did not immediately respond" → respond,
    "called on" → called), else its syntactic root ("a glowing endorsement" → endorsement)."""
    if not spans:
        return None
    span = doc.char_span(spans[0][0], spans[-1][1], alignment_mode="expand")
    if span is None:
        return None
    toks = [t for t in span if not t.is_punct]
    if not toks:
        return None
    verbs = [t for t in toks if t.pos_ == "VERB"]
    if verbs:
        return verbs[-1].i
    ids = {t.i for t in toks}
    roots = [t for t in toks if t.head.i not in ids or t.head.i == t.i]
    return (roots or toks)[0].i


def _chars(doc: Doc, r: tuple[int, int]) -> tuple[tuple[int, int], ...]:
    return ((doc[r[0]].idx, doc[r[1] - 1].idx + len(doc[r[1] - 1])),)


def _best_candidate(doc: Doc, candidates, gold: GoldAttribution) -> int | None:
    best: tuple[float, int] | None = None
    gold_len = sum(b - a for a, b in gold.content)
    for j, (_, r) in enumerate(candidates):
        span = _chars(doc, r)
        if content_matches(span, gold.content):
            ratio = overlap(span, gold.content) / min(span[0][1] - span[0][0], gold_len)
            if best is None or ratio > best[0]:
                best = (ratio, j)
    return best[1] if best else None


# --- rows --------------------------------------------------------------------------------------------
def cue_rows(article: Article, lex: ReportingLexicon, quoted: Quotations) -> list[Featurized]:
    doc = article.doc
    heads = {h for g in article.gold.attributions if (h := cue_head(doc, g.cue)) is not None}
    return [Featurized(c.features, "yes" if c.index in heads else "no", group=article.id)
            for c in cue_candidates(doc, lex, quoted, context_of(doc).title_span, doc._.ng_actors)]


def content_rows(article: Article, lex: ReportingLexicon, quoted: Quotations) -> list[Featurized]:
    doc = article.doc
    rows = []
    for n, g in enumerate(article.gold.attributions):
        h = cue_head(doc, g.cue)
        if h is None:
            continue
        candidates = content_candidates(doc[h], quoted)
        best = _best_candidate(doc, candidates, g)
        for j, (kind, r) in enumerate(candidates):
            rows.append(Featurized(content_features(doc[h], kind, r, lex, quoted),
                                   "yes" if j == best else "no", group=article.id,
                                   info={"cue": (article.id, n), "reachable": best is not None}))
    return rows


@dataclass
class Rows:
    cue: list[Featurized]
    content: list[Featurized]


def featurize(articles: Sequence[Article], lex: ReportingLexicon) -> Rows:
    rows = Rows([], [])
    for article in articles:
        quoted = quotations(article.doc)
        rows.cue.extend(cue_rows(article, lex, quoted))
        rows.content.extend(content_rows(article, lex, quoted))
    return rows


# --- fitting -----------------------------------------------------------------------------------------
def fit_component(rows: Sequence[Featurized], c: float, seed: int, temperature: float = 1.0,
                  meta: dict | None = None) -> LinearModel:
    estimator, vocabulary = fit_linear(rows, c=c, seed=seed, min_count=MIN_COUNT, max_iter=1000)
    return from_sklearn(estimator, vocabulary, 0, temperature, meta=meta or {})


def _yes(model: LinearModel, rows: Sequence[Featurized]) -> np.ndarray:
    return np.array([model.predict_proba(r.features)["yes"] for r in rows])


def binary_figures(probs: np.ndarray, rows: Sequence[Featurized], threshold: float) -> dict[str, float]:
    gold = np.array([r.label == "yes" for r in rows])
    pred = probs >= threshold
    tp = int((pred & gold).sum())
    p = tp / max(int(pred.sum()), 1)
    r = tp / max(int(gold.sum()), 1)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4)}


def choice_accuracy(probs: np.ndarray, rows: Sequence[Featurized]) -> dict[str, float]:
    """Share of gold cues whose most probable candidate is the gold content (of all, of the reachable)."""
    best: dict[tuple, tuple[float, bool, bool]] = {}
    for p, row in zip(probs.tolist(), rows, strict=True):
        key = row.info["cue"]
        if key not in best or p > best[key][0]:
            best[key] = (p, row.label == "yes", row.info["reachable"])
    reachable = {k for k, v in best.items() if v[2]}
    right = sum(1 for v in best.values() if v[1])
    return {"cues": len(best), "accuracy": round(right / max(len(best), 1), 4),
            "accuracy_reachable": round(right / max(len(reachable), 1), 4)}


def _temperature(probs: np.ndarray, rows: Sequence[Featurized]) -> float:
    from newsgraph.learn.training import fit_temperature

    two = np.stack([1.0 - probs, probs], axis=1)
    return fit_temperature(two, [int(r.label == "yes") for r in rows])


def _rescale(model: LinearModel, temperature: float) -> LinearModel:
    model.temperature = temperature
    return model


def _scaled(probs: np.ndarray, temperature: float) -> np.ndarray:
    """Binary probabilities with their log-odds divided by ``temperature``."""
    p = np.clip(probs, 1e-12, 1 - 1e-12)
    return 1.0 / (1.0 + np.exp(-np.log(p / (1 - p)) / temperature))


# --- end to end --------------------------------------------------------------------------------------
def extract_quotes(articles: Sequence[Article], tables: Sequence, lex: ReportingLexicon,
                   model: AttributionModel | None) -> list[list]:
    """The quote builder on parsed articles, each time on a fresh copy of the article's actor table."""
    out = []
    for article, table in zip(articles, tables, strict=True):
        doc = article.doc
        doc._.ng_actors = fresh = copy.deepcopy(table)
        out.append(QuoteBuilder(doc, fresh, lex, context_of(doc).title_span, model).build())
    return out


def score_summary(score) -> dict:
    return {"content": score.content.as_dict(), "attributed": score.attributed.as_dict(),
            "kinds": {k: c.as_dict() for k, c in score.kinds.items()},
            "speaker_accuracy": round(score.speaker.accuracy, 4)}


# --- the command's work ------------------------------------------------------------------------------
@dataclass
class TrainingResult:
    model: AttributionModel
    report: dict


def train(articles: Sequence[Article], *, seed: int = SEED, folds: int = FOLDS,
          dev: Sequence[Article] = (), lex: ReportingLexicon | None = None, data: str = "",
          log: Callable[[str], None] = lambda _: None) -> TrainingResult:
    """Cross-validate, choose the cue threshold on the held-out folds, fit on everything, and measure."""
    lex = lex or load_lexicon()
    tables = [copy.deepcopy(a.doc._.ng_actors) for a in articles]
    dev_tables = [copy.deepcopy(a.doc._.ng_actors) for a in dev]
    rows = featurize(articles, lex)
    log(f"{len(articles)} articles: {len(rows.cue)} cue candidates, {len(rows.content)} content candidates")
    fold_of_article = {}
    for f, idx in enumerate(group_folds([a.id for a in articles], folds, seed)):
        for i in idx.tolist():
            fold_of_article[articles[i].id] = f
    cue_cv = np.zeros(len(rows.cue))
    content_cv = np.zeros(len(rows.content))
    fold_models = []
    for f in range(folds):
        cue_train = [r for r in rows.cue if fold_of_article[r.group] != f]
        content_train = [r for r in rows.content if fold_of_article[r.group] != f]
        cue = fit_component(cue_train, CUE_C, seed)
        content = fit_component(content_train, CONTENT_C, seed)
        for data_rows, probs, model in ((rows.cue, cue_cv, cue), (rows.content, content_cv, content)):
            idx = [i for i, r in enumerate(data_rows) if fold_of_article[r.group] == f]
            probs[idx] = _yes(model, [data_rows[i] for i in idx])
        fold_models.append((cue, content))
        log(f"fold {f + 1}/{folds} fitted")
    temperature = _temperature(cue_cv, rows.cue)
    scaled = _scaled(cue_cv, temperature)
    # the thresholds that give the best held-out attribution F1, the rules and every later step included:
    # one for new cues, one for vetoing the lexicon's own (RULE_FLOOR trusts the lexicon more)
    end_to_end: dict[tuple[float, float], CorpusScore] = {}
    held_out = [[i for i, a in enumerate(articles) if fold_of_article[a.id] == f] for f in range(folds)]
    grid = sorted({(t, r) for t in THRESHOLDS for r in (min(RULE_FLOOR, t), t)})
    for threshold, rule_threshold in grid:
        total = CorpusScore([], Counts(), Counts())
        for f, (cue, content) in enumerate(fold_models):
            model = AttributionModel(_rescale(cue, temperature), content, threshold, rule_threshold)
            part = [articles[i] for i in held_out[f]]
            quotes = extract_quotes(part, [tables[i] for i in held_out[f]], lex, model)
            for s in evaluate([a.gold for a in part], quotes).documents:
                total.add(s)
        end_to_end[(threshold, rule_threshold)] = total
        log(f"thresholds {threshold}/{rule_threshold}: held-out attributed F1 {total.attributed.f1:.4f} "
            f"(P {total.attributed.precision:.4f}, R {total.attributed.recall:.4f})")
    # among the settings within F1_TOLERANCE of the best F1, the most precise one: a statement shown to an
    # analyst should be right more often than a missed one is missed
    best_f1 = max(end_to_end[t].attributed.f1 for t in grid)
    near_best = [t for t in grid if end_to_end[t].attributed.f1 >= best_f1 - F1_TOLERANCE]
    threshold, rule_threshold = max(near_best, key=lambda t: end_to_end[t].attributed.precision)
    rules = CorpusScore([], Counts(), Counts())
    for s in evaluate([a.gold for a in articles], extract_quotes(articles, tables, lex, None)).documents:
        rules.add(s)
    from newsgraph.learn.training import expected_calibration_error

    gold_cue = [r.label == "yes" for r in rows.cue]
    figures: dict = {
        "cross_validated": {
            "folds": folds,
            "cue": {**binary_figures(scaled, rows.cue, threshold),
                    "expected_calibration_error": round(expected_calibration_error(scaled, gold_cue), 4)},
            "content": choice_accuracy(content_cv, rows.content),
            "attribution": score_summary(end_to_end[(threshold, rule_threshold)]),
            "attribution_by_threshold": {f"{t}/{r}": score_summary(end_to_end[(t, r)])["attributed"]
                                         for t, r in grid},
        },
        "rules_only": {"train": score_summary(rules)},
    }
    version = f"{dt.date.today().isoformat()}-s{seed}"
    meta = {"version": version, "seed": seed, "date": dt.date.today().isoformat(), "data": data,
            "articles": len(articles), "attributions": sum(len(a.gold.attributions) for a in articles),
            "newsgraph": newsgraph.__version__, "threshold": threshold, "rule_threshold": rule_threshold,
            "temperature": round(temperature, 4)}
    cue = fit_component(rows.cue, CUE_C, seed, temperature, meta={"component": "cue", **meta})
    content = fit_component(rows.content, CONTENT_C, seed, meta={"component": "content", **meta})
    final = AttributionModel(cue, content, threshold, rule_threshold)
    resub = CorpusScore([], Counts(), Counts())
    for s in evaluate([a.gold for a in articles], extract_quotes(articles, tables, lex, final)).documents:
        resub.add(s)
    figures["resubstitution"] = score_summary(resub)
    if dev:
        dev_score = CorpusScore([], Counts(), Counts())
        dev_rules = CorpusScore([], Counts(), Counts())
        for total, model in ((dev_score, final), (dev_rules, None)):
            for s in evaluate([a.gold for a in dev], extract_quotes(dev, dev_tables, lex, model)).documents:
                total.add(s)
        figures["dev"] = score_summary(dev_score)
        figures["rules_only"]["dev"] = score_summary(dev_rules)
    for m in (cue, content):
        m.meta["figures"] = figures
    return TrainingResult(final, {**meta, "figures": figures})


def save(model: AttributionModel, directory: Path) -> None:
    model.cue.save(directory / "cue")
    model.content.save(directory / "content")


def train_from_corpus(train_dir: Path, out_dir: Path, *, dev_dir: Path | None = None, seed: int = SEED,
                      folds: int = FOLDS, limit: int | None = None, settings=None,
                      log: Callable[[str], None] = lambda _: None) -> dict:
    """Parse, train, save: what ``newsgraph train attribution`` does. Returns the report."""
    from newsgraph.config import Settings
    from newsgraph.extract.pipeline import build_pipeline

    settings = settings or Settings()
    nlp = build_pipeline(settings, exclude=("newsgraph_quotes", "newsgraph_quantities", "newsgraph_events"))
    log(f"parsing {train_dir}")
    articles = parse_corpus(nlp, train_dir, limit)
    dev = parse_corpus(nlp, dev_dir, limit) if dev_dir is not None else []
    lex = load_lexicon(settings.reporting_lexicons)
    data = f"{train_dir.parent.name}/{train_dir.name}" if train_dir.parent.name else train_dir.name
    result = train(articles, seed=seed, folds=folds, dev=dev, lex=lex, data=data, log=log)
    save(result.model, out_dir)
    return result.report
