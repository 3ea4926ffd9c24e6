"""Turn paths, directories, JSONL and standard input into ``ArticleInput`` records.

Bad inputs never stop a batch: each becomes an ``InputProblem`` naming the input, and the caller
reports it (stderr or ``warnings``) and goes on with the rest.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from newsgraph.config import Settings

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
# Other names of a JSONL record's publication date, as news exports and scrapers write it.
PUBLISHED_ALIASES = ("date", "published_at", "publish_date", "pubDate", "datePublished", "date_published")


@dataclass
class ArticleInput:
    """One article as read, before any NLP.

    ``text`` is authoritative for offsets; ``html`` is kept for metadata.
    """

    text: str
    id: str | None = None
    html: str | None = None
    title: str | None = None
    published: str | None = None
    url: str | None = None
    source: str | None = None
    origin: str = "<input>"  # where it came from, for messages: a path, "path:line", a URL or "<stdin>"
    # The date to use when neither ``published`` nor the text's dateline gives one (``ingest --published``).
    default_published: str | None = None
    notes: list[str] = field(default_factory=list)  # what reading had to guess (a charset); become warnings


@dataclass
class InputProblem:
    origin: str
    message: str
    code: str = "bad-input"


def iter_inputs(paths: Sequence[str], settings: Settings, stdin: IO[bytes] | None = None
                ) -> Iterator[ArticleInput | InputProblem]:
    """Every article found under ``paths`` (files, directories recursively, ``-`` for standard input)."""
    for raw in paths:
        if raw == "-":
            data = (stdin or sys.stdin.buffer).read()
            yield from _from_bytes(data, "<stdin>", settings, suffix=None)
            continue
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            if not files:
                yield InputProblem(raw, "directory holds no files", "empty")
            for file in files:
                yield from _from_file(file, settings)
        elif path.is_file():
            yield from _from_file(path, settings)
        else:
            yield InputProblem(raw, "no such file or directory", "missing")


def _from_file(path: Path, settings: Settings) -> Iterator[ArticleInput | InputProblem]:
    size = path.stat().st_size
    if size > settings.max_input_bytes:
        yield InputProblem(str(path), f"file is {size:,} bytes, over the limit of "
                           f"{settings.max_input_bytes:,} (raise it with --max-bytes)", "oversized")
        return
    yield from _from_bytes(path.read_bytes(), str(path), settings, suffix=path.suffix.lower(), stem=path.stem)


def _from_bytes(data: bytes, origin: str, settings: Settings, suffix: str | None, stem: str | None = None
                ) -> Iterator[ArticleInput | InputProblem]:
    if len(data) > settings.max_input_bytes:
        yield InputProblem(origin, f"input is {len(data):,} bytes, over the limit of "
                           f"{settings.max_input_bytes:,} (raise it with --max-bytes)", "oversized")
        return
    if not data.strip():
        yield InputProblem(origin, "input is empty", "empty")
        return
    if b"\x00" in data[:8192]:
        yield InputProblem(origin, "input looks binary (NUL bytes), not text, HTML or JSONL", "binary")
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        bad = data[err.start:err.start + 1]
        yield InputProblem(origin, f"input is not UTF-8 (byte {err.start}: {bad!r}); "
                           "convert it, e.g. with iconv", "encoding")
        return
    if not text.strip():  # white space bytes.strip() keeps: U+001C…U+001F, U+0085, U+2028, no-break space…
        yield InputProblem(origin, "input is empty (white space only)", "empty")
        return
    kind = _sniff(text, suffix)
    if kind == "jsonl":
        yield from _from_jsonl(text.splitlines(), origin, settings)
    elif kind == "html":
        from newsgraph.ingest.html import article_from_html

        try:
            yield article_from_html(text, url=None, origin=origin, article_id=stem)
        except ValueError as err:
            yield InputProblem(origin, str(err), "no-article")
    else:
        yield ArticleInput(text=text, id=stem, origin=origin)


def _sniff(text: str, suffix: str | None) -> str:
    if suffix in JSONL_SUFFIXES or suffix == ".json":
        return "jsonl"
    if suffix in HTML_SUFFIXES:
        return "html"
    head = text.lstrip()[:512].lower()
    if suffix in TEXT_SUFFIXES or suffix is None:
        if head.startswith(("<!doctype html", "<html")):
            return "html"
        if suffix is None and head.startswith("{"):
            return "jsonl"
    return "text"


def _from_jsonl(lines: Iterable[str], origin: str, settings: Settings
                ) -> Iterator[ArticleInput | InputProblem]:
    lines = list(lines)
    # A single JSON document (object or array) is accepted too: users often have ``articles.json``.
    joined = "\n".join(lines).strip()
    if joined.startswith("[") or (joined.startswith("{") and sum(1 for ln in lines if ln.strip()) > 1
                                  and not lines[0].rstrip().endswith("}")):
        try:
            doc = json.loads(joined)
        except json.JSONDecodeError as err:
            yield InputProblem(origin, f"invalid JSON: {err}", "json")
            return
        records = doc if isinstance(doc, list) else [doc]
        for n, record in enumerate(records, 1):
            yield _record(record, f"{origin}#{n}", settings)
        return
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{origin}:{n}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield InputProblem(where, f"invalid JSON line: {err.msg} (column {err.colno})", "json")
            continue
        yield _record(record, where, settings)


def _record(record: object, where: str, settings: Settings) -> ArticleInput | InputProblem:
    if not isinstance(record, dict):
        return InputProblem(where, "a JSONL line must be an object with `text` or `html`", "json")
    text, html = record.get("text"), record.get("html")
    if not isinstance(text, str) and not isinstance(html, str):
        return InputProblem(where, "record has neither `text` nor `html`", "json")
    size = len((text or html or "").encode("utf-8"))
    if size > settings.max_input_bytes:
        return InputProblem(where, f"record is {size:,} bytes, over the limit of "
                            f"{settings.max_input_bytes:,}", "oversized")
    fields = {k: (str(record[k]) if record.get(k) is not None else None)
              for k in ("id", "title", "published", "url", "source")}
    if fields["published"] is None:
        fields["published"] = next((str(record[k]) for k in PUBLISHED_ALIASES if record.get(k)), None)
    if isinstance(text, str) and not text.strip() and isinstance(html, str) and html.strip():
        text = None  # an empty `text` next to `html`: read the page
    if isinstance(text, str):
        if not text.strip():
            return InputProblem(where, "record text is empty", "empty")
        return ArticleInput(text=text, html=html if isinstance(html, str) else None, origin=where, **fields)
    from newsgraph.ingest.html import article_from_html

    try:
        article = article_from_html(html, url=fields["url"], origin=where, article_id=fields["id"])
    except ValueError as err:
        return InputProblem(where, str(err), "no-article")
    for key, value in fields.items():
        if value is not None:
            setattr(article, key, value)
    return article
