"""Queries over the store: each returns pydantic rows; list functions return a ``Page``."""

from newsgraph.query.models import (
    ActorBrief,
    ActorDetail,
    ActorRef,
    ActorRow,
    ArticleRow,
    DyadChange,
    DyadStats,
    EventRow,
    Network,
    NetworkEdge,
    NetworkNode,
    Page,
    Period,
    QuantityRow,
    QuoteRow,
    SpanText,
    Story,
    StoryReport,
)
from newsgraph.query.queries import (
    actor_match,
    changes,
    event_rows,
    get_actor,
    get_article,
    get_article_text,
    iter_events,
    list_actors,
    list_articles,
    list_events,
    list_quotes,
    list_stories,
    network,
    quote_rows,
    timeline,
)
from newsgraph.store import IngestReport, Store

__all__ = [
    "ActorBrief", "ActorDetail", "ActorRef", "ActorRow", "ArticleRow", "DyadChange", "DyadStats", "EventRow",
    "IngestReport", "Network", "NetworkEdge", "NetworkNode", "Page", "Period", "QuantityRow", "QuoteRow",
    "SpanText", "Store", "Story", "StoryReport", "actor_match", "changes", "event_rows", "get_actor",
    "get_article", "get_article_text", "iter_events", "list_actors", "list_articles", "list_events",
    "list_quotes", "list_stories", "network", "quote_rows", "timeline",
]
