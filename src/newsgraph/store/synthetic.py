"""Synthetic extractions for tests and the benchmark: valid ``Extraction`` documents built from
sentences, with offsets that point into the text the builder writes."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from newsgraph.contract import (
    Actor,
    Article,
    Coder,
    Event,
    Extraction,
    Mention,
    ModelInfo,
    Quantity,
    Quote,
    Span,
    TextSpan,
)

QUAD_OF_TYPE = {
    "AGREE": 1,
    "CONSULT": 1,
    "SUPPORT": 1,
    "CONCEDE": 1,
    "REQUEST": 1,
    "COOPERATE": 2,
    "AID": 2,
    "RETREAT": 2,
    "ACCUSE": 3,
    "REJECT": 3,
    "THREATEN": 3,
    "PROTEST": 3,
    "SANCTION": 4,
    "MOBILIZE": 4,
    "COERCE": 4,
    "ASSAULT": 4,
}
GOLDSTEIN_OF_QUAD = {1: 3.0, 2: 6.0, 3: -4.0, 4: -8.0}


@dataclass
class ExtractionBuilder:
    article_id: str
    published: str | None = "2024-03-01"
    title: str | None = None
    url: str | None = None
    source: str | None = None
    coder_version: str = "test-1"
    text: str = ""
    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)

    def add_sentence(self, sentence: str) -> tuple[int, int]:
        if self.text:
            self.text += " "
        start = len(self.text)
        self.text += sentence
        return start, len(self.text)

    def actor(
        self,
        name: str,
        kind: str = "state",
        *,
        code: str | None = None,
        country: str | None = None,
        wikidata: str | None = None,
        sector: str | None = None,
        role: str | None = None,
        organization: str | None = None,
        aliases: Sequence[str] = (),
        local: bool = False,
    ) -> str:
        actor_id = f"a{len(self.actors) + 1}"
        self.actors.append(
            Actor(
                id=actor_id,
                name=name,
                kind=kind,
                code=code,
                country=country,  # type: ignore[arg-type]
                wikidata=wikidata,
                sector=sector,
                role=role,
                organization=organization,
                aliases=list(aliases),
                local=local,
            )
        )
        return actor_id

    def _mention_all(self, start: int, end: int) -> None:
        for actor in self.actors:
            for name in [actor.name, *actor.aliases]:
                pos = self.text.find(name, start, end)
                while pos != -1:
                    actor.mentions.append(Mention(start=pos, end=pos + len(name), text=name))
                    pos = self.text.find(name, pos + len(name), end)

    def _span(self, start: int, end: int, needle: str) -> TextSpan:
        pos = self.text.find(needle, start, end)
        if pos == -1:
            raise ValueError(f"{needle!r} is not in the sentence")
        return TextSpan(start=pos, end=pos + len(needle), text=needle)

    def event(
        self,
        type: str,
        source: Sequence[str],
        target: Sequence[str],
        sentence: str,
        trigger: str,
        *,
        polarity: str = "positive",
        modality: str = "actual",
        attributed_to: str | None = None,
        date: str | None = None,
        quantities: Sequence[tuple[str, float, str | None, str | None, str | None]] = (),
        quad_class: int | None = None,
        goldstein: float | None = None,
        quote: str | None = None,
        also: Sequence[str] = (),
        confidence: float = 1.0,
    ) -> str:
        start, end = self.add_sentence(sentence)
        self._mention_all(start, end)
        quantity_ids = []
        for qtext, value, unit, item, role in quantities:
            span = self._span(start, end, qtext)
            qid = f"n{len(self.quantities) + 1}"
            self.quantities.append(
                Quantity(
                    id=qid,
                    text=qtext,
                    start=span.start,
                    end=span.end,
                    value=value,
                    unit=unit,
                    item=item,
                    role=role,
                )
            )
            quantity_ids.append(qid)
        also_spans = []
        for extra in also:
            s2, e2 = self.add_sentence(extra)
            self._mention_all(s2, e2)
            also_spans.append(TextSpan(start=s2, end=e2, text=extra))
        quad = quad_class if quad_class is not None else QUAD_OF_TYPE[type]
        event_id = f"e{len(self.events) + 1}"
        self.events.append(
            Event(
                id=event_id,
                type=type,
                source=list(source),
                target=list(target),
                polarity=polarity,  # type: ignore[arg-type]
                modality=modality,
                attributed_to=attributed_to,
                trigger=self._span(start, end, trigger),  # type: ignore[arg-type]
                evidence=TextSpan(start=start, end=end, text=sentence),
                also_evidence=also_spans,
                date=date,
                quantities=quantity_ids,
                quad_class=quad,
                goldstein=goldstein if goldstein is not None else GOLDSTEIN_OF_QUAD[quad],
                quote=quote,
                confidence=confidence,
            )
        )
        return event_id

    def quote(
        self,
        speaker: str | None,
        said: str,
        *,
        cue: str = "said",
        kind: str = "direct",
        about: Sequence[str] = (),
        speaker_text: str | None = None,
        speaker_organization: str | None = None,
    ) -> str:
        who = speaker_text or (self._actor(speaker).name if speaker else "someone")
        sentence = f'"{said}," {who} {cue}.'
        start, end = self.add_sentence(sentence)
        self._mention_all(start, end)
        quote_id = f"q{len(self.quotes) + 1}"
        qstart = start + 1
        self.quotes.append(
            Quote(
                id=quote_id,
                kind=kind,
                text=said,
                start=qstart,
                end=qstart + len(said),  # type: ignore[arg-type]
                parts=[Span(start=qstart, end=qstart + len(said))],
                speaker=speaker,
                speaker_text=who,
                speaker_organization=speaker_organization,
                cue=cue,
                about=list(about),
                sentence=Span(start=start, end=end),
            )
        )
        return quote_id

    def _actor(self, actor_id: str) -> Actor:
        return next(a for a in self.actors if a.id == actor_id)

    def add_text(self, text: str) -> None:
        start, end = self.add_sentence(text)
        self._mention_all(start, end)

    def build(self) -> tuple[Extraction, str]:
        text = self.text
        article = Article(
            id=self.article_id,
            title=self.title,
            published=self.published,
            source=self.source,
            url=self.url,
            language="en",
            text_sha256=hashlib.sha256(text.encode()).hexdigest(),
        )
        coder = Coder(version=self.coder_version, model=ModelInfo(name="synthetic", version="1"))
        return Extraction(
            coder=coder,
            article=article,
            actors=self.actors,
            quotes=self.quotes,
            events=self.events,
            quantities=self.quantities,
        ), text


STATES = [
    ("United States", "USA"),
    ("Russia", "RUS"),
    ("China", "CHN"),
    ("Ukraine", "UKR"),
    ("North Korea", "PRK"),
    ("Iran", "IRN"),
    ("Israel", "ISR"),
    ("Germany", "DEU"),
    ("France", "FRA"),
    ("United Kingdom", "GBR"),
    ("Japan", "JPN"),
    ("South Korea", "KOR"),
    ("India", "IND"),
    ("Pakistan", "PAK"),
    ("Turkey", "TUR"),
    ("Syria", "SYR"),
    ("Poland", "POL"),
    ("Belarus", "BLR"),
    ("Saudi Arabia", "SAU"),
    ("Egypt", "EGY"),
    ("Brazil", "BRA"),
    ("Venezuela", "VEN"),
    ("Taiwan", "TWN"),
    ("Serbia", "SRB"),
    ("Kosovo", "XKX"),
]


def random_extractions(
    n_articles: int,
    *,
    events_per_article: int = 5,
    seed: int = 7,
    start: dt.date = dt.date(2023, 1, 1),
    days: int = 730,
    n_states: int = 25,
) -> Iterator[Extraction]:
    """A reproducible stream of articles with random dyadic events between states (no article text), their
    confidence uniform in [0.2, 1]."""
    rng = random.Random(seed)
    confidence = random.Random(seed + 1)  # its own stream: the events are the same as without it
    states = STATES[:n_states]
    types = list(QUAD_OF_TYPE)
    for i in range(n_articles):
        day = start + dt.timedelta(days=rng.randrange(days))
        b = ExtractionBuilder(
            f"syn-{i:07d}",
            published=day.isoformat(),
            title=f"Report {i}",
            url=f"https://news.example/{i}",
            coder_version="bench-1",
        )
        for _ in range(events_per_article):
            (sname, scode), (tname, tcode) = rng.sample(states, 2)
            ids = {a.name: a.id for a in b.actors}
            sid = ids.get(sname) or b.actor(sname, "state", code=scode, country=scode)
            tid = ids.get(tname) or b.actor(tname, "state", code=tcode, country=tcode)
            etype = rng.choice(types)
            b.event(
                etype,
                [sid],
                [tid],
                f"{sname} acted towards {tname} ({etype.lower()}) in case {rng.randrange(10**6)}.",
                "acted",
                date=day.isoformat(),
                confidence=round(confidence.uniform(0.2, 1.0), 2),
            )
        yield b.build()[0]


def demo_corpus() -> list[tuple[Extraction, str]]:
    """A small hand-written world for tests: a wire story and its syndicated copy, a second outlet
    reporting the same delivery, negated and planned events, a claimant, quotes, and dyads that
    appear, disappear and turn from cooperation to conflict between two periods."""
    out = []

    def states(b: ExtractionBuilder) -> dict[str, str]:
        return {
            "PRK": b.actor("North Korea", code="PRK", country="PRK", wikidata="Q423", aliases=["Pyongyang"]),
            "RUS": b.actor("Russia", code="RUS", country="RUS", wikidata="Q159", aliases=["Moscow"]),
        }

    # 1. The wire story.
    b = ExtractionBuilder(
        "wire-1",
        published="2024-03-04",
        title="North Korea delivers shells to Russia",
        url="https://wire.example/world/nk-shells?utm_source=rss",
        source="Wire Service",
    )
    s = states(b)
    state_dept = b.actor("State Department", "organization", code="USA", country="USA", sector="GOV")
    miller = b.actor(
        "Matthew Miller", "person", country="USA", sector="GOV", role="spokesman", organization=state_dept
    )
    ukr = b.actor("Ukraine", code="UKR", country="UKR", wikidata="Q212")
    chn = b.actor("China", code="CHN", country="CHN", wikidata="Q148")
    b.add_text("WASHINGTON (Wire) - North Korea delivers shells to Russia.")
    b.event(
        "AID",
        [s["PRK"]],
        [s["RUS"]],
        "North Korea has delivered 5,000 artillery shells to Russia in recent weeks, "
        "spokesman Matthew Miller told reporters on Monday.",
        "delivered",
        attributed_to=miller,
        quantities=[("5,000 artillery shells", 5000, "shells", "artillery shells", "size")],
    )
    b.quote(miller, "We will hold both governments to account for this trade", about=[s["PRK"], s["RUS"]])
    b.event(
        "ASSAULT",
        [s["RUS"]],
        [ukr],
        "Officials said Russia did not strike the port of Odesa overnight.",
        "strike",
        polarity="negative",
    )
    b.event(
        "AID",
        [chn],
        [ukr],
        "China plans to send humanitarian supplies to Ukraine next month.",
        "send",
        modality="planned",
    )
    b.add_text(
        "The shipments have continued for months despite sanctions, analysts at several research groups "
        "in Seoul and Washington said in a joint assessment published this week."
    )
    wire = b.build()
    out.append(wire)

    # 2. A syndicated copy of the wire story: another headline and URL, one more sentence.
    ex, text = wire
    copy_text = text + " Editing by a regional desk."
    copy = ex.model_copy(deep=True)
    copy.article.id = "paper-copy"
    copy.article.title = "Shells from North Korea reach Russia"
    copy.article.url = "https://regional.example/2024/03/04/shells"
    copy.article.source = "Regional Daily"
    copy.article.text_sha256 = hashlib.sha256(copy_text.encode()).hexdigest()
    out.append((copy, copy_text))

    # 3. Another outlet reports the same delivery in its own words; NATO's chief speaks about China.
    b = ExtractionBuilder(
        "paper-2",
        published="2024-03-05",
        title="Pyongyang arms Moscow, officials say",
        url="https://paper.example/pyongyang-arms",
        source="The Paper",
    )
    s = states(b)
    chn = b.actor("China", code="CHN", country="CHN", wikidata="Q148")
    nato = b.actor("NATO", "organization", code="IGO", wikidata="Q7184", sector="IGO")
    stoltenberg = b.actor(
        "Jens Stoltenberg", "person", country="NOR", sector="IGO", role="Secretary General", organization=nato
    )
    b.event(
        "AID",
        [s["PRK"]],
        [s["RUS"]],
        "Pyongyang delivered more artillery shells to Moscow last week, according to officials.",
        "delivered",
    )
    b.quote(stoltenberg, "China cannot have it both ways", about=[chn])
    b.quote(stoltenberg, "Beijing is fuelling the largest war in Europe in decades", about=[chn])
    b.event(
        "ACCUSE", [stoltenberg], [chn], "Jens Stoltenberg accused China of prolonging the war.", "accused"
    )
    out.append(b.build())

    # 4. A month later: fighting, sanctions and a threat.
    b = ExtractionBuilder(
        "paper-3",
        published="2024-04-10",
        title="Strikes and sanctions",
        url="https://paper.example/strikes",
        source="The Paper",
    )
    s = states(b)
    ukr = b.actor("Ukraine", code="UKR", country="UKR", wikidata="Q212")
    usa = b.actor("United States", code="USA", country="USA", wikidata="Q30", aliases=["Washington"])
    b.event(
        "ASSAULT",
        [s["RUS"]],
        [ukr],
        "Russia shelled the city of Kharkiv overnight, Ukrainian officials said.",
        "shelled",
    )
    b.event(
        "SANCTION",
        [usa],
        [s["PRK"]],
        "The United States imposed sanctions on North Korean shipping firms.",
        "imposed sanctions",
        date="2024-04-12",
    )
    b.event(
        "THREATEN", [usa], [s["RUS"]], "The United States warned Russia of severe consequences.", "warned"
    )
    out.append(b.build())

    # 5. The earlier period: talks between Washington and Moscow, and a Franco-German agreement.
    b = ExtractionBuilder(
        "paper-4",
        published="2024-02-10",
        title="Talks in Geneva",
        url="https://paper.example/talks",
        source="The Paper",
    )
    usa = b.actor("United States", code="USA", country="USA", wikidata="Q30")
    rus = b.actor("Russia", code="RUS", country="RUS", wikidata="Q159")
    fra = b.actor("France", code="FRA", country="FRA", wikidata="Q142")
    deu = b.actor("Germany", code="DEU", country="DEU", wikidata="Q183")
    b.event(
        "CONSULT",
        [usa],
        [rus],
        "The United States and Russia held talks in Geneva on arms control.",
        "held talks",
    )
    b.event(
        "AGREE",
        [fra],
        [deu],
        "France agreed with Germany on a joint defence fund.",
        "agreed",
        date="2024-01-20",
    )
    out.append(b.build())
    return out
