"""The store's tables (SQLAlchemy Core), identical on SQLite and PostgreSQL.

Ids are strings so that both backends give byte-identical answers: articles keep the extraction's
article id (made unique on collision), per-article rows are ``<article id>:<local id>`` and canonical
actors get ``A`` + a digest of their first identity key.  Dates are ISO strings (``YYYY-MM-DD``), which
sort and compare correctly as text on both backends.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", String(32), nullable=False),
)

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", String(32), nullable=False),
    Column("finished_at", String(32)),
    Column("coder_name", String(64)),
    Column("coder_version", String(64)),
    Column("model_name", String(128)),
    Column("model_version", String(64)),
    Column("articles_added", Integer, nullable=False, default=0),
    Column("articles_skipped", Integer, nullable=False, default=0),
    Column("articles_reprocessed", Integer, nullable=False, default=0),
    Column("articles_duplicate", Integer, nullable=False, default=0),
    Column("events", Integer, nullable=False, default=0),
    Column("quotes", Integer, nullable=False, default=0),
    Column("actors", Integer, nullable=False, default=0),
)

articles = Table(
    "articles",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("source_id", String(200), nullable=False),  # the id the extraction gave it
    Column("title", Text),
    Column("published", String(10)),
    Column("dateline_place", String(200)),
    Column("source", String(200)),
    Column("url", Text),
    Column("canonical_url", Text),
    Column("language", String(8)),
    Column("text_sha256", String(64), nullable=False),
    Column("text", Text),
    Column("duplicate_of", String(200), ForeignKey("articles.id", ondelete="SET NULL")),
    Column("similarity", Float),  # estimated Jaccard with duplicate_of
    Column("coder_version", String(64)),
    Column("model_name", String(128)),
    Column("run_id", Integer, ForeignKey("runs.id")),
    Column("ingested_at", String(32), nullable=False),
    Column("extraction", Text, nullable=False),  # the full extraction JSON, returned losslessly
    Index("ix_articles_sha", "text_sha256", unique=True),  # one article per text, even with two writers
    Index("ix_articles_canonical_url", "canonical_url"),
    Index("ix_articles_published", "published"),
    Index("ix_articles_title_published", "title", "published"),
)

# MinHash LSH buckets for finding near-identical copies without comparing against every article.
article_lsh = Table(
    "article_lsh",
    metadata,
    Column("article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("band", Integer, nullable=False),
    Column("bucket", String(40), nullable=False),
    Index("ix_article_lsh_bucket", "band", "bucket"),
    Index("ix_article_lsh_article", "article_id"),
)

article_signatures = Table(
    "article_signatures",
    metadata,
    Column("article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("signature", Text, nullable=False),  # space-separated MinHash values
)

actors = Table(
    "actors",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("name_norm", String(300), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("code", String(20)),
    Column("country", String(3)),
    Column("sector", String(20)),
    Column("role", String(300)),
    Column("organization_id", String(40)),
    Column("wikidata", String(40)),
    Column("cameo", String(40)),
    Column("aliases", Text, nullable=False, default=""),  # "|"-joined, for search
    Column("first_seen", String(10)),
    Index("ix_actors_code", "code"),
    Index("ix_actors_name_norm", "name_norm"),
    Index("ix_actors_country", "country"),
    Index("ix_actors_wikidata", "wikidata"),
)

# Every identity key (wikidata id, kind/code/name) that resolves to a canonical actor.
actor_keys = Table(
    "actor_keys",
    metadata,
    Column("key", String(400), primary_key=True),
    Column("actor_id", String(40), ForeignKey("actors.id"), nullable=False),
)

# The actor as one article saw it (its local id, name and role there).
article_actors = Table(
    "article_actors",
    metadata,
    Column("article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("local_id", String(40), primary_key=True),
    Column("actor_id", String(40), ForeignKey("actors.id"), nullable=False),
    Column("name", String(300), nullable=False),
    Column("role", String(300)),
    Index("ix_article_actors_actor", "actor_id"),
)

mentions = Table(
    "mentions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("actor_id", String(40), ForeignKey("actors.id"), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Index("ix_mentions_actor", "actor_id"),
    Index("ix_mentions_article", "article_id"),
)

quotes = Table(
    "quotes",
    metadata,
    Column("id", String(250), primary_key=True),
    Column("article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("local_id", String(40), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("speaker_id", String(40), ForeignKey("actors.id")),
    Column("speaker_text", Text),
    Column("speaker_organization_id", String(40), ForeignKey("actors.id")),
    Column("cue", String(200)),
    Column("addressee_id", String(40), ForeignKey("actors.id")),
    Column("confidence", Float, nullable=False),
    Column("date", String(10)),
    Column("is_duplicate", Integer, nullable=False, default=0),
    Index("ix_quotes_speaker", "speaker_id", "date"),
    Index("ix_quotes_speaker_organization", "speaker_organization_id", "date"),
    Index("ix_quotes_article", "article_id"),
    Index("ix_quotes_date", "date"),
)

quote_about = Table(
    "quote_about",
    metadata,
    Column("quote_id", String(250), ForeignKey("quotes.id", ondelete="CASCADE"), primary_key=True),
    Column("actor_id", String(40), ForeignKey("actors.id"), primary_key=True),
    Index("ix_quote_about_actor", "actor_id"),
)

stories = Table(
    "stories",
    metadata,
    Column("id", String(250), primary_key=True),
    Column("type", String(20), nullable=False),
    Column("dyad", String(400), nullable=False),  # sorted source ids '>' sorted target ids
    Column("first_date", String(10)),
    Column("last_date", String(10)),
    Column("first_event_id", String(250), nullable=False),
    Column("first_article_id", String(200), nullable=False),
    Column("evidence_tokens", Text, nullable=False),
    Column("reports", Integer, nullable=False, default=1),  # events in the story
    Column("articles", Integer, nullable=False, default=1),  # distinct articles reporting it
    Index("ix_stories_key", "type", "dyad", "last_date"),
    Index("ix_stories_reports", "reports", "first_date"),
)

events = Table(
    "events",
    metadata,
    Column("id", String(250), primary_key=True),
    Column("article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("local_id", String(40), nullable=False),
    Column("type", String(20), nullable=False),
    Column("mode", String(40)),
    Column("context", Text, nullable=False, default=""),  # "|"-joined
    Column("cameo", String(10)),
    Column("quad_class", Integer),
    Column("goldstein", Float),
    Column("polarity", String(10), nullable=False),
    Column("modality", String(20), nullable=False),
    Column("attributed_to_id", String(40), ForeignKey("actors.id")),
    Column("quote_id", String(250)),
    Column("trigger_text", Text, nullable=False),
    Column("trigger_start", Integer, nullable=False),
    Column("trigger_end", Integer, nullable=False),
    Column("date", String(10)),
    Column("location", String(300)),
    Column("location_country", String(3)),
    Column("confidence", Float, nullable=False),
    # 1 when the event counts: positive, actual and not from a linked near-duplicate article.
    Column("counted", Integer, nullable=False, default=1),
    Column("is_duplicate", Integer, nullable=False, default=0),
    Column("story_id", String(250)),
    Index("ix_events_date", "date"),
    Index("ix_events_article", "article_id"),
    Index("ix_events_type_date", "type", "date"),
    Index("ix_events_story", "story_id"),
    Index("ix_events_counted_date", "counted", "date"),
)

event_actors = Table(
    "event_actors",
    metadata,
    Column("event_id", String(250), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(6), primary_key=True),  # 'source' | 'target'
    Column("position", Integer, primary_key=True),
    Column("actor_id", String(40), ForeignKey("actors.id"), nullable=False),
    Index("ix_event_actors_actor", "actor_id", "role"),
)

# The whole network is read from this index alone (SQLite: a covering index scan).
DYADS_COVERING_INDEX = "ix_event_dyads_all"
DYADS_COVERING_COLUMNS = ("source_id", "target_id", "quad_class", "unit", "goldstein", "confidence")

# One row per (source, target) pair of every counted event: what the network, timelines and changes
# aggregate, kept narrow and indexed so they read no other table.  ``unit`` is the event's story
# (or the event itself when it has none), so counting distinct units counts stories.
event_dyads = Table(
    "event_dyads",
    metadata,
    Column("event_id", String(250), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("source_id", String(40), primary_key=True),
    Column("target_id", String(40), primary_key=True),
    Column("article_id", String(200), nullable=False),
    Column("date", String(10)),
    Column("type", String(20), nullable=False),
    Column("quad_class", Integer),
    Column("goldstein", Float),
    Column("unit", String(250), nullable=False),
    # The event's confidence, so that the network filters on it without reading ``events`` (schema v2).
    Column("confidence", Float, nullable=False, server_default="1"),
    Index("ix_event_dyads_pair", "source_id", "target_id", "date"),
    Index("ix_event_dyads_target", "target_id", "date"),
    Index("ix_event_dyads_date", "date"),
    Index("ix_event_dyads_article", "article_id"),
    Index(DYADS_COVERING_INDEX, *DYADS_COVERING_COLUMNS),
)

# Where an event happened (the extraction's ``Event.geo``): one row per located event, indexed for the
# country, region and bounding-box filters and the map.
event_locations = Table(
    "event_locations",
    metadata,
    Column("event_id", String(250), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", String(200), nullable=False),
    Column("basis", String(16), nullable=False),  # stated | dateline | actor-country
    Column("place_id", String(40)),  # the extraction's place id
    Column("name", String(300), nullable=False),
    Column("feature", String(16)),
    Column("gazetteer_id", String(80)),
    Column("country", String(3)),
    Column("region", String(200)),
    Column("lat", Float),
    Column("lon", Float),
    Column("evidence_text", Text, nullable=False),
    Column("evidence_start", Integer, nullable=False),
    Column("evidence_end", Integer, nullable=False),
    Index("ix_event_locations_country", "country", "region"),
    Index("ix_event_locations_lat_lon", "lat", "lon"),
    Index("ix_event_locations_article", "article_id"),
)

event_evidence = Table(
    "event_evidence",
    metadata,
    Column("event_id", String(250), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),  # 0: the evidence, 1..: also_evidence
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
)

quantities = Table(
    "quantities",
    metadata,
    Column("id", String(250), primary_key=True),
    Column("article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("local_id", String(40), nullable=False),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("value", Float, nullable=False),
    Column("qualifier", String(40)),
    Column("unit", String(60)),
    Column("item", String(200)),
    Column("currency", String(10)),
    Column("role", String(40)),
    Index("ix_quantities_article", "article_id"),
)

event_quantities = Table(
    "event_quantities",
    metadata,
    Column("event_id", String(250), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("quantity_id", String(250), ForeignKey("quantities.id", ondelete="CASCADE"), primary_key=True),
)

# Rows that belong to one article, in the order they must be deleted (children first).
ARTICLE_CHILD_TABLES = (
    "event_dyads",
    "event_quantities",
    "event_evidence",
    "event_locations",
    "event_actors",
    "events",
    "quote_about",
    "quotes",
    "quantities",
    "mentions",
    "article_actors",
    "article_lsh",
    "article_signatures",
)


# List-valued fields (an actor's aliases, an event's contexts) are kept as one "|"-joined text column so
# they stay searchable with LIKE on both backends.
LIST_SEPARATOR = "|"


def join_list(values) -> str:
    return LIST_SEPARATOR.join(str(v) for v in values)


def split_list(value: str | None) -> list[str]:
    return [v for v in (value or "").split(LIST_SEPARATOR) if v]
