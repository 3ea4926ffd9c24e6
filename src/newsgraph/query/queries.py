"""Query functions over a ``Store`` (SQLAlchemy Core; the same SQL on SQLite and PostgreSQL).

Aggregates (actor counts, network, timeline, stories, changes) count only events that are
positive, actual and not from a linked near-duplicate article (``events.counted``).  The network
and the timeline count stories (one per group of reports of the same event) unless asked to count
reports.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from typing import Literal

from sqlalchemy import Select, and_, func, or_, select, union_all

from newsgraph.contract import Extraction
from newsgraph.query.models import (
    ActorBrief,
    ActorDetail,
    ActorRef,
    ActorRow,
    ArticleRow,
    DyadChange,
    DyadStats,
    EventLocationRow,
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
from newsgraph.store import Store
from newsgraph.store import tables as t
from newsgraph.store.store import LOCAL_KEY_PREFIX, normalise_name

CountBy = Literal["stories", "reports"]
DateLike = str | dt.date | None
QUAD_FIELDS = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")

A, E, EA, ART, EL = t.actors, t.events, t.event_actors, t.articles, t.event_locations
BBox = tuple[float, float, float, float]  # west, south, east, north (degrees)


def parse_bbox(value: str | Sequence[float] | None) -> BBox | None:
    """"west,south,east,north" (GeoJSON order) as four floats; a ValueError names what is wrong."""
    if value is None or value == "":
        return None
    parts = [float(v) for v in (value.split(",") if isinstance(value, str) else value)]
    if len(parts) != 4:
        raise ValueError("a bounding box is four numbers: west,south,east,north")
    w, s, e, n = parts
    if not (-180 <= w <= 180 and -180 <= e <= 180 and -90 <= s <= n <= 90):
        raise ValueError("bounding box out of range: longitudes -180..180, latitudes -90..90, south <= north")
    return w, s, e, n


def _codes(value: str | Sequence[str] | None) -> list[str] | None:
    if not value:
        return None
    items = value.split(",") if isinstance(value, str) else list(value)
    return [v.strip().upper() for v in items if v.strip()] or None


def _day(value: DateLike) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return dt.date.fromisoformat(str(value)[:10]).isoformat()


def _types(value: str | Sequence[str] | None) -> list[str] | None:
    if not value:
        return None
    items = [value] if isinstance(value, str) else list(value)
    out = [p.strip().upper() for raw in items for p in raw.split(",") if p.strip()]
    return out or None


def _in_days(first_col, last_col, since: DateLike, until: DateLike) -> list:
    """Conditions keeping rows whose days ``first_col``..``last_col`` meet [since, until] (both optional);
    for rows with one date pass the same column twice."""
    conds = []
    if _day(since):
        conds.append(last_col >= _day(since))
    if _day(until):
        conds.append(first_col <= _day(until))
    return conds


def actor_match(spec: str) -> Select:
    """Ids of the actors a user means by ``spec``: a store id, a code (PRK, IGO), a CAMEO code
    prefix (USAGOV), a Wikidata id, or a name (case-insensitive; part of the name or an alias)."""
    value = spec.strip()
    upper = value.upper()
    norm = normalise_name(value)
    conds = [A.c.id == value, A.c.code == upper, A.c.wikidata == value]
    if upper.isalnum() and len(upper) >= 3 and value == upper:
        conds.append(A.c.cameo.like(f"{upper}%"))
    if norm:
        conds.append(A.c.name_norm == norm)
        if len(norm) >= 3:
            conds.append(A.c.name_norm.like(f"%{norm}%"))
            conds.append(func.lower(A.c.aliases).like(f"%{value.lower()}%"))
    return select(A.c.id).where(or_(*conds))


def _actor_ids(conn, spec: str) -> list[str]:
    """The matching actors' ids, resolved once so the big tables are filtered by a short literal list."""
    return list(conn.execute(actor_match(spec)).scalars())


def _involving(spec: str, role: str | None = None) -> Select:
    q = select(EA.c.event_id).where(EA.c.actor_id.in_(actor_match(spec)))
    if role:
        q = q.where(EA.c.role == role)
    return q


@dataclass(frozen=True)
class EventFilter:
    """What an event listing or export keeps: every filter given must hold.  Negative and non-actual
    events (and those of near-duplicate copies) are left out unless ``include_all``."""

    actor: str | None = None  # either side
    source: str | None = None
    target: str | None = None
    type: str | Sequence[str] | None = None  # PLOVER type(s); "AID,ASSAULT" works too
    since: DateLike = None
    until: DateLike = None
    claimed_by: str | None = None  # whoever asserts the event
    article: str | None = None  # an article id (its near-duplicate copies included)
    country: str | Sequence[str] | None = None  # ISO3 code(s) of the country where it happened
    region: str | None = None  # first-level region where it happened (its gazetteer name)
    bbox: str | Sequence[float] | None = None  # "west,south,east,north": its point lies inside
    located: bool = False  # only events with a point (the map, GeoJSON)
    min_confidence: float | None = None  # events whose confidence is at least this (0-1)
    include_all: bool = False

    @classmethod
    def of(cls, where: EventFilter | None, filters: dict[str, object]) -> EventFilter:
        """``where``, or the filter that keyword arguments describe (unknown names are a TypeError)."""
        if where is not None and filters:
            raise TypeError("give an EventFilter or filter keywords, not both")
        return where if where is not None else cls(**filters)  # type: ignore[arg-type]

    def given(self) -> bool:
        """Whether any filter narrows the events (``include_all`` counts: it changes what is kept)."""
        return any(getattr(self, f.name) not in (None, "", [], (), False) for f in fields(self))

    def conditions(self) -> list:
        conds: list = []
        if self.actor:
            conds.append(E.c.id.in_(_involving(self.actor)))
        if self.source:
            conds.append(E.c.id.in_(_involving(self.source, "source")))
        if self.target:
            conds.append(E.c.id.in_(_involving(self.target, "target")))
        types = _types(self.type)
        if types:
            conds.append(E.c.type.in_(types))
        conds += _in_days(E.c.date, E.c.date, self.since, self.until)
        if self.claimed_by:
            conds.append(E.c.attributed_to_id.in_(actor_match(self.claimed_by)))
        if self.article:
            conds.append(
                or_(
                    E.c.article_id == self.article,
                    E.c.article_id.in_(select(ART.c.id).where(ART.c.source_id == self.article)),
                )
            )
        geo = self._geo_conditions()
        if geo:
            conds.append(E.c.id.in_(select(EL.c.event_id).where(*geo)))
        if self.min_confidence is not None:
            conds.append(E.c.confidence >= self.min_confidence)
        if not self.include_all:
            conds.append(and_(E.c.polarity == "positive", E.c.modality == "actual"))
            if not self.article:
                conds.append(E.c.is_duplicate == 0)
        return conds


    def _geo_conditions(self) -> list:
        conds: list = []
        countries = _codes(self.country)
        if countries:
            conds.append(EL.c.country.in_(countries))
        if self.region:
            conds.append(func.lower(EL.c.region) == self.region.strip().lower())
        box = parse_bbox(self.bbox)
        if box is not None:
            w, s, e, n = box
            conds.append(EL.c.lat.between(s, n))
            # a box across the antimeridian (west > east) holds the longitudes outside [east, west]
            conds.append(EL.c.lon.between(w, e) if w <= e else or_(EL.c.lon >= w, EL.c.lon <= e))
        if self.located or box is not None:
            conds.append(EL.c.lat.is_not(None))
        return conds


def _page(store: Store, base: Select, order: list, limit: int, offset: int) -> tuple[list, int]:
    with store.engine.connect() as conn:
        total = int(conn.execute(select(func.count()).select_from(base.subquery())).scalar_one())
        rows = conn.execute(base.order_by(*order).limit(limit).offset(offset)).all()
    return rows, total


# -- events -----------------------------------------------------------------------------------------


def list_events(
    store: Store, where: EventFilter | None = None, *, limit: int = 50, offset: int = 0, **filters: object
) -> Page[EventRow]:
    """Events matching ``where`` (or the ``EventFilter`` fields given as keywords), newest first."""
    conds = EventFilter.of(where, filters).conditions()
    base = select(E.c.id).where(*conds)
    rows, total = _page(store, base, [E.c.date.desc().nulls_last(), E.c.id], limit, offset)
    return Page[EventRow](
        items=event_rows(store, [r.id for r in rows]), total=total, limit=limit, offset=offset
    )


def iter_events(
    store: Store, where: EventFilter | None = None, *, chunk: int = 500, **filters: object
) -> Iterator[EventRow]:
    """Every matching event (for exports), oldest first."""
    conds = EventFilter.of(where, filters).conditions()
    with store.engine.connect() as conn:
        ids = list(
            conn.execute(select(E.c.id).where(*conds).order_by(E.c.date.asc().nulls_last(), E.c.id)).scalars()
        )
    for start in range(0, len(ids), chunk):
        yield from event_rows(store, ids[start : start + chunk])


def event_rows(store: Store, event_ids: list[str]) -> list[EventRow]:
    """Full rows for the given event ids, in that order."""
    if not event_ids:
        return []
    with store.engine.connect() as conn:
        events = {
            r.id: r
            for r in conn.execute(
                select(
                    E,
                    ART.c.title,
                    ART.c.url,
                    ART.c.source,
                    ART.c.language,
                    ART.c.duplicate_of,
                    ART.c.coder_version,
                    ART.c.ingested_at,
                )
                .join(ART, ART.c.id == E.c.article_id)
                .where(E.c.id.in_(event_ids))
            )
        }
        parties: dict[str, dict[str, list[ActorRef]]] = defaultdict(lambda: {"source": [], "target": []})
        for r in conn.execute(
            select(EA.c.event_id, EA.c.role, A.c.id, A.c.name, A.c.code, A.c.country)
            .join(A, A.c.id == EA.c.actor_id)
            .where(EA.c.event_id.in_(event_ids))
            .order_by(EA.c.event_id, EA.c.role, EA.c.position)
        ):
            parties[r.event_id][r.role].append(ActorRef(id=r.id, name=r.name, code=r.code, country=r.country))
        evidence: dict[str, list[SpanText]] = defaultdict(list)
        for r in conn.execute(
            select(t.event_evidence)
            .where(t.event_evidence.c.event_id.in_(event_ids))
            .order_by(t.event_evidence.c.event_id, t.event_evidence.c.position)
        ):
            evidence[r.event_id].append(SpanText(text=r.text, start=r.start, end=r.end))
        quantities: dict[str, list[QuantityRow]] = defaultdict(list)
        Q, EQ = t.quantities, t.event_quantities
        for r in conn.execute(
            select(EQ.c.event_id, Q)
            .join(Q, Q.c.id == EQ.c.quantity_id)
            .where(EQ.c.event_id.in_(event_ids))
            .order_by(EQ.c.event_id, Q.c.start)
        ):
            quantities[r.event_id].append(
                QuantityRow(
                    id=r.id,
                    text=r.text,
                    value=r.value,
                    unit=r.unit,
                    item=r.item,
                    qualifier=r.qualifier,
                    role=r.role,
                )
            )
        places = {
            r.event_id: EventLocationRow(
                basis=r.basis, name=r.name, feature=r.feature, gazetteer_id=r.gazetteer_id, country=r.country,
                region=r.region, lat=r.lat, lon=r.lon,
                evidence=SpanText(text=r.evidence_text, start=r.evidence_start, end=r.evidence_end),
            )
            for r in conn.execute(select(EL).where(EL.c.event_id.in_(event_ids)))
        }
        claimant_ids = {r.attributed_to_id for r in events.values() if r.attributed_to_id}
        names = (
            dict(conn.execute(select(A.c.id, A.c.name).where(A.c.id.in_(claimant_ids))).all())
            if claimant_ids
            else {}
        )
    out = []
    for event_id in event_ids:
        r = events.get(event_id)
        if r is None:
            continue
        spans = evidence.get(event_id) or [SpanText(text="", start=0, end=0)]
        out.append(
            EventRow(
                id=r.id,
                article_id=r.article_id,
                date=r.date,
                type=r.type,
                mode=r.mode,
                context=t.split_list(r.context),
                cameo=r.cameo,
                quad_class=r.quad_class,
                goldstein=r.goldstein,
                source=parties[event_id]["source"],
                target=parties[event_id]["target"],
                polarity=r.polarity,
                modality=r.modality,
                attributed_to=ActorBrief(id=r.attributed_to_id, name=names.get(r.attributed_to_id, ""))
                if r.attributed_to_id
                else None,
                quote_id=r.quote_id,
                trigger=SpanText(text=r.trigger_text, start=r.trigger_start, end=r.trigger_end),
                evidence=spans[0],
                also_evidence=spans[1:],
                evidence_sentence=spans[0].text,
                location=r.location,
                location_country=r.location_country,
                geo=places.get(event_id),
                quantities=quantities.get(event_id, []),
                confidence=r.confidence,
                story_id=r.story_id,
                duplicate_of=r.duplicate_of,
                article_title=r.title,
                article_url=r.url,
                article_source=r.source,
                language=r.language,
                coder_version=r.coder_version,
                ingested_at=r.ingested_at,
            )
        )
    return out


# -- quotes -----------------------------------------------------------------------------------------


def list_quotes(
    store: Store,
    *,
    speaker: str | None = None,
    about: str | None = None,
    since: DateLike = None,
    until: DateLike = None,
    search: str | None = None,
    article: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[QuoteRow]:
    """Quotes (direct, partial and reported speech), newest first. ``speaker``: quotes *by* the actor (it
    speaks, or its spokesman, official or member does: the speaker's organization); ``about``: quotes that
    *mention* it; ``search`` matches the quoted text."""
    Qt = t.quotes
    conds: list = []
    if speaker:
        who = actor_match(speaker)
        conds.append(or_(Qt.c.speaker_id.in_(who), Qt.c.speaker_organization_id.in_(who)))
    if about:
        conds.append(
            Qt.c.id.in_(
                select(t.quote_about.c.quote_id).where(t.quote_about.c.actor_id.in_(actor_match(about)))
            )
        )
    conds += _in_days(Qt.c.date, Qt.c.date, since, until)
    if search:
        conds.append(func.lower(Qt.c.text).like(f"%{search.lower()}%"))
    if article:
        conds.append(Qt.c.article_id == article)
    else:
        conds.append(Qt.c.is_duplicate == 0)
    base = select(Qt.c.id).where(*conds)
    rows, total = _page(
        store, base, [Qt.c.date.desc().nulls_last(), Qt.c.article_id, Qt.c.start], limit, offset
    )
    return Page[QuoteRow](
        items=quote_rows(store, [r.id for r in rows]), total=total, limit=limit, offset=offset
    )


def quote_rows(store: Store, quote_ids: list[str]) -> list[QuoteRow]:
    if not quote_ids:
        return []
    Qt, QA = t.quotes, t.quote_about
    with store.engine.connect() as conn:
        quotes = {
            r.id: r
            for r in conn.execute(
                select(Qt, ART.c.title, ART.c.url)
                .join(ART, ART.c.id == Qt.c.article_id)
                .where(Qt.c.id.in_(quote_ids))
            )
        }
        about: dict[str, list[str]] = defaultdict(list)
        for r in conn.execute(
            select(QA).where(QA.c.quote_id.in_(quote_ids)).order_by(QA.c.quote_id, QA.c.actor_id)
        ):
            about[r.quote_id].append(r.actor_id)
        wanted = {a for ids in about.values() for a in ids}
        wanted |= {r.speaker_id for r in quotes.values() if r.speaker_id}
        wanted |= {r.speaker_organization_id for r in quotes.values() if r.speaker_organization_id}
        wanted |= {r.addressee_id for r in quotes.values() if r.addressee_id}
        refs = _actor_refs(conn, wanted)
    out = []
    for quote_id in quote_ids:
        r = quotes.get(quote_id)
        if r is None:
            continue
        out.append(
            QuoteRow(
                id=r.id,
                article_id=r.article_id,
                date=r.date,
                kind=r.kind,
                text=r.text,
                start=r.start,
                end=r.end,
                speaker=refs.get(r.speaker_id),
                speaker_text=r.speaker_text,
                speaker_organization=refs.get(r.speaker_organization_id),
                cue=r.cue,
                addressee=refs.get(r.addressee_id),
                about=[refs[a] for a in about.get(quote_id, []) if a in refs],
                confidence=r.confidence,
                article_title=r.title,
                article_url=r.url,
            )
        )
    return out


def _actor_refs(conn, ids: Iterable[str]) -> dict[str, ActorRef]:
    ids = [i for i in ids if i]
    if not ids:
        return {}
    return {
        r.id: ActorRef(id=r.id, name=r.name, code=r.code, country=r.country)
        for r in conn.execute(select(A.c.id, A.c.name, A.c.code, A.c.country).where(A.c.id.in_(ids)))
    }


# -- actors -----------------------------------------------------------------------------------------


def _count_subqueries():
    M = t.mentions
    mentions = (
        select(M.c.actor_id.label("actor_id"), func.count().label("n"))
        .join(ART, ART.c.id == M.c.article_id)
        .where(ART.c.duplicate_of.is_(None))
        .group_by(M.c.actor_id)
        .subquery("mc")
    )
    events = (
        select(EA.c.actor_id.label("actor_id"), func.count(func.distinct(EA.c.event_id)).label("n"))
        .join(E, E.c.id == EA.c.event_id)
        .where(E.c.counted == 1)
        .group_by(EA.c.actor_id)
        .subquery("ec")
    )
    # quotes *by* the actor: it speaks, or someone speaks for it (each quote once per actor)
    Qt = t.quotes
    by = union_all(
        select(Qt.c.speaker_id.label("actor_id")).where(Qt.c.is_duplicate == 0, Qt.c.speaker_id.is_not(None)),
        select(Qt.c.speaker_organization_id.label("actor_id")).where(
            Qt.c.is_duplicate == 0,
            Qt.c.speaker_organization_id.is_not(None),
            or_(Qt.c.speaker_id.is_(None), Qt.c.speaker_id != Qt.c.speaker_organization_id),
        ),
    ).subquery("qby")
    quotes = select(by.c.actor_id, func.count().label("n")).group_by(by.c.actor_id).subquery("qc")
    return mentions, events, quotes


def _actor_select():
    mc, ec, qc = _count_subqueries()
    org = A.alias("org")
    return select(
        A,
        org.c.name.label("organization"),
        func.coalesce(mc.c.n, 0).label("mention_count"),
        func.coalesce(ec.c.n, 0).label("event_count"),
        func.coalesce(qc.c.n, 0).label("quote_count"),
    ).select_from(
        A.outerjoin(org, org.c.id == A.c.organization_id)
        .outerjoin(mc, mc.c.actor_id == A.c.id)
        .outerjoin(ec, ec.c.actor_id == A.c.id)
        .outerjoin(qc, qc.c.actor_id == A.c.id)
    )


def _actor_row(r) -> ActorRow:
    return ActorRow(
        id=r.id,
        name=r.name,
        kind=r.kind,
        code=r.code,
        country=r.country,
        sector=r.sector,
        role=r.role,
        organization_id=r.organization_id,
        organization=r.organization,
        wikidata=r.wikidata,
        cameo=r.cameo,
        aliases=t.split_list(r.aliases),
        mention_count=r.mention_count,
        event_count=r.event_count,
        quote_count=r.quote_count,
    )


def list_actors(
    store: Store,
    *,
    name: str | None = None,
    kind: str | None = None,
    country: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[ActorRow]:
    """Canonical actors with mention, event and quote counts, most mentioned first."""
    conds: list = []
    if name:
        conds.append(A.c.id.in_(actor_match(name)))
    if kind:
        conds.append(A.c.kind == kind.lower())
    if country:
        conds.append(A.c.country == country.upper())
    base = _actor_select().where(*conds)
    with store.engine.connect() as conn:
        total = int(conn.execute(select(func.count()).select_from(A).where(*conds)).scalar_one())
        sub = base.subquery()
        rows = conn.execute(
            select(sub)
            .order_by(sub.c.mention_count.desc(), sub.c.event_count.desc(), sub.c.name, sub.c.id)
            .limit(limit)
            .offset(offset)
        ).all()
    return Page[ActorRow](items=[_actor_row(r) for r in rows], total=total, limit=limit, offset=offset)


def resolve_actor(store: Store, spec: str) -> str | None:
    """The id of the one actor ``spec`` names: a store id as it is; else, of the actors ``actor_match``
    finds, the one whose code, Wikidata id or name is exactly ``spec`` (a state before its government or
    forces, which share its code), then a part of a name or an alias; ties go to the most mentioned."""
    value = spec.strip()
    M = t.mentions
    with store.engine.connect() as conn:
        if conn.execute(select(A.c.id).where(A.c.id == value)).first() is not None:
            return value
        mentions = select(M.c.actor_id, func.count().label("n")).group_by(M.c.actor_id).subquery()
        rows = conn.execute(
            select(A.c.id, A.c.kind, A.c.code, A.c.wikidata, A.c.name_norm,
                   func.coalesce(mentions.c.n, 0).label("n"))
            .outerjoin(mentions, mentions.c.actor_id == A.c.id)
            .where(A.c.id.in_(actor_match(value)))
        ).all()
    if not rows:
        return None
    upper, norm = value.upper(), normalise_name(value)

    def rank(r) -> tuple:
        by_code = r.code == upper or r.wikidata == value
        exact = 0 if by_code and r.kind == "state" else 1 if by_code else 2 if r.name_norm == norm else 3
        return exact, -int(r.n), r.id

    return min(rows, key=rank).id


def get_actor(store: Store, actor_id: str, *, recent: int = 20) -> ActorDetail | None:
    """One actor with its counts, its most recent events and quotes; ``actor_id`` may also be a code,
    a Wikidata id or a name (see ``resolve_actor``)."""
    resolved = resolve_actor(store, actor_id)
    if resolved is None:
        return None
    actor_id = resolved
    with store.engine.connect() as conn:
        r = conn.execute(_actor_select().where(A.c.id == actor_id)).first()
    if r is None:
        return None
    row = _actor_row(r)
    events = list_events(store, actor=actor_id, limit=recent).items
    quotes = list_quotes(store, speaker=actor_id, limit=recent).items
    return ActorDetail(**row.model_dump(), events=events, quotes=quotes)


# -- articles ---------------------------------------------------------------------------------------


def list_articles(
    store: Store,
    *,
    search: str | None = None,
    since: DateLike = None,
    until: DateLike = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[ArticleRow]:
    """Stored articles, newest first; ``search`` matches title or text."""
    conds: list = []
    if search:
        needle = f"%{search.lower()}%"
        conds.append(or_(func.lower(ART.c.title).like(needle), func.lower(ART.c.text).like(needle)))
    conds += _in_days(ART.c.published, ART.c.published, since, until)
    base = select(ART.c.id).where(*conds)
    rows, total = _page(store, base, [ART.c.published.desc().nulls_last(), ART.c.id], limit, offset)
    ids = [r.id for r in rows]
    with store.engine.connect() as conn:
        ec = (
            dict(
                conn.execute(
                    select(E.c.article_id, func.count())
                    .where(E.c.article_id.in_(ids))
                    .group_by(E.c.article_id)
                ).all()
            )
            if ids
            else {}
        )
        qc = (
            dict(
                conn.execute(
                    select(t.quotes.c.article_id, func.count())
                    .where(t.quotes.c.article_id.in_(ids))
                    .group_by(t.quotes.c.article_id)
                ).all()
            )
            if ids
            else {}
        )
        AA = t.article_actors
        ac = (
            dict(
                conn.execute(
                    select(AA.c.article_id, func.count(func.distinct(AA.c.actor_id)))
                    .where(AA.c.article_id.in_(ids))
                    .group_by(AA.c.article_id)
                ).all()
            )
            if ids
            else {}
        )
        details = {
            r.id: r
            for r in conn.execute(
                select(
                    ART.c.id,
                    ART.c.title,
                    ART.c.published,
                    ART.c.source,
                    ART.c.url,
                    ART.c.language,
                    ART.c.duplicate_of,
                    ART.c.coder_version,
                    ART.c.ingested_at,
                ).where(ART.c.id.in_(ids))
            )
        }
    items = [
        ArticleRow(**dict(details[i]._mapping), actor_count=ac.get(i, 0), event_count=ec.get(i, 0),
                   quote_count=qc.get(i, 0))
        for i in ids
    ]
    return Page[ArticleRow](items=items, total=total, limit=limit, offset=offset)


def get_article(store: Store, article_id: str) -> Extraction | None:
    """The extraction as it was stored (lossless)."""
    with store.engine.connect() as conn:
        text = conn.execute(select(ART.c.extraction).where(ART.c.id == article_id)).scalar_one_or_none()
    return Extraction.model_validate_json(text) if text is not None else None


def get_article_text(store: Store, article_id: str) -> str | None:
    with store.engine.connect() as conn:
        return conn.execute(select(ART.c.text).where(ART.c.id == article_id)).scalar_one_or_none()


# -- network ----------------------------------------------------------------------------------------


def _dyad_conditions(
    since: str | None, until: str | None, types: list[str] | None, min_confidence: float | None = None
) -> list:
    D = t.event_dyads
    conds = _in_days(D.c.date, D.c.date, since, until)
    if types:
        conds.append(D.c.type.in_(types))
    if min_confidence is not None:
        conds.append(D.c.confidence >= min_confidence)
    return conds


def _dyad_counts(
    store: Store,
    *,
    since: str | None,
    until: str | None,
    types: list[str] | None,
    count: CountBy,
    min_confidence: float | None = None,
) -> dict[tuple[str, str], dict]:
    """Per directed dyad: counts per QuadClass, total and Goldstein sum (counted events only)."""
    D = t.event_dyads
    unit = (
        func.count(func.distinct(D.c.unit)) if count == "stories" else func.count(func.distinct(D.c.event_id))
    )
    conds = _dyad_conditions(since, until, types, min_confidence)
    query = (
        select(
            D.c.source_id,
            D.c.target_id,
            D.c.quad_class,
            unit.label("n"),
            func.sum(D.c.goldstein).label("g"),
            func.count(D.c.goldstein).label("gn"),
        )
        .where(*conds)
        .group_by(D.c.source_id, D.c.target_id, D.c.quad_class)
    )
    out: dict[tuple[str, str], dict] = {}
    with store.engine.connect() as conn:
        for r in conn.execute(query):
            d = out.setdefault(
                (r.source_id, r.target_id), {"quads": [0, 0, 0, 0], "total": 0, "g": 0.0, "gn": 0}
            )
            if r.quad_class in (1, 2, 3, 4):
                d["quads"][r.quad_class - 1] += int(r.n)
            d["total"] += int(r.n)
            d["g"] += float(r.g or 0.0)
            d["gn"] += int(r.gn)
    return out


def _local_actors(store: Store, ids: set[str]) -> set[str]:
    """Which of ``ids`` are article-local actors (their identity key is scoped to one article)."""
    if not ids:
        return set()
    K = t.actor_keys
    out: set[str] = set()
    chunk = sorted(ids)
    with store.engine.connect() as conn:
        for i in range(0, len(chunk), 500):
            query = select(K.c.actor_id).where(
                K.c.actor_id.in_(chunk[i : i + 500]), K.c.key.like(f"{LOCAL_KEY_PREFIX}%")
            )
            out |= set(conn.execute(query).scalars())
    return out


def _below_confidence(
    store: Store, *, since: str | None, until: str | None, types: list[str] | None, min_confidence: float,
    include_local: bool,
) -> int:
    """Counted events on the network's dyads that ``min_confidence`` leaves out."""
    D, K = t.event_dyads, t.actor_keys
    query = select(func.count(func.distinct(D.c.event_id))).where(
        *_dyad_conditions(since, until, types), D.c.confidence < min_confidence
    )
    if not include_local:
        local = select(K.c.actor_id).where(K.c.key.like(f"{LOCAL_KEY_PREFIX}%"))
        query = query.where(D.c.source_id.not_in(local), D.c.target_id.not_in(local))
    with store.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def _net(quads: list[int], total: int) -> float:
    return round((quads[0] + quads[1] - quads[2] - quads[3]) / total, 4) if total else 0.0


def network(
    store: Store,
    *,
    since: DateLike = None,
    until: DateLike = None,
    types: str | Sequence[str] | None = None,
    min_count: int = 1,
    count: CountBy = "stories",
    include_local: bool = False,
    min_confidence: float | None = None,
) -> Network:
    """Actors as nodes, directed dyads as edges with counts per QuadClass and a net score.

    Article-local actors (generic descriptions such as "ministers", see the contract's ``local``) are left
    out unless ``include_local``: each exists in one article only and is no node of the network.
    With ``min_confidence`` only events of at least that confidence count, and ``hidden_events`` says how
    many it leaves out (the CLI, API and UI pass ``Settings.network_min_confidence`` by default)."""
    window = {"since": _day(since), "until": _day(until), "types": _types(types)}
    dyads = _dyad_counts(store, **window, count=count, min_confidence=min_confidence)
    hidden = set() if include_local else _local_actors(store, {a for dyad in dyads for a in dyad})
    edges = []
    for (s, tg), d in sorted(dyads.items()):
        if d["total"] < min_count or s in hidden or tg in hidden:
            continue
        edges.append(
            NetworkEdge(
                source=s,
                target=tg,
                **dict(zip(QUAD_FIELDS, d["quads"], strict=True)),
                total=d["total"],
                net_score=_net(d["quads"], d["total"]),
                mean_goldstein=round(d["g"] / d["gn"], 3) if d["gn"] else None,
            )
        )
    node_ids = sorted({e.source for e in edges} | {e.target for e in edges})
    nodes = []
    if node_ids:
        M = t.mentions
        with store.engine.connect() as conn:
            mentions = dict(
                conn.execute(
                    select(M.c.actor_id, func.count())
                    .where(M.c.actor_id.in_(node_ids))
                    .group_by(M.c.actor_id)
                ).all()
            )
            for r in conn.execute(
                select(A.c.id, A.c.name, A.c.kind, A.c.code, A.c.country)
                .where(A.c.id.in_(node_ids))
                .order_by(A.c.id)
            ):
                nodes.append(
                    NetworkNode(
                        id=r.id,
                        name=r.name,
                        kind=r.kind,
                        code=r.code,
                        country=r.country,
                        mentions=int(mentions.get(r.id, 0)),
                    )
                )
    hidden_events = (
        _below_confidence(store, **window, min_confidence=min_confidence, include_local=include_local)
        if min_confidence is not None
        else 0
    )
    return Network(count=count, since=_day(since), until=_day(until), min_confidence=min_confidence,
                   hidden_events=hidden_events, nodes=nodes, edges=edges)


# -- timeline ---------------------------------------------------------------------------------------


def _period(day: dt.date, by: str) -> tuple[str, dt.date, dt.date]:
    if by == "day":
        return day.isoformat(), day, day
    if by == "week":
        year, week, _ = day.isocalendar()
        start = day - dt.timedelta(days=day.weekday())
        return f"{year}-W{week:02d}", start, start + dt.timedelta(days=6)
    if by == "month":
        start = day.replace(day=1)
        nxt = (start + dt.timedelta(days=32)).replace(day=1)
        return f"{day.year}-{day.month:02d}", start, nxt - dt.timedelta(days=1)
    raise ValueError(f"by must be day, week or month, not {by!r}")


UNDATED = "undated"  # the timeline's period for events whose article has no date


def timeline(
    store: Store,
    *,
    actor: str | None = None,
    dyad: str | None = None,
    by: str = "month",
    since: DateLike = None,
    until: DateLike = None,
    count: CountBy = "stories",
    types: str | Sequence[str] | None = None,
    min_confidence: float | None = None,
) -> list[Period]:
    """Counts per QuadClass and mean Goldstein per period for one actor (either side) or a dyad
    ``A:B`` (both directions).  Periods between the first and last are listed even when empty.

    Events without a date (their article carries none) are in no period: without ``since`` and
    ``until`` they are counted in a last period named ``undated`` (no start or end), so the periods
    add up to what the network counts; with a date range they are outside it, as in the network.
    ``min_confidence`` keeps only events of at least that confidence, as in the network."""
    if (actor is None) == (dyad is None):
        raise ValueError("give exactly one of actor or dyad")
    since_d, until_d = _day(since), _day(until)
    type_list = _types(types)
    with_undated = since_d is None and until_d is None
    with store.engine.connect() as conn:
        if actor is not None:
            ids = _actor_ids(conn, actor)
            conds = [EA.c.actor_id.in_(ids), E.c.counted == 1]
            if not with_undated:
                conds.append(E.c.date.is_not(None))
            conds += _in_days(E.c.date, E.c.date, since_d, until_d)
            if type_list:
                conds.append(E.c.type.in_(type_list))
            if min_confidence is not None:
                conds.append(E.c.confidence >= min_confidence)
            query = (
                select(
                    E.c.id,
                    func.coalesce(E.c.story_id, E.c.id).label("unit"),
                    E.c.date,
                    E.c.quad_class,
                    E.c.goldstein,
                )
                .select_from(EA.join(E, E.c.id == EA.c.event_id))
                .where(*conds)
            )
        else:
            left, _, right = dyad.partition(":")  # type: ignore[union-attr]
            if not left.strip() or not right.strip():
                raise ValueError(f"dyad must be 'A:B', not {dyad!r}")
            a_ids, b_ids = _actor_ids(conn, left), _actor_ids(conn, right)
            D = t.event_dyads
            conds = [
                or_(
                    and_(D.c.source_id.in_(a_ids), D.c.target_id.in_(b_ids)),
                    and_(D.c.source_id.in_(b_ids), D.c.target_id.in_(a_ids)),
                ),
            ]
            if not with_undated:
                conds.append(D.c.date.is_not(None))
            conds += _dyad_conditions(since_d, until_d, type_list, min_confidence)
            query = select(D.c.event_id.label("id"), D.c.unit, D.c.date, D.c.quad_class, D.c.goldstein).where(
                *conds
            )
        rows = conn.execute(query).all()
    buckets: dict[str, dict] = {}
    seen: set[tuple[str, str]] = set()
    periods: dict[str | None, tuple[str, dt.date | None, dt.date | None]] = {None: (UNDATED, None, None)}
    rows.sort(key=lambda r: (r.date or "", r.id))
    for r in rows:
        if r.date not in periods:
            periods[r.date] = _period(dt.date.fromisoformat(r.date), by)
        label, start, end = periods[r.date]
        unit = r.unit if count == "stories" else r.id
        if (label, unit) in seen:
            continue  # one story counts once per period
        seen.add((label, unit))
        b = buckets.setdefault(
            label, {"start": start, "end": end, "quads": [0, 0, 0, 0], "total": 0, "g": 0.0, "gn": 0}
        )
        if r.quad_class in (1, 2, 3, 4):
            b["quads"][r.quad_class - 1] += 1
        b["total"] += 1
        if r.goldstein is not None:
            b["g"] += r.goldstein
            b["gn"] += 1

    def counted(label: str, start: dt.date | None, end: dt.date | None, b: dict) -> Period:
        return Period(
            period=label,
            start=start.isoformat() if start else None,
            end=end.isoformat() if end else None,
            **dict(zip(QUAD_FIELDS, b["quads"], strict=True)),
            total=b["total"],
            mean_goldstein=round(b["g"] / b["gn"], 3) if b["gn"] else None,
        )

    undated = buckets.pop(UNDATED, None)
    out = []
    if buckets:
        first = dt.date.fromisoformat(since_d) if since_d else min(b["start"] for b in buckets.values())
        last = dt.date.fromisoformat(until_d) if until_d else max(b["end"] for b in buckets.values())
        day = first
        while day <= last:
            label, start, end = _period(day, by)
            b = buckets.get(label)
            out.append(counted(label, start, end, b) if b else
                       Period(period=label, start=start.isoformat(), end=end.isoformat()))
            day = end + dt.timedelta(days=1)
    if undated:
        out.append(counted(UNDATED, None, None, undated))
    return out


# -- stories ----------------------------------------------------------------------------------------


def list_stories(
    store: Store,
    *,
    since: DateLike = None,
    until: DateLike = None,
    actor: str | None = None,
    type: str | Sequence[str] | None = None,
    min_reports: int = 1,
    limit: int = 50,
    offset: int = 0,
) -> Page[Story]:
    """Events grouped into stories (same type and dyad, close in time, similar evidence), most reported
    first, with the number of reports and the first report."""
    S = t.stories
    conds: list = [S.c.reports >= min_reports] if min_reports > 1 else []
    conds += _in_days(S.c.first_date, S.c.last_date, since, until)
    if _types(type):
        conds.append(S.c.type.in_(_types(type)))
    with store.engine.connect() as conn:
        if actor:
            ids = _actor_ids(conn, actor)
            conds.append(
                S.c.id.in_(
                    select(E.c.story_id)
                    .select_from(EA.join(E, E.c.id == EA.c.event_id))
                    .where(EA.c.actor_id.in_(ids))
                )
            )
        total = int(conn.execute(select(func.count()).select_from(S).where(*conds)).scalar_one())
        rows = conn.execute(
            select(S)
            .where(*conds)
            .order_by(S.c.reports.desc(), S.c.first_date.desc(), S.c.id)
            .limit(limit)
            .offset(offset)
        ).all()
        first_ids = [r.first_event_id for r in rows]
        firsts = (
            {
                r.id: r
                for r in conn.execute(
                    select(
                        E.c.id,
                        E.c.article_id,
                        E.c.date,
                        ART.c.title,
                        ART.c.url,
                        ART.c.source,
                        t.event_evidence.c.text,
                    )
                    .join(ART, ART.c.id == E.c.article_id)
                    .outerjoin(
                        t.event_evidence,
                        and_(t.event_evidence.c.event_id == E.c.id, t.event_evidence.c.position == 0),
                    )
                    .where(E.c.id.in_(first_ids))
                )
            }
            if first_ids
            else {}
        )
        actor_ids = {a for r in rows for side in r.dyad.split(">") for a in side.split(",") if a}
        refs = _actor_refs(conn, actor_ids)
    items = []
    for r in rows:
        left, _, right = r.dyad.partition(">")
        f = firsts.get(r.first_event_id)
        report = StoryReport(
            event_id=r.first_event_id,
            article_id=r.first_article_id,
            date=f.date if f else r.first_date,
            title=f.title if f else None,
            url=f.url if f else None,
            source=f.source if f else None,
            evidence=(f.text or "") if f else "",
        )
        items.append(
            Story(
                id=r.id,
                type=r.type,
                source=[refs[a] for a in left.split(",") if a in refs],
                target=[refs[a] for a in right.split(",") if a in refs],
                first_date=r.first_date,
                last_date=r.last_date,
                reports=int(r.reports),
                articles=int(r.articles),
                first_report=report,
            )
        )
    return Page[Story](items=items, total=total, limit=limit, offset=offset)


# -- changes ----------------------------------------------------------------------------------------


def _stats(d: dict | None) -> DyadStats:
    if not d:
        return DyadStats()
    q = d["quads"]
    return DyadStats(
        total=d["total"], cooperation=q[0] + q[1], conflict=q[2] + q[3], net_score=_net(q, d["total"])
    )


def changes(
    store: Store,
    *,
    since: DateLike,
    until: DateLike = None,
    count: CountBy = "stories",
    today: dt.date | None = None,
) -> list[DyadChange]:
    """Dyads that appeared, disappeared or turned from cooperation to conflict (or back) in
    ``[since, until]`` against the previous period of equal length (``until`` defaults to today)."""
    since_s = _day(since)
    if since_s is None:
        raise ValueError("since is required")
    start = dt.date.fromisoformat(since_s)
    end = dt.date.fromisoformat(_day(until)) if _day(until) else (today or dt.date.today())
    if end < start:
        raise ValueError("until is before since")
    length = (end - start).days + 1
    prev_end = start - dt.timedelta(days=1)
    prev_start = start - dt.timedelta(days=length)
    now = _dyad_counts(store, since=since_s, until=end.isoformat(), types=None, count=count)
    before = _dyad_counts(
        store, since=prev_start.isoformat(), until=prev_end.isoformat(), types=None, count=count
    )
    out: list[tuple[str, str, str]] = []
    for key in sorted(set(now) | set(before)):
        b, a = _stats(before.get(key)), _stats(now.get(key))
        if b.total == 0 and a.total > 0:
            kind = "appeared"
        elif b.total > 0 and a.total == 0:
            kind = "disappeared"
        elif b.cooperation > b.conflict and a.conflict > a.cooperation:
            kind = "cooperation_to_conflict"
        elif b.conflict > b.cooperation and a.cooperation > a.conflict:
            kind = "conflict_to_cooperation"
        else:
            continue
        out.append((key[0], key[1], kind))
    if not out:
        return []
    with store.engine.connect() as conn:
        refs = _actor_refs(conn, {a for s, tg, _ in out for a in (s, tg)})
    order = {"cooperation_to_conflict": 0, "conflict_to_cooperation": 1, "appeared": 2, "disappeared": 3}
    result = [
        DyadChange(
            source=refs[s],
            target=refs[tg],
            change=kind,
            before=_stats(before.get((s, tg))),
            after=_stats(now.get((s, tg))),
            previous_since=prev_start.isoformat(),
            previous_until=prev_end.isoformat(),
        )
        for s, tg, kind in out
        if s in refs and tg in refs
    ]
    result.sort(key=lambda c: (order[c.change], -(c.after.total + c.before.total), c.source.id, c.target.id))
    return result


__all__ = [
    "EventFilter",
    "parse_bbox",
    "actor_match",
    "changes",
    "event_rows",
    "get_actor",
    "get_article",
    "get_article_text",
    "iter_events",
    "list_actors",
    "list_articles",
    "list_events",
    "list_quotes",
    "list_stories",
    "network",
    "quote_rows",
    "resolve_actor",
    "timeline",
]
