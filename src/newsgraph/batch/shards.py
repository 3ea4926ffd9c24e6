"""Shard files: the contract's tables as Parquet (or JSONL), one directory per shard.

Layout of a batch output directory::

    OUTPUT/shard-000000/articles.parquet      one row per article
                        actors.parquet        one row per actor (mentions in their own table)
                        mentions.parquet      one row per actor mention
                        quotes.parquet, events.parquet, quantities.parquet
                        extractions.parquet   the full extraction JSON (and article text) per article
                        _shard.json           written last: ids, counts, input digest, coder
    OUTPUT/_manifest.json                     summary of the last run

Every row carries ``article_id`` and the coder/model version that produced it. A shard is written
into a hidden temporary directory and renamed into place, so a shard directory either exists
complete or not at all. The ``extractions`` table makes shards load back losslessly; the other
tables are flattened from the contract models (nested spans become ``<field>_start``/``_end``/
``_text`` columns, lists of objects become JSON strings), so columns follow the contract.
"""

from __future__ import annotations

import json
import os
import shutil
import types
import typing
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel

from newsgraph.contract import Actor, Article, Event, Extraction, Mention, Quantity, Quote

ShardFormat = Literal["parquet", "jsonl"]
SHARD_PREFIX = "shard-"
META_FILE = "_shard.json"
TMP_PREFIX = ".tmp-"
TABLES = ("articles", "actors", "mentions", "quotes", "events", "quantities", "extractions")
TAG_COLUMNS = ("article_id", "coder_name", "coder_version", "model_name", "model_version")


@dataclass(frozen=True)
class _Column:
    name: str
    type: pa.DataType
    get: Callable[[Any], Any]


def _strip_optional(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _getter(path: tuple[str, ...]) -> Callable[[Any], Any]:
    def get(obj: Any) -> Any:
        for name in path:
            if obj is None:
                return None
            obj = getattr(obj, name)
        return obj
    return get


def _json_list(path: tuple[str, ...]) -> Callable[[Any], Any]:
    base = _getter(path)

    def get(obj: Any) -> str:
        return json.dumps([item.model_dump(mode="json") for item in (base(obj) or [])], ensure_ascii=False)
    return get


def _columns_of(model: type[BaseModel], entity: str, skip: frozenset[str] = frozenset(),
                prefix: str = "", path: tuple[str, ...] = ()) -> list[_Column]:
    """Arrow columns for a contract model, derived from its field annotations."""
    cols: list[_Column] = []
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        ann = _strip_optional(info.annotation)
        col = f"{entity}_id" if (name == "id" and not prefix) else f"{prefix}{name}"
        here = (*path, name)
        origin = typing.get_origin(ann)
        if ann is str or origin is Literal:
            cols.append(_Column(col, pa.string(), _getter(here)))
        elif ann is bool:
            cols.append(_Column(col, pa.bool_(), _getter(here)))
        elif ann is int:
            cols.append(_Column(col, pa.int64(), _getter(here)))
        elif ann is float:
            cols.append(_Column(col, pa.float64(), _getter(here)))
        elif isinstance(ann, type) and issubclass(ann, BaseModel):
            cols.extend(_columns_of(ann, entity, prefix=f"{col}_", path=here))
        elif origin is list and typing.get_args(ann)[0] is str:
            cols.append(_Column(col, pa.list_(pa.string()), _getter(here)))
        elif origin is list:
            cols.append(_Column(col, pa.string(), _json_list(here)))
        else:  # a field type this flattening does not know: keep it as JSON rather than lose it
            cols.append(_Column(col, pa.string(), lambda o, _g=_getter(here): json.dumps(_g(o), default=str)))
    return cols


def _tag_columns() -> list[_Column]:
    return [
        _Column("article_id", pa.string(), lambda r: r[0].article.id),
        _Column("coder_name", pa.string(), lambda r: r[0].coder.name),
        _Column("coder_version", pa.string(), lambda r: r[0].coder.version),
        _Column("model_name", pa.string(), lambda r: r[0].coder.model.name),
        _Column("model_version", pa.string(), lambda r: r[0].coder.model.version),
    ]


def _on_item(cols: list[_Column]) -> list[_Column]:
    """Columns read from the row's item (rows are ``(extraction, item)`` pairs)."""
    return [_Column(c.name, c.type, lambda r, _g=c.get: _g(r[1])) for c in cols]


def _table_columns() -> dict[str, list[_Column]]:
    tags = _tag_columns()
    return {
        "articles": tags + _on_item(_columns_of(Article, "article", skip=frozenset({"id"}))) + [
            _Column("n_actors", pa.int64(), lambda r: len(r[0].actors)),
            _Column("n_quotes", pa.int64(), lambda r: len(r[0].quotes)),
            _Column("n_events", pa.int64(), lambda r: len(r[0].events)),
            _Column("n_quantities", pa.int64(), lambda r: len(r[0].quantities)),
            _Column("n_warnings", pa.int64(), lambda r: len(r[0].warnings)),
        ],
        "actors": tags + _on_item(_columns_of(Actor, "actor", skip=frozenset({"mentions"}))) + [
            _Column("n_mentions", pa.int64(), lambda r: len(r[1].mentions)),
        ],
        "mentions": tags + [_Column("actor_id", pa.string(), lambda r: r[1][0])]
        + [_Column(c.name, c.type, lambda r, _g=c.get: _g(r[1][1])) for c in _columns_of(Mention, "mention")],
        "quotes": tags + _on_item(_columns_of(Quote, "quote")),
        "events": tags + _on_item(_columns_of(Event, "event")),
        "quantities": tags + _on_item(_columns_of(Quantity, "quantity")),
        "extractions": tags + [
            _Column("extraction", pa.string(),
                    lambda r: json.dumps(r[0].to_json_dict(), ensure_ascii=False, sort_keys=True)),
            _Column("text", pa.string(), lambda r: r[1]),
        ],
    }


def _rows(table: str, extractions: Sequence[Extraction], texts: Sequence[str | None]) -> Iterator[tuple]:
    for ex, text in zip(extractions, texts, strict=True):
        if table == "articles":
            yield ex, ex.article
        elif table == "actors":
            yield from ((ex, a) for a in ex.actors)
        elif table == "mentions":
            yield from ((ex, (a.id, m)) for a in ex.actors for m in a.mentions)
        elif table in ("quotes", "events", "quantities"):
            yield from ((ex, item) for item in getattr(ex, table))
        else:
            yield ex, text


def shard_tables(extractions: Sequence[Extraction], texts: Sequence[str | None] | None = None
                 ) -> dict[str, pa.Table]:
    """The contract's tables for a list of extractions, as Arrow tables (empty tables keep their schema)."""
    texts = list(texts) if texts is not None else [None] * len(extractions)
    out: dict[str, pa.Table] = {}
    for name, cols in _table_columns().items():
        rows = list(_rows(name, extractions, texts))
        schema = pa.schema([pa.field(c.name, c.type) for c in cols])
        out[name] = pa.table({c.name: pa.array([c.get(r) for r in rows], type=c.type) for c in cols},
                             schema=schema)
    return out


def shard_name(index: int) -> str:
    return f"{SHARD_PREFIX}{index:06d}"


@dataclass(frozen=True)
class ShardMeta:
    shard_id: str
    format: str
    articles: int
    article_ids: list[str]
    input_digest: str | None
    coder: dict | None
    problems: list[dict] | None = None  # inputs of the shard that could not be extracted

    @classmethod
    def read(cls, shard_dir: Path) -> ShardMeta:
        data = json.loads((shard_dir / META_FILE).read_text(encoding="utf-8"))
        return cls(**{k: data.get(k) for k in cls.__dataclass_fields__})


def encode_shard(shard_id: str, extractions: Sequence[Extraction], texts: Sequence[str | None] | None = None,
                 *, fmt: ShardFormat = "parquet", input_digest: str | None = None,
                 problems: Sequence[dict] = ()) -> dict[str, bytes]:
    """The files of one shard, as bytes by file name (``_shard.json`` included).

    Workers call this so that flattening and compression run in parallel; the driver only commits
    the bytes. ``texts`` (the article texts, same order) are kept in the ``extractions`` table so a
    later ingest can find near-identical copies exactly as an ordinary ingest does. ``problems``
    (``{origin, code, message}``) name the shard's inputs that could not be extracted.
    """
    texts = list(texts) if texts is not None else [None] * len(extractions)
    files: dict[str, bytes] = {}
    if fmt == "parquet":
        for name, table in shard_tables(extractions, texts).items():
            sink = pa.BufferOutputStream()
            pq.write_table(table, sink, compression="zstd")
            files[f"{name}.parquet"] = sink.getvalue().to_pybytes()
    elif fmt == "jsonl":
        files["extractions.jsonl"] = "".join(
            json.dumps(ex.to_json_dict(), ensure_ascii=False, sort_keys=True) + "\n" for ex in extractions
        ).encode("utf-8")
        files["texts.jsonl"] = "".join(
            json.dumps({"article_id": ex.article.id, "text": text}, ensure_ascii=False) + "\n"
            for ex, text in zip(extractions, texts, strict=True)
        ).encode("utf-8")
    else:
        raise ValueError(f"unknown shard format {fmt!r} (parquet or jsonl)")
    meta = {
        "shard_id": shard_id, "format": fmt, "articles": len(extractions),
        "article_ids": [ex.article.id for ex in extractions], "input_digest": input_digest,
        "coder": extractions[0].coder.model_dump(mode="json") if extractions else None,
        "problems": list(problems),
    }
    files[META_FILE] = json.dumps(meta, indent=1).encode("utf-8")
    return files


_FILE_NAMES = frozenset({f"{t}.parquet" for t in TABLES} | {"extractions.jsonl", "texts.jsonl", META_FILE})


def commit_shard(directory: str | Path, shard_id: str, files: Mapping[str, bytes]) -> Path:
    """Write a shard's files atomically: into a temporary directory, renamed to ``directory/shard_id``.

    If the shard already exists it is left alone (a rerun never writes a shard twice). Returns the
    shard directory.
    """
    if not shard_id.startswith(SHARD_PREFIX) or "/" in shard_id or os.sep in shard_id:
        raise ValueError(f"bad shard id {shard_id!r}")
    unknown = set(files) - _FILE_NAMES
    if unknown or META_FILE not in files:
        raise ValueError(f"unexpected shard files {sorted(unknown)} (or no {META_FILE})")
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    final = root / shard_id
    if (final / META_FILE).is_file():
        return final
    tmp = root / f"{TMP_PREFIX}{shard_id}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        for name in sorted(files, key=lambda n: n == META_FILE):  # the metadata last
            with open(tmp / name, "wb") as fh:
                fh.write(files[name])
                fh.flush()
                os.fsync(fh.fileno())
        _fsync_dir(tmp)
        if final.exists():  # an incomplete directory of that name (no metadata) is not a shard
            shutil.rmtree(final)
        os.rename(tmp, final)  # atomic on one filesystem: readers see all of the shard or none
        _fsync_dir(root)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


def write_shard(directory: str | Path, shard_id: str, extractions: Sequence[Extraction],
                texts: Sequence[str | None] | None = None, *, fmt: ShardFormat = "parquet",
                input_digest: str | None = None) -> Path:
    """Encode and commit one shard (see ``encode_shard`` and ``commit_shard``)."""
    final = Path(directory) / shard_id
    if (final / META_FILE).is_file():
        return final
    return commit_shard(directory, shard_id,
                        encode_shard(shard_id, extractions, texts, fmt=fmt, input_digest=input_digest))


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def shard_dirs(directory: str | Path) -> list[Path]:
    """Complete shards under ``directory``, in shard-id order (temporary leftovers are ignored)."""
    root = Path(directory)
    if not root.is_dir():
        raise FileNotFoundError(f"no such shard directory: {root}")
    return sorted(p for p in root.iterdir()
                  if p.is_dir() and p.name.startswith(SHARD_PREFIX) and (p / META_FILE).is_file())


def remove_temporaries(directory: str | Path) -> list[Path]:
    """Delete half-written shards left by a killed run; returns what was removed."""
    root = Path(directory)
    gone = [p for p in root.glob(f"{TMP_PREFIX}{SHARD_PREFIX}*") if p.is_dir()] if root.is_dir() else []
    for p in gone:
        shutil.rmtree(p, ignore_errors=True)
    return gone


def read_shard(shard_dir: str | Path) -> Iterator[tuple[Extraction, str | None]]:
    """``(extraction, text)`` for each article of one shard, in the order written."""
    shard_dir = Path(shard_dir)
    if (shard_dir / "extractions.parquet").is_file():
        table = pq.read_table(shard_dir / "extractions.parquet", columns=["extraction", "text"])
        raws, texts_ = table.column("extraction").to_pylist(), table.column("text").to_pylist()
        for raw, text in zip(raws, texts_, strict=True):
            yield Extraction.model_validate_json(raw), text
    elif (shard_dir / "extractions.jsonl").is_file():
        texts: list[str | None] = []
        if (shard_dir / "texts.jsonl").is_file():
            with open(shard_dir / "texts.jsonl", encoding="utf-8") as fh:
                texts = [json.loads(line).get("text") for line in fh if line.strip()]
        with open(shard_dir / "extractions.jsonl", encoding="utf-8") as fh:
            lines = [line for line in fh if line.strip()]
        for i, line in enumerate(lines):
            yield Extraction.model_validate_json(line), texts[i] if i < len(texts) else None
    else:
        raise FileNotFoundError(f"{shard_dir} holds neither extractions.parquet nor extractions.jsonl")


def read_items(directory: str | Path) -> Iterator[tuple[Extraction, str | None]]:
    """``(extraction, text)`` pairs from every shard under ``directory``: what ``Store.add`` accepts."""
    for shard in shard_dirs(directory):
        yield from read_shard(shard)


def read_extractions(directory: str | Path) -> Iterator[Extraction]:
    """Every extraction stored in the shards under ``directory``, shard by shard, in input order."""
    for ex, _text in read_items(directory):
        yield ex


def read_table(directory: str | Path, table: str) -> pa.Table:
    """One of the contract's tables across all Parquet shards under ``directory``."""
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}; one of {', '.join(TABLES)}")
    parts = [pq.read_table(d / f"{table}.parquet") for d in shard_dirs(directory)
             if (d / f"{table}.parquet").is_file()]
    if not parts:
        return shard_tables([])[table]
    return pa.concat_tables(parts)

