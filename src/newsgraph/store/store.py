"""The store: SQLite or PostgreSQL through one SQLAlchemy Core code path.

``Store.add`` writes extractions in batches, one transaction per batch, so a killed ingest
leaves whole articles only and a rerun adds the rest.  An article already stored (same canonical
URL or text sha256) is skipped unless ``reprocess`` is set and its coder version differs.
Near-identical copies are linked through ``duplicate_of`` and their events are not counted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import random
import re
import sqlite3
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    delete,
    event,
    func,
    insert,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.pool import StaticPool

from newsgraph.contract import Actor, Event, Extraction
from newsgraph.store import dedup
from newsgraph.store import tables as t
from newsgraph.store.migrations import migrate

StoreItem = Extraction | tuple[Extraction, str | None]
"""An extraction, optionally with its article text (needed to find near-identical copies)."""

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_TOKEN = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_STOP = frozenset(
    "the and for that with from this said have has had was were are its their they will would which "
    "who been not but also after over into about than more other said says told".split()
)


def normalise_name(name: str) -> str:
    return " ".join(dedup.normalise_text(name))


def database_url(url_or_path: str) -> str:
    """SQLAlchemy URL for a user's ``--db``: a file path (SQLite) or a PostgreSQL URL."""
    value = url_or_path.strip()
    if value.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    if value.startswith("postgresql+"):
        return value
    if value.startswith("sqlite:"):
        return value
    if value == ":memory:":
        return "sqlite://"
    return "sqlite:///" + str(Path(value).expanduser().resolve())


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _iso_date(value: str | None) -> str | None:
    if value and _DATE.match(value):
        return value[:10]
    return None


def evidence_tokens(text: str) -> set[str]:
    return {w for w in (m.lower() for m in _TOKEN.findall(text)) if w not in _STOP}


def _jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


LOCAL_KEY_PREFIX = "local:"


def actor_keys(actor: Actor, article_id: str | None = None) -> list[str]:
    """Identity keys in priority order: knowledge-base id, then state code, then kind/code/name.

    An article-local actor ("the government" of no known state, "ministers") has one key scoped to its
    article: it is never merged with another article's actor of the same common noun."""
    if actor.local and article_id is not None:
        return [f"{LOCAL_KEY_PREFIX}{article_id}:{actor.kind}:{normalise_name(actor.name)}"[:400]]
    keys = []
    if actor.wikidata:
        keys.append(f"wd:{actor.wikidata}")
    if actor.kind == "state" and actor.code:
        keys.append(f"state:{actor.code}")
    keys.append(f"{actor.kind}:{actor.code or ''}:{normalise_name(actor.name)}"[:400])
    return keys


@dataclass
class IngestReport:
    run_id: int | None = None
    added: int = 0
    skipped: int = 0
    reprocessed: int = 0
    duplicates: int = 0  # added and linked to an earlier near-identical copy
    events: int = 0
    quotes: int = 0
    actors_new: int = 0
    batches: int = 0
    article_ids: list[str] = field(default_factory=list)

    def merge(self, other: IngestReport) -> None:
        for name in (
            "added",
            "skipped",
            "reprocessed",
            "duplicates",
            "events",
            "quotes",
            "actors_new",
            "batches",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.article_ids.extend(other.article_ids)


@dataclass
class _Story:
    id: str
    type: str
    dyad: str
    first_date: str
    last_date: str
    tokens: set[str]
    first_event_id: str
    first_article_id: str
    reports: int = 0
    articles: int = 0
    new: bool = False
    changed: bool = False
    batch_articles: set[str] = field(default_factory=set)


@dataclass
class _Batch:
    """Rows collected for one transaction, inserted table by table (parents first)."""

    rows: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    by_sha: dict[str, str] = field(default_factory=dict)
    by_url: dict[str, str] = field(default_factory=dict)
    ids: set[str] = field(default_factory=set)
    signatures: list[tuple[str, tuple[int, ...], str | None]] = field(default_factory=list)
    titles: dict[tuple[str, str], list[tuple[str, Extraction, str | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    new_actors: dict[str, dict] = field(default_factory=dict)
    new_keys: dict[str, str] = field(default_factory=dict)
    pending_events: list[dict] = field(default_factory=list)
    dyads: list[tuple[dict, str, str]] = field(default_factory=list)  # (event row, source id, target id)


@dataclass
class _Known:
    """What the store already holds about a batch's articles, read with a few queries per batch."""

    by_sha: dict[str, tuple[str, str | None, str | None]] = field(default_factory=dict)
    by_url: dict[str, tuple[str, str | None, str | None]] = field(default_factory=dict)
    ids: set[str] = field(default_factory=set)
    titles: dict[tuple[str, str], list[tuple[str, str, str | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )


def _chunked(values: list, size: int = 500) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


class Store:
    """A newsgraph store.  Open with ``Store.open(path_or_url)``; use as a context manager."""

    def __init__(self, engine: Engine, *, story_window_days: int = 3, story_similarity: float = 0.2) -> None:
        self.engine = engine
        self.story_window = timedelta(days=story_window_days)
        self.story_similarity = story_similarity
        self._minhash = dedup.MinHasher()
        self._actor_cache: dict[str, str] = {}
        self._enriched: dict[str, set[str]] = {}  # actor id -> fields already offered to it
        self.write_retries = 5

    # -- opening -----------------------------------------------------------------------------------

    @classmethod
    def open(cls, url_or_path: str, **options: object) -> Store:
        url = database_url(url_or_path)
        kwargs: dict = {}
        if make_url(url).get_backend_name() == "sqlite":
            kwargs["connect_args"] = {"timeout": 60, "check_same_thread": False}
            if make_url(url).database in (None, "", ":memory:"):
                kwargs["poolclass"] = StaticPool  # one shared in-memory database
        else:
            kwargs["pool_pre_ping"] = True
        engine = create_engine(url, **kwargs)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        migrate(engine)
        return cls(engine, **options)  # type: ignore[arg-type]

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- lookups -----------------------------------------------------------------------------------

    def find_article(
        self, *, url: str | None = None, sha256: str | None = None
    ) -> tuple[str, str | None] | None:
        """(article id, coder version) of a stored article with this canonical URL or text hash."""
        conds = []
        if sha256:
            conds.append(t.articles.c.text_sha256 == sha256)
        canon = dedup.canonical_url(url)
        if canon:
            conds.append(t.articles.c.canonical_url == canon)
        if not conds:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(
                select(t.articles.c.id, t.articles.c.coder_version).where(or_(*conds)).limit(1)
            ).first()
        return (row[0], row[1]) if row else None

    def needs_processing(
        self, *, url: str | None, text: str, coder_version: str | None, reprocess: bool = False
    ) -> bool:
        """False when the article is stored already and would be skipped by ``add``."""
        found = self.find_article(url=url, sha256=dedup.text_sha256(text))
        if found is None:
            return True
        return bool(reprocess and coder_version is not None and found[1] != coder_version)

    def has_article(self, article_id: str) -> bool:
        with self.engine.connect() as conn:
            return (
                conn.execute(select(t.articles.c.id).where(t.articles.c.id == article_id)).first() is not None
            )

    def article_ids(self) -> list[str]:
        with self.engine.connect() as conn:
            return list(conn.execute(select(t.articles.c.id).order_by(t.articles.c.id)).scalars())

    def generation(self) -> tuple[int, int, int]:
        """A value that changes whenever a write commits, whichever process wrote: every write batch
        updates its run's counters in the same transaction. Caches of query results key on it."""
        r = t.runs.c
        with self.engine.connect() as conn:
            row = conn.execute(select(
                func.count(), func.coalesce(func.max(r.id), 0),
                func.coalesce(func.sum(r.articles_added + r.articles_reprocessed + r.articles_skipped), 0),
            )).one()
        return int(row[0]), int(row[1]), int(row[2])

    def counts(self) -> dict[str, int]:
        """Row count of every table (for tests, stats and the benchmark)."""
        out = {}
        with self.engine.connect() as conn:
            for table in t.metadata.sorted_tables:
                out[table.name] = int(conn.execute(select(func.count()).select_from(table)).scalar_one())
        return out

    # -- writing -----------------------------------------------------------------------------------

    def add(
        self,
        extractions: Iterable[StoreItem],
        *,
        reprocess: bool = False,
        batch_size: int = 64,
        on_batch: object | None = None,
    ) -> IngestReport:
        """Store extractions, ``batch_size`` articles per transaction.

        ``on_batch`` (a callable taking the batch's ``IngestReport``) is called after each commit.
        """
        report = IngestReport()
        batch: list[tuple[Extraction, str | None]] = []
        for item in extractions:
            ex, text = item if isinstance(item, tuple) else (item, None)
            if report.run_id is None:
                report.run_id = self._start_run(ex)
            batch.append((ex, text))
            if len(batch) >= batch_size:
                part = self._write_batch(batch, report.run_id, reprocess)
                report.merge(part)
                if callable(on_batch):
                    on_batch(part)
                batch = []
        if batch:
            part = self._write_batch(batch, report.run_id, reprocess)
            report.merge(part)
            if callable(on_batch):
                on_batch(part)
        if report.run_id is not None:
            run_id = report.run_id

            def finish() -> None:
                with self._writing() as conn:
                    conn.execute(update(t.runs).where(t.runs.c.id == run_id).values(finished_at=_now()))

            self._retrying(finish)
        return report

    @contextlib.contextmanager
    def _writing(self) -> Iterator[Connection]:
        """A write transaction, one writer at a time (extraction runs outside it, so they are short).

        A batch reads what the store holds (articles, actors, stories) and writes what follows from it; two
        writers interleaving would both create the same new story or overwrite each other's report counts.
        SQLite takes its write lock at once (BEGIN IMMEDIATE, waiting up to the busy timeout); PostgreSQL
        takes a transaction-scoped advisory lock for the store's schema.
        """
        with self.engine.begin() as conn:
            if self.engine.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            elif self.engine.dialect.name == "postgresql":
                conn.exec_driver_sql(_PG_WRITE_LOCK)
            yield conn

    def _retrying(self, work: Callable[[], object]) -> object:
        # Another writer (a second ingest, the API) may commit the same article or a new actor between
        # our reads and our inserts; the unique constraints then refuse the batch, and a retry sees the
        # other writer's rows and skips or reuses them.
        for attempt in range(self.write_retries + 1):
            try:
                return work()
            except (IntegrityError, OperationalError) as err:
                if attempt == self.write_retries or not _retriable(err):
                    raise
                # Let the other writer finish; jitter so two retrying writers fall out of step.
                time.sleep(random.uniform(0.05, 0.2) * (attempt + 1))
        raise AssertionError("unreachable")

    def _start_run(self, ex: Extraction) -> int:
        return self._retrying(lambda: self._insert_run(ex))  # type: ignore[return-value]

    def _insert_run(self, ex: Extraction) -> int:
        with self._writing() as conn:
            result = conn.execute(
                insert(t.runs).values(
                    started_at=_now(),
                    coder_name=ex.coder.name,
                    coder_version=ex.coder.version,
                    model_name=ex.coder.model.name,
                    model_version=ex.coder.model.version,
                    articles_added=0,
                    articles_skipped=0,
                    articles_reprocessed=0,
                    articles_duplicate=0,
                    events=0,
                    quotes=0,
                    actors=0,
                )
            )
            return int(result.inserted_primary_key[0])

    def _write_batch(
        self, items: list[tuple[Extraction, str | None]], run_id: int | None, reprocess: bool
    ) -> IngestReport:
        return self._retrying(lambda: self._write_batch_once(items, run_id, reprocess))  # type: ignore[return-value]

    def _write_batch_once(
        self, items: list[tuple[Extraction, str | None]], run_id: int | None, reprocess: bool
    ) -> IngestReport:
        report = IngestReport(batches=1)
        try:
            with self._writing() as conn:
                batch = _Batch()
                known = self._known(conn, [ex for ex, _ in items])
                for ex, text in items:
                    self._prepare(conn, batch, known, ex, text, run_id, reprocess, report)
                self._assign_stories(conn, batch)
                self._flush(conn, batch)
                if run_id is not None:
                    conn.execute(
                        update(t.runs)
                        .where(t.runs.c.id == run_id)
                        .values(
                            articles_added=t.runs.c.articles_added + report.added,
                            articles_skipped=t.runs.c.articles_skipped + report.skipped,
                            articles_reprocessed=t.runs.c.articles_reprocessed + report.reprocessed,
                            articles_duplicate=t.runs.c.articles_duplicate + report.duplicates,
                            events=t.runs.c.events + report.events,
                            quotes=t.runs.c.quotes + report.quotes,
                            actors=t.runs.c.actors + report.actors_new,
                        )
                    )
        except BaseException:
            self._actor_cache.clear()  # it may name actors of the rolled-back batch
            self._enriched.clear()
            raise
        return report

    def _known(self, conn: Connection, extractions: list[Extraction]) -> _Known:
        known = _Known()
        a = t.articles
        cols = (a.c.id, a.c.coder_version, a.c.duplicate_of, a.c.text_sha256, a.c.canonical_url)
        shas = sorted({ex.article.text_sha256 for ex in extractions})
        urls = sorted({u for u in (dedup.canonical_url(ex.article.url) for ex in extractions) if u})
        ids = sorted({ex.article.id[:180] for ex in extractions})
        for chunk in _chunked(shas):
            for r in conn.execute(select(*cols).where(a.c.text_sha256.in_(chunk)).order_by(a.c.id)):
                known.by_sha.setdefault(r.text_sha256, (r.id, r.coder_version, r.duplicate_of))
        for chunk in _chunked(urls):
            for r in conn.execute(select(*cols).where(a.c.canonical_url.in_(chunk)).order_by(a.c.id)):
                known.by_url.setdefault(r.canonical_url, (r.id, r.coder_version, r.duplicate_of))
        for chunk in _chunked(ids):
            known.ids.update(conn.execute(select(a.c.id).where(a.c.id.in_(chunk))).scalars())
        pairs = sorted(
            {
                (ex.article.title, _iso_date(ex.article.published))
                for ex in extractions
                if ex.article.title and _iso_date(ex.article.published)
            }
        )
        for chunk in _chunked(pairs, 200):
            for r in conn.execute(
                select(a.c.id, a.c.title, a.c.published, a.c.extraction, a.c.duplicate_of)
                .where(tuple_(a.c.title, a.c.published).in_(chunk))
                .order_by(a.c.id)
            ):
                known.titles[(r.title, r.published)].append((r.id, r.extraction, r.duplicate_of))
        return known

    def _prepare(
        self,
        conn: Connection,
        batch: _Batch,
        known: _Known,
        ex: Extraction,
        text: str | None,
        run_id: int | None,
        reprocess: bool,
        report: IngestReport,
    ) -> None:
        art = ex.article
        sha = art.text_sha256
        canon = dedup.canonical_url(art.url)
        existing_id = batch.by_sha.get(sha) or (batch.by_url.get(canon) if canon else None)
        if existing_id:
            report.skipped += 1
            return
        row = known.by_sha.get(sha) or (known.by_url.get(canon) if canon else None)
        replacing = False
        if row is not None:
            row_id, row_version, row_duplicate_of = row
            if not (reprocess and row_version != ex.coder.version):
                report.skipped += 1
                return
            article_id = row_id
            duplicate_of = row_duplicate_of
            similarity_value = None
            self._delete_children(conn, article_id)
            replacing = True
        else:
            candidate = art.id[:180]
            taken = candidate in batch.ids or candidate in known.ids
            article_id = f"{candidate}~{sha[:12]}" if taken else candidate
            duplicate_of, similarity_value = None, None
        signature = self._minhash.signature(text) if text else None
        if not replacing:
            duplicate_of, similarity_value = self._find_near_duplicate(conn, batch, known, ex, signature)

        published = _iso_date(art.published)
        values = dict(
            id=article_id,
            source_id=art.id,
            title=art.title,
            published=published,
            dateline_place=art.dateline_place,
            source=art.source,
            url=art.url,
            canonical_url=canon,
            language=art.language,
            text_sha256=sha,
            text=text,
            duplicate_of=duplicate_of,
            similarity=similarity_value,
            coder_version=ex.coder.version,
            model_name=ex.coder.model.name,
            run_id=run_id,
            ingested_at=_now(),
            extraction=json.dumps(ex.to_json_dict(), ensure_ascii=False),
        )
        if replacing:
            conn.execute(update(t.articles).where(t.articles.c.id == article_id).values(**values))
            report.reprocessed += 1
        else:
            batch.rows["articles"].append(values)
            report.added += 1
            if duplicate_of:
                report.duplicates += 1
        report.article_ids.append(article_id)
        batch.by_sha[sha] = article_id
        if canon:
            batch.by_url[canon] = article_id
        batch.ids.add(article_id)
        if signature is not None:
            batch.signatures.append((article_id, signature, duplicate_of))
            batch.rows["article_signatures"].append(
                {"article_id": article_id, "signature": dedup.encode_signature(signature)}
            )
            for band, bucket in dedup.bands(signature):
                batch.rows["article_lsh"].append({"article_id": article_id, "band": band, "bucket": bucket})
        if art.title and published:
            batch.titles[(art.title, published)].append((article_id, ex, duplicate_of))

        self._prepare_content(conn, batch, ex, article_id, published, duplicate_of is not None, report)

    def _prepare_content(
        self,
        conn: Connection,
        batch: _Batch,
        ex: Extraction,
        article_id: str,
        published: str | None,
        is_dup: bool,
        report: IngestReport,
    ) -> None:
        local: dict[str, str] = {}
        for actor in ex.actors:
            actor_id, new = self._resolve_actor(conn, batch, actor, published, article_id)
            local[actor.id] = actor_id
            report.actors_new += int(new)
            batch.rows["article_actors"].append(
                {
                    "article_id": article_id,
                    "local_id": actor.id,
                    "actor_id": actor_id,
                    "name": actor.name[:300],
                    "role": actor.role,
                }
            )
            for m in actor.mentions:
                batch.rows["mentions"].append(
                    {
                        "article_id": article_id,
                        "actor_id": actor_id,
                        "start": m.start,
                        "end": m.end,
                        "text": m.text,
                    }
                )
        # The organisation an actor speaks for is only known once every actor is resolved.
        for actor in ex.actors:
            org = local.get(actor.organization or "")
            if org and local[actor.id] in batch.new_actors:
                batch.new_actors[local[actor.id]]["organization_id"] = org

        def rid(local_id: str) -> str:
            return f"{article_id}:{local_id}"

        for q in ex.quantities:
            batch.rows["quantities"].append(
                {
                    "id": rid(q.id),
                    "article_id": article_id,
                    "local_id": q.id,
                    "text": q.text,
                    "start": q.start,
                    "end": q.end,
                    "value": q.value,
                    "qualifier": q.qualifier,
                    "unit": q.unit,
                    "item": q.item,
                    "currency": q.currency,
                    "role": q.role,
                }
            )
        for q in ex.quotes:
            batch.rows["quotes"].append(
                {
                    "id": rid(q.id),
                    "article_id": article_id,
                    "local_id": q.id,
                    "kind": q.kind,
                    "text": q.text,
                    "start": q.start,
                    "end": q.end,
                    "speaker_id": local.get(q.speaker or ""),
                    "speaker_text": q.speaker_text,
                    "speaker_organization_id": local.get(q.speaker_organization or ""),
                    "cue": q.cue,
                    "addressee_id": local.get(q.addressee or ""),
                    "confidence": q.confidence,
                    "date": published,
                    "is_duplicate": int(is_dup),
                }
            )
            for about in dict.fromkeys(local[a] for a in q.about if a in local):
                batch.rows["quote_about"].append({"quote_id": rid(q.id), "actor_id": about})
            report.quotes += 1
        quantity_ids = {q.id for q in ex.quantities}
        quote_ids = {q.id for q in ex.quotes}
        for ev in ex.events:
            self._prepare_event(batch, ev, article_id, published, is_dup, local, quantity_ids, quote_ids)
            report.events += 1

    def _prepare_event(
        self,
        batch: _Batch,
        ev: Event,
        article_id: str,
        published: str | None,
        is_dup: bool,
        local: dict[str, str],
        quantity_ids: set[str],
        quote_ids: set[str],
    ) -> None:
        event_id = f"{article_id}:{ev.id}"
        sources = list(dict.fromkeys(local[a] for a in ev.source if a in local))
        targets = list(dict.fromkeys(local[a] for a in ev.target if a in local))
        counted = int(ev.polarity == "positive" and ev.modality == "actual" and not is_dup)
        row = {
            "id": event_id,
            "article_id": article_id,
            "local_id": ev.id,
            "type": ev.type,
            "mode": ev.mode,
            "context": t.join_list(ev.context),
            "cameo": ev.cameo,
            "quad_class": ev.quad_class,
            "goldstein": ev.goldstein,
            "polarity": ev.polarity,
            "modality": ev.modality,
            "attributed_to_id": local.get(ev.attributed_to or ""),
            "quote_id": f"{article_id}:{ev.quote}" if ev.quote in quote_ids else None,
            "trigger_text": ev.trigger.text,
            "trigger_start": ev.trigger.start,
            "trigger_end": ev.trigger.end,
            "date": _iso_date(ev.date) or published,
            "location": ev.location,
            "location_country": ev.location_country,
            "confidence": ev.confidence,
            "counted": counted,
            "is_duplicate": int(is_dup),
            "story_id": None,
        }
        batch.rows["events"].append(row)
        for pos, actor_id in enumerate(sources):
            batch.rows["event_actors"].append(
                {"event_id": event_id, "role": "source", "position": pos, "actor_id": actor_id}
            )
        for pos, actor_id in enumerate(targets):
            batch.rows["event_actors"].append(
                {"event_id": event_id, "role": "target", "position": pos, "actor_id": actor_id}
            )
        if ev.geo is not None:
            g = ev.geo
            batch.rows["event_locations"].append(
                {
                    "event_id": event_id,
                    "article_id": article_id,
                    "basis": g.basis,
                    "place_id": g.place,
                    "name": g.name[:300],
                    "feature": g.feature,
                    "gazetteer_id": g.gazetteer_id,
                    "country": g.country,
                    "region": g.region,
                    "lat": g.lat,
                    "lon": g.lon,
                    "evidence_text": g.evidence.text,
                    "evidence_start": g.evidence.start,
                    "evidence_end": g.evidence.end,
                }
            )
        for pos, span in enumerate([ev.evidence, *ev.also_evidence]):
            batch.rows["event_evidence"].append(
                {
                    "event_id": event_id,
                    "position": pos,
                    "text": span.text,
                    "start": span.start,
                    "end": span.end,
                }
            )
        for qid in dict.fromkeys(ev.quantities):
            if qid in quantity_ids:
                batch.rows["event_quantities"].append(
                    {"event_id": event_id, "quantity_id": f"{article_id}:{qid}"}
                )
        if counted:
            for source_id in sources:
                for target_id in targets:
                    if source_id != target_id:
                        batch.dyads.append((row, source_id, target_id))
        if counted and row["date"]:
            batch.pending_events.append(
                {
                    "row": row,
                    "dyad": ",".join(sorted(sources)) + ">" + ",".join(sorted(targets)),
                    "tokens": evidence_tokens(" ".join(s.text for s in [ev.evidence, *ev.also_evidence])),
                }
            )

    def _find_near_duplicate(
        self,
        conn: Connection,
        batch: _Batch,
        known: _Known,
        ex: Extraction,
        signature: tuple[int, ...] | None,
    ) -> tuple[str | None, float | None]:
        """The earliest-stored article this one is a near-identical copy of (its root, never a copy)."""
        best: tuple[float, str] | None = None
        if signature is not None:
            for other_id, other_sig, other_root in batch.signatures:
                sim = dedup.similarity(signature, other_sig)
                if sim >= dedup.DUPLICATE_THRESHOLD and (best is None or sim > best[0]):
                    best = (sim, other_root or other_id)
            pairs = dedup.bands(signature)
            candidates = (
                conn.execute(
                    select(t.article_lsh.c.article_id)
                    .where(tuple_(t.article_lsh.c.band, t.article_lsh.c.bucket).in_(pairs))
                    .distinct()
                    .limit(200)
                )
                .scalars()
                .all()
            )
            if candidates:
                rows = conn.execute(
                    select(
                        t.article_signatures.c.article_id,
                        t.article_signatures.c.signature,
                        t.articles.c.duplicate_of,
                    )
                    .join(t.articles, t.articles.c.id == t.article_signatures.c.article_id)
                    .where(t.article_signatures.c.article_id.in_(candidates))
                ).all()
                for other_id, sig_text, other_root in rows:
                    sim = dedup.similarity(signature, dedup.decode_signature(sig_text))
                    if sim >= dedup.DUPLICATE_THRESHOLD and (best is None or sim > best[0]):
                        best = (sim, other_root or other_id)
            return (best[1], round(best[0], 4)) if best else (None, None)
        # Without the text: same title and date and nearly the same extracted statements.
        art = ex.article
        published = _iso_date(art.published)
        if not (art.title and published):
            return None, None
        key = (art.title, published)
        others = [(i, _extraction_tokens(e), root) for i, e, root in batch.titles.get(key, [])]
        for other_id, extraction_json, other_root in known.titles.get(key, [])[:50]:
            others.append(
                (other_id, _extraction_tokens(Extraction.model_validate_json(extraction_json)), other_root)
            )
        if not others:
            return None, None
        mine = _extraction_tokens(ex)
        for other_id, tokens, other_root in others:
            sim = _jaccard(mine, tokens)
            if sim >= dedup.DUPLICATE_THRESHOLD and (best is None or sim > best[0]):
                best = (sim, other_root or other_id)
        return (best[1], round(best[0], 4)) if best else (None, None)

    def _resolve_actor(
        self,
        conn: Connection,
        batch: _Batch,
        actor: Actor,
        published: str | None,
        article_id: str | None = None,
    ) -> tuple[str, bool]:
        keys = actor_keys(actor, article_id)
        found = next((self._actor_cache[k] for k in keys if k in self._actor_cache), None)
        if found is None:
            found = next((batch.new_keys[k] for k in keys if k in batch.new_keys), None)
        if found is None:
            rows = dict(
                conn.execute(
                    select(t.actor_keys.c.key, t.actor_keys.c.actor_id).where(t.actor_keys.c.key.in_(keys))
                ).all()
            )
            found = next((rows[k] for k in keys if k in rows), None)
            for k, v in rows.items():
                self._actor_cache[k] = v
        new = found is None
        if found is None:
            found = "A" + hashlib.sha1(keys[0].encode()).hexdigest()[:15]
            batch.new_actors[found] = {
                "id": found,
                "name": actor.name[:300],
                "name_norm": normalise_name(actor.name)[:300],
                "kind": actor.kind,
                "code": actor.code,
                "country": actor.country,
                "sector": actor.sector,
                "role": actor.role,
                "organization_id": None,
                "wikidata": actor.wikidata,
                "cameo": actor.cameo,
                "aliases": t.join_list(actor.aliases),
                "first_seen": published,
            }
        elif found not in batch.new_actors:
            self._enrich_actor(conn, found, actor)
        for k in keys:
            if k not in self._actor_cache and k not in batch.new_keys:
                if (
                    not new
                    and conn.execute(select(t.actor_keys.c.key).where(t.actor_keys.c.key == k)).first()
                ):
                    continue
                batch.new_keys[k] = found
        return found, new

    def _enrich_actor(self, conn: Connection, actor_id: str, actor: Actor) -> None:
        """Fill fields a canonical actor lacks with what a later article knows."""
        offered = {col for col in ("wikidata", "code", "country", "sector", "cameo") if getattr(actor, col)}
        seen = self._enriched.setdefault(actor_id, set())
        if offered <= seen:
            return
        seen |= offered
        table = t.actors
        values = {col: func.coalesce(table.c[col], getattr(actor, col)) for col in offered}
        conn.execute(update(table).where(table.c.id == actor_id).values(**values))

    def _assign_stories(self, conn: Connection, batch: _Batch) -> None:
        """Group counted events of the same type and dyad within the window and with similar evidence."""
        pending = batch.pending_events
        if not pending:
            return
        keys = sorted({(p["row"]["type"], p["dyad"]) for p in pending})
        dates = [p["row"]["date"] for p in pending]
        lo = (date.fromisoformat(min(dates)) - self.story_window).isoformat()
        hi = (date.fromisoformat(max(dates)) + self.story_window).isoformat()
        known: dict[tuple[str, str], list[_Story]] = defaultdict(list)
        s = t.stories
        for chunk_start in range(0, len(keys), 200):
            chunk = keys[chunk_start : chunk_start + 200]
            for r in conn.execute(
                select(s).where(
                    tuple_(s.c.type, s.c.dyad).in_(chunk), s.c.last_date >= lo, s.c.first_date <= hi
                )
            ):
                known[(r.type, r.dyad)].append(
                    _Story(
                        r.id,
                        r.type,
                        r.dyad,
                        r.first_date,
                        r.last_date,
                        set(r.evidence_tokens.split()),
                        r.first_event_id,
                        r.first_article_id,
                        reports=r.reports,
                        articles=r.articles,
                    )
                )
        window = self.story_window.days
        for p in sorted(pending, key=lambda p: (p["row"]["date"], p["row"]["id"])):
            row = p["row"]
            day = date.fromisoformat(row["date"])
            best: tuple[float, _Story] | None = None
            for story in known[(row["type"], p["dyad"])]:
                first, last = date.fromisoformat(story.first_date), date.fromisoformat(story.last_date)
                if not (first - self.story_window <= day <= last + self.story_window):
                    continue
                gap = max((first - day).days, (day - last).days, 0)
                score = _jaccard(p["tokens"], story.tokens)
                if score >= self.story_similarity or gap <= 1:
                    score += (window - gap) / (10 * (window + 1))  # prefer the closest in time
                    if best is None or score > best[0]:
                        best = (score, story)
            if best is None:
                story = _Story(
                    f"S:{row['id']}",
                    row["type"],
                    p["dyad"],
                    row["date"],
                    row["date"],
                    p["tokens"],
                    row["id"],
                    row["article_id"],
                    new=True,
                )
                known[(row["type"], p["dyad"])].append(story)
            else:
                story = best[1]
                story.changed = True
                if row["date"] < story.first_date:  # an earlier report becomes the first one
                    story.first_date = row["date"]
                    story.first_event_id, story.first_article_id = row["id"], row["article_id"]
                story.last_date = max(story.last_date, row["date"])
            # Articles are new in their batch, so an article not seen in this batch is a new reporter.
            story.reports += 1
            if row["article_id"] not in story.batch_articles:
                story.batch_articles.add(row["article_id"])
                story.articles += 1
            row["story_id"] = story.id
        for stories in known.values():
            for story in stories:
                if story.new:
                    batch.rows["stories"].append(
                        {
                            "id": story.id,
                            "type": story.type,
                            "dyad": story.dyad,
                            "first_date": story.first_date,
                            "last_date": story.last_date,
                            "first_event_id": story.first_event_id,
                            "first_article_id": story.first_article_id,
                            "evidence_tokens": " ".join(sorted(story.tokens)),
                            "reports": story.reports,
                            "articles": story.articles,
                        }
                    )
                elif story.changed:
                    conn.execute(
                        update(s)
                        .where(s.c.id == story.id)
                        .values(
                            first_date=story.first_date,
                            last_date=story.last_date,
                            first_event_id=story.first_event_id,
                            first_article_id=story.first_article_id,
                            reports=story.reports,
                            articles=story.articles,
                        )
                    )

    def _flush(self, conn: Connection, batch: _Batch) -> None:
        if batch.new_actors:
            conn.execute(insert(t.actors), list(batch.new_actors.values()))
        if batch.new_keys:
            conn.execute(insert(t.actor_keys), [{"key": k, "actor_id": v} for k, v in batch.new_keys.items()])
        order = (
            "articles",
            "article_signatures",
            "article_lsh",
            "article_actors",
            "mentions",
            "quantities",
            "quotes",
            "quote_about",
            "stories",
            "events",
            "event_actors",
            "event_evidence",
            "event_locations",
            "event_quantities",
        )
        batch.rows["event_dyads"] = [
            {
                "event_id": row["id"],
                "source_id": source_id,
                "target_id": target_id,
                "article_id": row["article_id"],
                "date": row["date"],
                "type": row["type"],
                "quad_class": row["quad_class"],
                "goldstein": row["goldstein"],
                "unit": row["story_id"] or row["id"],
                "confidence": row["confidence"],
            }
            for row, source_id, target_id in batch.dyads
        ]
        for name in (*order, "event_dyads"):
            rows = batch.rows.get(name)
            if rows:
                table = t.metadata.tables[name]
                for start in range(0, len(rows), 5000):
                    conn.execute(insert(table), rows[start : start + 5000])
        self._actor_cache.update(batch.new_keys)

    def _delete_children(self, conn: Connection, article_id: str) -> None:
        """Remove everything derived from one article (before re-processing it)."""
        ev = t.events
        story_ids = set(
            conn.execute(
                select(ev.c.story_id).where(ev.c.article_id == article_id, ev.c.story_id.is_not(None))
            ).scalars()
        )
        event_ids = select(ev.c.id).where(ev.c.article_id == article_id).scalar_subquery()
        quote_ids = select(t.quotes.c.id).where(t.quotes.c.article_id == article_id).scalar_subquery()
        for name in t.ARTICLE_CHILD_TABLES:
            table = t.metadata.tables[name]
            if "article_id" in table.c:
                owned = table.c.article_id == article_id
            elif "event_id" in table.c:
                owned = table.c.event_id.in_(event_ids)
            else:
                owned = table.c.quote_id.in_(quote_ids)
            conn.execute(delete(table).where(owned))
        self._repair_stories(conn, story_ids)

    def _repair_stories(self, conn: Connection, story_ids: set[str]) -> None:
        """Keep stories consistent after their events were deleted: drop empty ones, move the first report."""
        ev, s = t.events, t.stories
        for story_id in sorted(story_ids):
            first = conn.execute(
                select(ev.c.id, ev.c.article_id, ev.c.date)
                .where(ev.c.story_id == story_id)
                .order_by(ev.c.date, ev.c.id)
                .limit(1)
            ).first()
            if first is None:
                conn.execute(delete(s).where(s.c.id == story_id))
                continue
            last, reports, articles = conn.execute(
                select(func.max(ev.c.date), func.count(), func.count(func.distinct(ev.c.article_id))).where(
                    ev.c.story_id == story_id
                )
            ).one()
            conn.execute(
                update(s)
                .where(s.c.id == story_id)
                .values(
                    first_event_id=first.id,
                    first_article_id=first.article_id,
                    first_date=first.date,
                    last_date=last,
                    reports=reports,
                    articles=articles,
                )
            )

    # -- reading -----------------------------------------------------------------------------------

    def iter_extractions(self, article_ids: Iterable[str] | None = None) -> Iterator[Extraction]:
        with self.engine.connect() as conn:
            query = select(t.articles.c.extraction).order_by(t.articles.c.id)
            if article_ids is not None:
                query = query.where(t.articles.c.id.in_(list(article_ids)))
            for (text,) in conn.execute(query):
                yield Extraction.model_validate_json(text)


def _extraction_tokens(ex: Extraction) -> set[str]:
    parts = [q.text for q in ex.quotes] + [e.evidence.text for e in ex.events] + [a.name for a in ex.actors]
    return evidence_tokens(" ".join(parts))


_PG_WRITE_LOCK = "SELECT pg_advisory_xact_lock(hashtext('newsgraph-write:' || current_schema()))"


def _retriable(err: Exception) -> bool:
    """A constraint violation, PostgreSQL's deadlock / serialization failure between two writers, or
    SQLite still busy after its timeout."""
    if isinstance(err, IntegrityError):
        return True
    if "database is locked" in str(getattr(err, "orig", err)):
        return True
    return getattr(getattr(err, "orig", None), "sqlstate", None) in ("40P01", "40001")


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    _sqlite_wal(cursor)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_wal(cursor: sqlite3.Cursor, attempts: int = 100) -> None:
    """WAL is a property of the file, set by the first connection. Two processes opening a new file at the
    same moment can find it locked while the other switches it, and SQLite then answers "database is locked"
    at once instead of waiting out the busy timeout: so read the mode first and retry the switch briefly."""
    for attempt in range(attempts):
        try:
            if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or attempt == attempts - 1:
                raise
            time.sleep(0.05)
