"""Throughput of ``Extractor.extract_many`` against plain ``nlp.pipe`` with the same spaCy model.

    .venv/bin/python benchmarks/extract_bench.py [--articles 200] [--shared ../shared] [--rounds 2]

The corpus is built offline: news paragraphs from examples/ (and, when present, the shared evaluation
texts: the seed article, re3d documents and PLOVER gold sentences) recombined with a fixed random seed
into real-size articles (a headline, a wire dateline and 450-750 words). Both sides see the same texts,
warm up first, and the best of ``--rounds`` runs counts (the machine is shared). Then each newsgraph
component is timed on its own over the same Docs, to show what it costs.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PLACES = ["WASHINGTON", "MOSCOW", "KYIV, Ukraine", "BEIJING", "BRUSSELS", "GENEVA", "SEOUL", "JERUSALEM",
          "LONDON", "CAIRO", "NEW DELHI", "TOKYO", "ANKARA", "DOHA", "BERLIN", "UNITED NATIONS"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def paragraphs(shared: Path | None) -> list[str]:
    """News paragraphs (one or more sentences each) from the examples and, if given, the shared texts."""
    texts: list[str] = [(REPO / "examples" / "ceasefire-talks.txt").read_text(encoding="utf-8")]
    for line in (REPO / "examples" / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            texts.append(json.loads(line)["text"])
    if shared is not None and shared.is_dir():
        seed = shared / "seeds" / "seed-article.txt"
        if seed.is_file():
            texts.append(seed.read_text(encoding="utf-8"))
        for docs in sorted((shared / "eval" / "re3d-open").glob("*/documents.json")):
            for line in docs.read_text(encoding="utf-8").splitlines():
                line = line.strip()
                if line.startswith("{"):
                    try:
                        texts.append(json.loads(line)["text"])
                    except (ValueError, KeyError):
                        continue
        gsr = shared / "eval" / "plover-gsr-dev.json"
        if gsr.is_file():
            sentences = [r["text"] for r in json.loads(gsr.read_text(encoding="utf-8")) if r.get("text")]
            texts += [" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3)]
    out: list[str] = []
    for text in texts:
        for para in text.split("\n"):
            para = para.strip()
            if len(para.split()) >= 12:  # body paragraphs, not headlines
                out.append(para)
    return out


def make_articles(paras: list[str], n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    articles = []
    for _ in range(n):
        target = rng.randint(450, 750)
        body: list[str] = []
        words = 0
        while words < target:
            p = rng.choice(paras)
            body.append(p)
            words += len(p.split())
        headline = " ".join(w.capitalize() for w in rng.choice(paras).split()[:8]).rstrip(",.;:")
        date = f"{rng.choice(MONTHS)} {rng.randint(1, 28)}, {rng.randint(2015, 2025)}"
        dateline = f"{rng.choice(PLACES)}, {date} – "
        articles.append(f"{headline}\n\n{dateline}" + "\n\n".join(body))
    return articles


def best_of(rounds: int, fn) -> float:
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()

    import spacy

    from newsgraph.config import Settings
    from newsgraph.extract.pipeline import COMPONENTS, Extractor
    from newsgraph.ingest.readers import ArticleInput

    texts = make_articles(paragraphs(args.shared), args.articles)
    n_words = sum(len(t.split()) for t in texts)
    inputs = [ArticleInput(text=t, id=f"bench-{i}") for i, t in enumerate(texts)]
    settings = Settings(batch_size=args.batch_size)

    plain = spacy.load(settings.model)
    extractor = Extractor(settings)
    list(plain.pipe(texts[:8]))  # warm-up
    list(extractor.extract_many(inputs[:8]))

    t_plain = t_full = float("inf")
    for _ in range(args.rounds):  # alternate, so both sides see the same machine load
        t_plain = min(t_plain, best_of(1, lambda: list(plain.pipe(texts, batch_size=args.batch_size))))
        t_full = min(t_full, best_of(1, lambda: list(extractor.extract_many(inputs))))

    # What each newsgraph component costs, on Docs the statistical model has already annotated.
    nlp = extractor.nlp
    with nlp.select_pipes(disable=list(COMPONENTS)):
        docs = list(nlp.pipe([extractor._prepare(a) for a in inputs], batch_size=args.batch_size))
    costs: dict[str, float] = {}
    for name in COMPONENTS:
        component = nlp.get_pipe(name)
        t0 = time.perf_counter()
        for doc in docs:
            component(doc)
        costs[name] = time.perf_counter() - t0
    # Components that run before the parser (sentence boundaries) work on bare tokens: timed on fresh Docs.
    for name in [n for n in nlp.pipe_names if n.startswith("newsgraph_") and n not in COMPONENTS]:
        component = nlp.get_pipe(name)
        bare = [nlp.make_doc(t) for t in texts]
        t0 = time.perf_counter()
        for doc in bare:
            component(doc)
        costs[name] = time.perf_counter() - t0

    n = len(texts)
    print(f"articles: {n}  words: {n_words:,}  model: {settings.model}  batch size: {args.batch_size}")
    print(f"plain nlp.pipe:          {n / t_plain:7.1f} articles/s  {n_words / t_plain:9,.0f} words/s")
    print(f"Extractor.extract_many:  {n / t_full:7.1f} articles/s  {n_words / t_full:9,.0f} words/s")
    print(f"ratio (extract / plain): {t_plain / t_full:.2f}   (target >= 0.70)")
    print("component costs (ms per article, share of plain nlp.pipe time):")
    for name, cost in costs.items():
        print(f"  {name:22s} {1000 * cost / len(texts):6.2f} ms  {100 * cost / t_plain:5.1f} %")


if __name__ == "__main__":
    main()
