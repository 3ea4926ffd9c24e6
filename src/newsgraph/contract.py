"""The extraction contract ``newsgraph.extraction/1``.

Every part of newsgraph speaks this: the extractor produces it, the store ingests it,
exports and the API serve it. Offsets are character offsets into the article text as given
(Python ``str`` indices, end exclusive). The JSON Schema in ``schema/extraction-1.json`` is
generated from these models (``newsgraph schema``) and checked by the tests.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_ID = "newsgraph.extraction/1"

ActorKind = Literal["person", "state", "organization", "group", "party"]
# Where an actor's ``role`` comes from: the article's own words, the knowledge base on the article's date
# (given, or bounded by the text), or the knowledge base when the date is unknown.
RoleBasis = Literal["text", "kb-dated", "kb-undated"]
QuoteKind = Literal["direct", "partial", "indirect"]
Polarity = Literal["positive", "negative"]
Modality = Literal["actual", "planned", "hypothetical", "conditional", "question"]
# What a stretch of a page's text is when it is not the article's news (newsgraph.ingest.boundaries).
ExcludedKind = Literal["comments", "related", "caption", "pullquote", "byline", "boilerplate"]
PloverType = Literal[
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
]
PLOVER_TYPES: tuple[str, ...] = PloverType.__args__  # type: ignore[attr-defined]
PlaceFeature = Literal["country", "region", "city", "area"]
LocationBasis = Literal["stated", "dateline", "actor-country"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Model):
    """A stretch of the article text: ``text == article_text[start:end]``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


class TextSpan(Span):
    text: str


class ExcludedSpan(Span):
    """A stretch of the text that is not the article's news: no quote or event is taken from it."""

    kind: ExcludedKind


class ModelInfo(_Model):
    name: str
    version: str


class Coder(_Model):
    """Who produced the extraction: every stored fact can be traced to it."""

    name: str = "newsgraph"
    version: str
    model: ModelInfo


class Article(_Model):
    id: str
    title: str | None = None
    published: str | None = Field(None, description="ISO date (YYYY-MM-DD)")
    dateline_place: str | None = None
    source: str | None = None
    url: str | None = None
    language: str | None = Field(None, description="ISO 639-1 code, detected")
    text_sha256: str
    excluded: list[ExcludedSpan] = Field(
        default_factory=list,
        description="reader comments, related-stories lists, captions, bylines and boilerplate found in the "
        "text: offsets into the whole text, which is not changed",
    )


class Mention(TextSpan):
    pass


class Actor(_Model):
    id: str = Field(description="stable within the extraction, e.g. 'a3'")
    name: str
    kind: ActorKind
    code: str | None = Field(
        None, description="ISO 3166-1 alpha-3 for states and their bodies; IGO, NGO, MNC..."
    )
    country: str | None = Field(None, description="ISO 3166-1 alpha-3 of the country the actor belongs to")
    sector: str | None = Field(None, description="GOV, MIL, LEG, JUD, MED, BUS, REB, OPP, CVL, IGO, NGO...")
    role: str | None = Field(None, description="title as in the text or knowledge base")
    organization: str | None = Field(None, description="actor id of the body the actor speaks for")
    party: str | None = Field(None, description="actor id of the person's political party")
    role_basis: RoleBasis | None = Field(
        None, description="where role comes from: text, kb-dated (KB on the article's date), kb-undated"
    )
    local: bool = Field(
        False,
        description="a generic or descriptive actor ('the government', 'ministers') known only in this "
        "article: never merged across articles by name, not a network node by default",
    )
    wikidata: str | None = None
    cameo: str | None = Field(None, description="CAMEO actor code, e.g. USAGOV")
    aliases: list[str] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)


class Place(_Model):
    """A place the article names, resolved to a gazetteer entry when the evidence decides which one."""

    id: str = Field(description="stable within the extraction, e.g. 'p2'")
    name: str = Field(description="the gazetteer's name, else the name as written")
    feature: PlaceFeature | None = Field(None, description="null: not resolved")
    gazetteer_id: str | None = Field(None, description="'geonames:<id>' or 'newsgraph:...' (docs/geo.md)")
    country: str | None = Field(None, description="ISO 3166-1 alpha-3 of the country it lies in (or is)")
    region: str | None = Field(None, description="first-level region it lies in (or is)")
    lat: float | None = Field(None, ge=-90.0, le=90.0)
    lon: float | None = Field(None, ge=-180.0, le=180.0)
    candidates: int = Field(0, ge=0, description="gazetteer entries the name can mean; 0: none known")
    actor: str | None = Field(None, description="actor id of the state this place is, when it is one")
    confidence: float = Field(1.0, ge=0.0, le=1.0)
    mentions: list[Mention] = Field(default_factory=list)


class EventLocation(_Model):
    """Where an event happened, and why newsgraph says so."""

    basis: LocationBasis = Field(
        description="stated: the text places the event; dateline: the article's dateline; "
        "actor-country: the country of the event's source (or target) actor"
    )
    place: str | None = Field(None, description="place id (null for an actor's country the text never names)")
    name: str
    feature: PlaceFeature | None = None
    gazetteer_id: str | None = None
    country: str | None = None
    region: str | None = None
    lat: float | None = Field(None, ge=-90.0, le=90.0)
    lon: float | None = Field(None, ge=-180.0, le=180.0)
    evidence: TextSpan = Field(description="the place's mention, the dateline, or the actor's mention")


class Quote(_Model):
    id: str
    kind: QuoteKind
    text: str
    start: int
    end: int
    parts: list[Span] = Field(default_factory=list, description="each piece of a split quote")
    speaker: str | None = Field(None, description="actor id")
    speaker_text: str | None = None
    speaker_span: Span | None = None
    speaker_organization: str | None = Field(
        None, description="actor id of the body or state the speaker speaks for ('a ministry spokesman')"
    )
    cue: str | None = None
    cue_span: Span | None = None
    addressee: str | None = Field(None, description="actor id of whoever is told")
    about: list[str] = Field(default_factory=list, description="actor ids the content names")
    sentence: Span | None = None
    confidence: float = Field(1.0, ge=0.0, le=1.0)


class ImpliedArgument(_Model):
    """An argument PLOVER's conventions fill where the text leaves it unsaid (a protest with no stated
    target is aimed at the protesters' own state; an act located in a state is coded against it). The actor
    is also in the event's ``source`` or ``target``; this says that it was inferred, why, and from which
    words."""

    role: Literal["source", "target"]
    actor: str = Field(description="actor id")
    basis: str
    evidence: TextSpan | None = None


class Event(_Model):
    id: str
    type: PloverType
    mode: str | None = None
    context: list[str] = Field(default_factory=list)
    cameo: str | None = None
    quad_class: int | None = Field(None, ge=1, le=4)
    goldstein: float | None = Field(None, ge=-10.0, le=10.0)
    source: list[str] = Field(default_factory=list, description="actor ids")
    target: list[str] = Field(default_factory=list, description="actor ids")
    polarity: Polarity = "positive"
    modality: Modality = "actual"
    promised: PloverType | None = Field(
        None, description="for a promise, threat, demand or refusal: the type of the act it is about"
    )
    implied: list[ImpliedArgument] = Field(
        default_factory=list, description="source or target actors filled by PLOVER's conventions"
    )
    attributed_to: str | None = Field(None, description="actor id of whoever asserts it; null: the article")
    quote: str | None = Field(None, description="quote id the event is stated in")
    trigger: TextSpan
    evidence: TextSpan
    also_evidence: list[TextSpan] = Field(
        default_factory=list, description="further statements of the same event"
    )
    date: str | None = None
    location: str | None = Field(None, description="place name (kept for older consumers; see geo)")
    location_country: str | None = None
    geo: EventLocation | None = Field(None, description="structured location (docs/geo.md)")
    quantities: list[str] = Field(default_factory=list, description="quantity ids")
    confidence: float = Field(1.0, ge=0.0, le=1.0)


class Quantity(_Model):
    id: str
    text: str
    start: int
    end: int
    value: float
    qualifier: str | None = None
    unit: str | None = None
    item: str | None = None
    currency: str | None = None
    role: str | None = Field(None, description="PLOVER field it fills: dead, injured, size, money...")


class ExtractionWarning(_Model):
    code: str
    message: str
    input: str | None = None


class Extraction(_Model):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_: Literal["newsgraph.extraction/1"] = Field(SCHEMA_ID, alias="schema")
    coder: Coder
    article: Article
    actors: list[Actor] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    quantities: list[Quantity] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    warnings: list[ExtractionWarning] = Field(default_factory=list)

    def to_json_dict(self) -> dict:
        return self.model_dump(mode="json", by_alias=True)

    def actor(self, actor_id: str | None) -> Actor | None:
        return next((a for a in self.actors if a.id == actor_id), None)


def json_schema() -> dict:
    schema = Extraction.model_json_schema(by_alias=True)
    schema["$id"] = "https://newsgraph.invalid/schema/extraction-1.json"
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = SCHEMA_ID
    return schema
