"""Deterministic synthetic news articles for smoke tests and benchmarks of batch runs.

Real public figures and countries in sentences written for this purpose; the same ``seed`` always
gives the same articles, so two runs (or two engines) can be compared article by article.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from newsgraph.ingest.readers import ArticleInput


@dataclass(frozen=True)
class _Figure:
    name: str
    surname: str
    role: str
    country: str
    capital: str


_FIGURES = (
    _Figure("Emmanuel Macron", "Macron", "President", "France", "PARIS"),
    _Figure("Olaf Scholz", "Scholz", "Chancellor", "Germany", "BERLIN"),
    _Figure("Narendra Modi", "Modi", "Prime Minister", "India", "NEW DELHI"),
    _Figure("Luiz Inacio Lula da Silva", "Lula", "President", "Brazil", "BRASILIA"),
    _Figure("Fumio Kishida", "Kishida", "Prime Minister", "Japan", "TOKYO"),
    _Figure("Cyril Ramaphosa", "Ramaphosa", "President", "South Africa", "PRETORIA"),
    _Figure("Recep Tayyip Erdogan", "Erdogan", "President", "Turkey", "ANKARA"),
    _Figure("Antony Blinken", "Blinken", "Secretary of State", "the United States", "WASHINGTON"),
)

_VERBS = (
    ("agreed to expand trade with", "after two days of talks"),
    ("accused", "of violating the ceasefire"),
    ("threatened to impose sanctions on", "over the border dispute"),
    ("met", "to discuss energy security"),
    ("condemned", "for the missile strikes"),
    ("pledged humanitarian aid to", "after the floods"),
    ("rejected a proposal from", "on fishing rights"),
    ("called on", "to release the detained journalists"),
)

_QUOTES = (
    "We will not accept any change to the borders by force",
    "This agreement opens a new chapter between our two countries",
    "Our patience has limits and the world should know it",
    "Dialogue remains the only way forward",
    "The sanctions will stay in place until the troops withdraw",
    "We are ready to send doctors and engineers within days",
)

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def _paragraph(rng: random.Random) -> str:
    a, b = rng.sample(_FIGURES, 2)
    verb = rng.choice(_VERBS)
    quote = rng.choice(_QUOTES)
    return (f"Earlier this month {a.role} {a.name} {verb[0]} {b.country} {verb[1]}. "
            f"\"{quote},\" {a.surname} said in a speech in {a.capital.title()}. "
            f"{b.surname} did not respond to a request for comment, and officials in {b.capital.title()} "
            f"said talks would resume within {rng.randrange(2, 30)} days.")


def synthetic_articles(count: int, seed: int = 7, extra_paragraphs: int = 0) -> list[ArticleInput]:
    """``count`` articles with a speaker, a quote and one or two events each.

    About 460 bytes each; every one of ``extra_paragraphs`` adds about 330 bytes of background
    (news articles are typically 2-5 KB: use 6-12 for realistic throughput figures).
    """
    rng = random.Random(seed)
    out: list[ArticleInput] = []
    for n in range(count):
        a, b = rng.sample(_FIGURES, 2)
        first, second = rng.sample(_VERBS, 2)
        quote = rng.choice(_QUOTES)
        month, day = rng.randrange(12), rng.randrange(1, 28)
        published = f"2024-{month + 1:02d}-{day:02d}"
        first_country = a.country.removeprefix("the ")
        title = f"{first_country[0].upper()}{first_country[1:]} and {b.country.removeprefix('the ')} in talks"
        body = (
            f"{a.capital}, {_MONTHS[month]} {day} (Reuters) - {a.role} {a.name} of {a.country} "
            f"{first[0]} {b.country} on Tuesday, officials said.\n\n"
            f"\"{quote},\" {a.surname} told reporters after the meeting.\n\n"
            f"{b.role} {b.name} {second[0]} {a.country} {second[1]}, according to a statement.\n\n"
            f"The talks in {a.capital.title()} lasted {rng.randrange(2, 9)} hours and {rng.randrange(3, 40)} "
            f"delegates took part, a government spokesman said."
        )
        background = "".join(f"\n\n{_paragraph(rng)}" for _ in range(extra_paragraphs))
        out.append(ArticleInput(text=f"{title}\n\n{body}{background}\n", id=f"syn-{seed}-{n:05d}",
                                title=title, published=published, source="synthetic",
                                origin=f"synthetic#{n}"))
    return out


def iter_jsonl_records(articles: list[ArticleInput]) -> Iterator[str]:
    for art in articles:
        yield json.dumps({"id": art.id, "title": art.title, "published": art.published, "source": art.source,
                          "text": art.text}, ensure_ascii=False)


def write_jsonl_corpus(directory: Path, articles: list[ArticleInput], per_file: int) -> list[Path]:
    """Write ``articles`` as JSONL files of ``per_file`` records each (``part-00000.jsonl`` ...)."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(0, len(articles), per_file):
        path = directory / f"part-{i // per_file:05d}.jsonl"
        path.write_text("\n".join(iter_jsonl_records(articles[i:i + per_file])) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
