"""Rows the query functions return (pydantic, so the API serves them as they are)."""

from __future__ import annotations

from typing import Generic, Literal, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class ActorRef(BaseModel):
    id: str
    name: str
    code: str | None = None
    country: str | None = None


class ActorBrief(BaseModel):
    id: str
    name: str


class SpanText(BaseModel):
    text: str
    start: int
    end: int


class QuantityRow(BaseModel):
    id: str
    text: str
    value: float
    unit: str | None = None
    item: str | None = None
    qualifier: str | None = None
    role: str | None = None


class EventLocationRow(BaseModel):
    """Where the event happened (``Event.geo``): the place, its point, and the basis with its evidence."""

    basis: str
    name: str
    feature: str | None = None
    gazetteer_id: str | None = None
    country: str | None = None
    region: str | None = None
    lat: float | None = None
    lon: float | None = None
    evidence: SpanText


class EventRow(BaseModel):
    id: str
    article_id: str
    date: str | None
    type: str
    mode: str | None = None
    context: list[str] = []
    cameo: str | None = None
    quad_class: int | None = None
    goldstein: float | None = None
    source: list[ActorRef] = []
    target: list[ActorRef] = []
    polarity: str
    modality: str
    attributed_to: ActorBrief | None = None
    quote_id: str | None = None
    trigger: SpanText
    evidence: SpanText
    also_evidence: list[SpanText] = []
    evidence_sentence: str
    location: str | None = None
    location_country: str | None = None
    geo: EventLocationRow | None = None
    quantities: list[QuantityRow] = []
    confidence: float = 1.0
    story_id: str | None = None
    duplicate_of: str | None = None
    article_title: str | None = None
    article_url: str | None = None
    article_source: str | None = None
    language: str | None = None
    coder_version: str | None = None
    ingested_at: str | None = None


class QuoteRow(BaseModel):
    id: str
    article_id: str
    date: str | None
    kind: str
    text: str
    start: int
    end: int
    speaker: ActorRef | None = None
    speaker_text: str | None = None
    speaker_organization: ActorRef | None = None  # the body or state the speaker speaks for
    cue: str | None = None
    addressee: ActorRef | None = None
    about: list[ActorRef] = []
    confidence: float = 1.0
    article_title: str | None = None
    article_url: str | None = None


class ActorRow(BaseModel):
    id: str
    name: str
    kind: str
    code: str | None = None
    country: str | None = None
    sector: str | None = None
    role: str | None = None
    organization_id: str | None = None
    organization: str | None = None
    wikidata: str | None = None
    cameo: str | None = None
    aliases: list[str] = []
    mention_count: int = 0
    event_count: int = 0
    quote_count: int = 0


class ActorDetail(ActorRow):
    events: list[EventRow] = []
    quotes: list[QuoteRow] = []


class ArticleRow(BaseModel):
    id: str
    title: str | None = None
    published: str | None = None
    source: str | None = None
    url: str | None = None
    language: str | None = None
    duplicate_of: str | None = None
    coder_version: str | None = None
    ingested_at: str
    actor_count: int = 0  # distinct canonical actors the article names
    event_count: int = 0
    quote_count: int = 0


class NetworkNode(BaseModel):
    id: str
    name: str
    kind: str
    code: str | None = None
    country: str | None = None
    mentions: int = 0


class NetworkEdge(BaseModel):
    source: str
    target: str
    verbal_cooperation: int = 0  # QuadClass 1
    material_cooperation: int = 0  # QuadClass 2
    verbal_conflict: int = 0  # QuadClass 3
    material_conflict: int = 0  # QuadClass 4
    total: int = 0
    net_score: float = 0.0  # (cooperation - conflict) / total, in [-1, 1]
    mean_goldstein: float | None = None


class Network(BaseModel):
    count: Literal["stories", "reports"]
    since: str | None = None
    until: str | None = None
    min_confidence: float | None = None  # the threshold in force: events below it are not counted
    hidden_events: int = 0  # counted events on the network's dyads below min_confidence
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]


class Period(BaseModel):
    period: str  # 2024-03-05 (day), 2024-W10 (ISO week), 2024-03 (month), or "undated"
    start: str | None = None  # None for the undated events
    end: str | None = None
    verbal_cooperation: int = 0
    material_cooperation: int = 0
    verbal_conflict: int = 0
    material_conflict: int = 0
    total: int = 0
    mean_goldstein: float | None = None


class StoryReport(BaseModel):
    event_id: str
    article_id: str
    date: str | None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    evidence: str


class Story(BaseModel):
    id: str
    type: str
    source: list[ActorRef]
    target: list[ActorRef]
    first_date: str | None
    last_date: str | None
    reports: int  # events stored for it
    articles: int  # distinct articles reporting it
    first_report: StoryReport


class DyadStats(BaseModel):
    total: int = 0
    cooperation: int = 0
    conflict: int = 0
    net_score: float = 0.0


class DyadChange(BaseModel):
    source: ActorRef
    target: ActorRef
    change: Literal["appeared", "disappeared", "cooperation_to_conflict", "conflict_to_cooperation"]
    before: DyadStats
    after: DyadStats
    previous_since: str
    previous_until: str


__all__ = [
    "ActorBrief",
    "ActorDetail",
    "ActorRef",
    "ActorRow",
    "ArticleRow",
    "DyadChange",
    "DyadStats",
    "EventLocationRow",
    "EventRow",
    "Network",
    "NetworkEdge",
    "NetworkNode",
    "Page",
    "Period",
    "QuantityRow",
    "QuoteRow",
    "SpanText",
    "Story",
    "StoryReport",
]
