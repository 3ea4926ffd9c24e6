"""REST endpoints under /api, mirroring the CLI queries and their filters."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from newsgraph import query as q
from newsgraph.api.models import AccessOut, ArticleOut, ArticleSubmission, PageOut, ProblemOut
from newsgraph.api.problems import Problem
from newsgraph.api.security import Caller, RateLimiter, identify
from newsgraph.api.services import Services
from newsgraph.contract import PLOVER_TYPES, Extraction
from newsgraph.ingest.readers import ArticleInput

Limit = Annotated[int, Query(ge=1, le=1000, description="page size")]
Offset = Annotated[int, Query(ge=0, description="items to skip")]
Since = Annotated[dt.date | None, Query(description="earliest date, YYYY-MM-DD (inclusive)")]
Until = Annotated[dt.date | None, Query(description="latest date, YYYY-MM-DD (inclusive)")]
Types = Annotated[list[str] | None, Query(description="PLOVER event type(s); repeat or comma-separate")]
Country = Annotated[list[str] | None, Query(description="where it happened: ISO 3166-1 alpha-3 code(s); "
                                                      "repeat or comma-separate")]
Region = Annotated[str | None, Query(description="where it happened: a first-level region, e.g. Nineveh")]
BBox = Annotated[str | None, Query(description="where it happened: west,south,east,north in degrees",
                                   examples=["35,29,49,38"])]
CountBy = Annotated[Literal["stories", "reports"], Query(description="count stories (default) or reports")]
MinConfidence = Annotated[float | None, Query(ge=0.0, le=1.0, description="only events of at least this "
                                                                          "confidence (0-1)")]


def services(request: Request) -> Services:
    return request.app.state.services


def _caller(request: Request, *, write: bool) -> Caller:
    st = request.app.state
    caller = identify(request.headers.get("authorization"), request.client.host if request.client else None,
                      st.api_key_digests, key_required=write or st.private,
                      purpose="Writing" if write else "Reading on this private server")
    limiter: RateLimiter = st.rate_limiter
    limiter.check(caller.identity)
    return caller


def reader(request: Request) -> Caller:
    return _caller(request, write=False)


def writer(request: Request) -> Caller:
    return _caller(request, write=True)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _types(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    out = [v.strip().upper() for raw in values for v in raw.split(",") if v.strip()]
    bad = [v for v in out if v not in PLOVER_TYPES]
    if bad:
        raise Problem(422, f"Unknown event type(s) {', '.join(bad)}; "
                      f"use PLOVER types: {', '.join(PLOVER_TYPES)}.",
                      kind="validation-error", title="Invalid request")
    return out or None


def _bbox(value: str | None) -> str | None:
    try:
        q.parse_bbox(value)
    except ValueError as err:
        raise Problem(422, f"bbox: {err}.", kind="validation-error", title="Invalid request") from err
    return value


def _countries(values: list[str] | None) -> list[str] | None:
    return [c.strip().upper() for v in values or () for c in v.split(",") if c.strip()] or None


def _slice(items: list[Any], limit: int, offset: int) -> Any:
    """Pagination for query functions that return whole lists (timeline, changes)."""
    return {"items": items[offset:offset + limit], "total": len(items),
            "limit": limit, "offset": offset}


_problem = {"model": ProblemOut, "content": {"application/problem+json": {}}}
router = APIRouter(prefix="/api", responses={
    401: {**_problem, "description": "API key missing or invalid"},
    422: {**_problem, "description": "Invalid parameters or body"},
    429: {**_problem, "description": "Rate limit exceeded (see Retry-After)"},
})
Read = Annotated[Caller, Depends(reader)]
Write = Annotated[Caller, Depends(writer)]
Svc = Annotated[Services, Depends(services)]


@router.get("/access", tags=["access"], response_model=AccessOut,
            summary="What the caller may do: checks the API key sent, if any (401 when it is not valid)")
def access(request: Request, caller: Read) -> Any:
    st = request.app.state
    return {"private": st.private, "key": "valid" if caller.authenticated else "none",
            "read": True, "write": caller.authenticated}


@router.get("/articles", tags=["articles"], response_model=q.Page[q.ArticleRow],
            summary="List stored articles")
def list_articles(_: Read, svc: Svc, search: str | None = None, since: Since = None, until: Until = None,
                  limit: Limit = 50, offset: Offset = 0) -> Any:
    return q.list_articles(svc.store, search=search, since=_iso(since), until=_iso(until),
                           limit=limit, offset=offset)


@router.get("/articles/{article_id:path}", tags=["articles"], response_model=ArticleOut,
            summary="One article with its text and extraction")
def get_article(article_id: str, _: Read, svc: Svc) -> Any:
    extraction = q.get_article(svc.store, article_id)
    if extraction is None:
        raise Problem(404, f"No article with id '{article_id}'.", kind="article-not-found")
    return {"id": article_id, "text": q.get_article_text(svc.store, article_id),
            "extraction": extraction.to_json_dict()}


@router.get("/events", tags=["queries"], response_model=q.Page[q.EventRow], summary="Events")
def list_events(_: Read, svc: Svc,
                actor: Annotated[str | None, Query(description="actor id, code or name")] = None,
                source: str | None = None, target: str | None = None, type: Types = None,
                since: Since = None, until: Until = None,
                claimed_by: Annotated[str | None, Query(description="who asserts the event")] = None,
                article: Annotated[str | None, Query(description="article id")] = None,
                country: Country = None, region: Region = None, bbox: BBox = None,
                min_confidence: MinConfidence = None,
                all: Annotated[bool, Query(description="include negated and non-actual events")] = False,
                limit: Limit = 50, offset: Offset = 0) -> Any:
    where = q.EventFilter(actor=actor, source=source, target=target, type=_types(type), since=_iso(since),
                          until=_iso(until), claimed_by=claimed_by, article=article,
                          country=_countries(country), region=region, bbox=_bbox(bbox),
                          min_confidence=min_confidence, include_all=all)
    return q.list_events(svc.store, where, limit=limit, offset=offset)


@router.get("/events.geojson", tags=["queries"], summary="Events on a map (GeoJSON)",
            responses={200: {"content": {"application/geo+json": {}},
                             "description": "a FeatureCollection: one Point per located event"}})
def events_geojson(_: Read, svc: Svc,
                   actor: Annotated[str | None, Query(description="actor id, code or name")] = None,
                   type: Types = None, since: Since = None, until: Until = None,
                   country: Country = None, region: Region = None, bbox: BBox = None,
                   all: Annotated[bool, Query(description="include negated and non-actual events")] = False,
                   limit: Annotated[int, Query(ge=1, le=20000, description="most events returned")] = 5000
                   ) -> Any:
    """The located events matching the filters (newest first, at most ``limit``) as GeoJSON, the Map
    view's data; ``newsgraph export --format geojson`` writes the same Features."""
    from newsgraph.export.geojson import feature_collection

    where = q.EventFilter(actor=actor, type=_types(type), since=_iso(since), until=_iso(until),
                          country=_countries(country), region=region, bbox=_bbox(bbox), located=True,
                          include_all=all)
    page = q.list_events(svc.store, where, limit=limit, offset=0)
    body = feature_collection(page.items)
    body["total"] = page.total
    return JSONResponse(body, media_type="application/geo+json")


@router.get("/quotes", tags=["queries"], response_model=q.Page[q.QuoteRow], summary="Quotes")
def list_quotes(_: Read, svc: Svc,
                speaker: Annotated[str | None, Query(
                    description="quotes by this actor: itself, or its spokesman, official or member")] = None,
                about: Annotated[str | None, Query(description="quotes that mention this actor")] = None,
                since: Since = None, until: Until = None,
                search: Annotated[str | None, Query(description="text search in the quote")] = None,
                limit: Limit = 50, offset: Offset = 0) -> Any:
    return q.list_quotes(svc.store, speaker=speaker, about=about, since=_iso(since), until=_iso(until),
                         search=search, limit=limit, offset=offset)


@router.get("/actors", tags=["queries"], response_model=q.Page[q.ActorRow],
            summary="Actors with mention, event and quote counts")
def list_actors(_: Read, svc: Svc, name: str | None = None,
                kind: Literal["person", "state", "organization", "group", "party"] | None = None,
                country: Annotated[str | None, Query(description="ISO 3166-1 alpha-3")] = None,
                limit: Limit = 50, offset: Offset = 0) -> Any:
    return q.list_actors(svc.store, name=name, kind=kind, country=country, limit=limit, offset=offset)


@router.get("/actors/{actor_id}", tags=["queries"], response_model=q.ActorDetail,
            summary="One actor (by id, code, Wikidata id or name) with its recent events and quotes")
def get_actor(actor_id: str, _: Read, svc: Svc) -> Any:
    detail = q.get_actor(svc.store, actor_id)
    if detail is None:
        raise Problem(404, f"No actor with the id, code, Wikidata id or name '{actor_id}'.",
                      kind="actor-not-found")
    return detail


@router.get("/network", tags=["queries"], response_model=q.Network,
            summary="Actor network: nodes and dyad edges with QuadClass counts (not paginated: one graph)")
def network(request: Request, _: Read, svc: Svc, since: Since = None, until: Until = None, type: Types = None,
            min_count: Annotated[int, Query(ge=1, description="drop edges seen fewer times")] = 1,
            count: CountBy = "stories",
            include_local: Annotated[bool, Query(description="also article-local actors ('ministers')")]
            = False,
            min_confidence: Annotated[float | None, Query(
                ge=0.0, le=1.0, description="leave out events below this confidence; default: the server's "
                "network_min_confidence (0.5); 0 keeps all. The answer says the threshold in force and how "
                "many events it left out (hidden_events)")] = None) -> Any:
    types = _types(type)
    threshold = svc.settings.network_min_confidence if min_confidence is None else min_confidence

    def compute() -> bytes:
        return q.network(svc.store, since=_iso(since), until=_iso(until), types=types, min_count=min_count,
                         count=count, include_local=include_local,
                         min_confidence=threshold).model_dump_json().encode("utf-8")

    key = ("network", _iso(since), _iso(until), tuple(sorted(set(types or ()))), min_count, count,
           include_local, threshold)
    return svc.cached_json(request, key, compute)


@router.get("/timeline", tags=["queries"], response_model=PageOut[q.Period],
            summary="Counts per QuadClass over time for an actor or a dyad")
def timeline(_: Read, svc: Svc,
             actor: Annotated[str | None, Query(description="actor id, code or name")] = None,
             dyad: Annotated[str | None, Query(description="two actors as 'A:B'")] = None,
             by: Literal["day", "week", "month"] = "month", since: Since = None, until: Until = None,
             count: CountBy = "stories", min_confidence: MinConfidence = None,
             limit: Limit = 1000, offset: Offset = 0) -> Any:
    if (actor is None) == (dyad is None):
        raise Problem(422, "Give exactly one of 'actor' or 'dyad' (as 'A:B').", kind="validation-error",
                      title="Invalid request")
    if dyad is not None and (dyad.count(":") != 1 or not all(p.strip() for p in dyad.split(":"))):
        raise Problem(422, f"dyad must be two actors as 'A:B', got '{dyad}'.", kind="validation-error",
                      title="Invalid request")
    periods = q.timeline(svc.store, actor=actor, dyad=dyad, by=by, since=_iso(since), until=_iso(until),
                         count=count, min_confidence=min_confidence)
    return _slice(list(periods), limit, offset)


@router.get("/stories", tags=["queries"], response_model=q.Page[q.Story],
            summary="Events reported by several articles, grouped into stories")
def list_stories(_: Read, svc: Svc, since: Since = None, until: Until = None, actor: str | None = None,
                 type: Types = None, limit: Limit = 50, offset: Offset = 0) -> Any:
    return q.list_stories(svc.store, since=_iso(since), until=_iso(until), actor=actor,
                          type=_types(type), limit=limit, offset=offset)


@router.get("/changes", tags=["queries"], response_model=PageOut[q.DyadChange],
            summary="Dyads that appeared, disappeared or flipped against the previous period")
def changes(_: Read, svc: Svc, since: Annotated[dt.date, Query(description="period start, YYYY-MM-DD")],
            until: Until = None, limit: Limit = 100, offset: Offset = 0) -> Any:
    return _slice(list(q.changes(svc.store, since=since.isoformat(), until=_iso(until))), limit, offset)


async def _to_input(svc: Services, body: ArticleSubmission) -> ArticleInput:
    published = body.published.isoformat() if body.published else None
    if body.url is not None:
        from newsgraph.ingest.web import RefusedURL

        try:
            article = await run_in_threadpool(svc.fetch, body.url)
        except RefusedURL as exc:  # a loopback, private or otherwise non-public host: not fetched at all
            raise Problem(422, f"Refused to fetch {body.url}: {exc}", kind="url-refused") from exc
        except Exception as exc:  # network errors, HTTP errors, pages without an article
            raise Problem(502, f"Could not fetch an article from {body.url}: {exc}",
                          kind="fetch-failed") from exc
    elif body.html is not None:
        from newsgraph.ingest.html import article_from_html

        article = await run_in_threadpool(article_from_html, body.html, None, "api:html")
    else:
        article = ArticleInput(text=body.text or "", origin="api:text")
    # Metadata given by the caller overrides what was read from the page.
    article.id = body.id or article.id
    article.title = body.title or article.title
    article.published = published or article.published
    article.source = body.source or article.source
    if not article.text or not article.text.strip():
        raise Problem(422, "No article text could be read from the input.", kind="empty-article")
    if len(article.text.encode("utf-8")) > svc.settings.max_input_bytes:
        raise Problem(413, f"Article text is over the limit of {svc.settings.max_input_bytes:,} bytes.",
                      kind="body-too-large")
    return article


async def _extract(svc: Services, body: ArticleSubmission) -> tuple[Extraction, str]:
    article = await _to_input(svc, body)
    return await run_in_threadpool(svc.extract, article), article.text


@router.post("/extract", tags=["articles"], response_model=Extraction,
             summary="Extract an article without storing it (needs a key)")
async def extract(body: ArticleSubmission, _: Write, svc: Svc) -> Any:
    extraction, _text = await _extract(svc, body)
    return extraction.to_json_dict()


@router.post("/articles", tags=["articles"], status_code=201, response_model=Extraction,
             summary="Extract an article, store it and return its extraction (needs a key)",
             responses={200: {"description": "the article was stored already (same text or URL); "
                                             "Location names the stored copy"}})
async def add_article(body: ArticleSubmission, _: Write, svc: Svc, response: Response) -> Any:
    extraction, text = await _extract(svc, body)
    stored_id = await run_in_threadpool(svc.add, extraction, text)
    if stored_id is None:
        response.status_code = 200
        stored_id = await run_in_threadpool(svc.existing_id, extraction)
    if stored_id is not None:
        response.headers["Location"] = f"/api/articles/{stored_id}"
        response.headers["X-Newsgraph-Article-Id"] = stored_id
    return extraction.to_json_dict()
