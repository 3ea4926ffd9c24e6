"""How the commands' ``--help`` reads: an example under every command, and no value placeholder on flags.

``finish(app)`` is called once the command modules have registered themselves; it gives every command the
example listed here (``docs/cli.md`` shows the same ones, and a test keeps the two equal) and the command
classes below. A command added without an example fails that test.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup
from typer.models import DefaultPlaceholder

# Command path -> example command lines, shown under "Example" in the command's help.
EXAMPLES: dict[str, tuple[str, ...]] = {
    "extract": (
        "newsgraph extract examples/ceasefire-talks.txt --format table",
        "newsgraph extract examples/articles.jsonl --format jsonl > extractions.jsonl",
    ),
    "schema": ("newsgraph schema -o extraction-1.json",),
    "ingest": (
        "newsgraph ingest examples/ --db news.db",
        "newsgraph ingest archive/ --published 2024-06-18 --db news.db",
        "newsgraph ingest https://example.org/news/story.html --feed https://example.org/rss.xml "
        "--db news.db",
        "newsgraph ingest --from-parquet shards/ --db news.db",
    ),
    "events": (
        "newsgraph events --db news.db --actor PRK --type AID,ASSAULT --since 2024-01-01 --format table",
        "newsgraph events --db news.db --country IRQ,SYR --bbox 35,29,49,38 --type ASSAULT",
    ),
    "quotes": (
        "newsgraph quotes --db news.db --speaker Stoltenberg --search sanctions",
        "newsgraph quotes --db news.db --speaker RUS     # what Russia says: its bodies and officials "
        "included",
        "newsgraph quotes --db news.db --about RUS       # what is said about Russia",
    ),
    "actors": ("newsgraph actors --db news.db --kind person --country RUS --limit 20",),
    "network": (
        "newsgraph network --db news.db --since 2024-01-01 --min-count 2 --format gexf -o network.gexf",
    ),
    "timeline": ("newsgraph timeline --db news.db --dyad USA:RUS --by week --since 2024-03-01",),
    "stories": ("newsgraph stories --db news.db --actor UKR --min-reports 3",),
    "changes": ("newsgraph changes --db news.db --since 2024-04-01 --until 2024-04-30",),
    "export": (
        "newsgraph export --db news.db --format plover -o events.jsonl --actor IRN",
        "newsgraph export --db news.db --format parquet -o tables/",
    ),
    "serve": ("newsgraph serve --db news.db --port 8000   # then open http://127.0.0.1:8000/",),
    "batch": (
        "newsgraph batch 'corpus/*.jsonl' shards/ --workers 2 --shard-size 64",
        "newsgraph ingest --from-parquet shards/ --db news.db",
    ),
    "eval attribution": ("newsgraph eval attribution ../shared/eval/brat-sample --details",),
    "eval events": ("newsgraph eval events annotations/events --split dev --details",),
    "eval plv": ("newsgraph eval plv ../shared/eval/plv-train.tsv --format json",),
    "eval plover": ("newsgraph eval plover ../shared/eval/plover-gsr-dev.json --format json",),
    "eval places": (
        "newsgraph eval places annotations/places/re3d-open-locations.tsv --re3d ../shared/eval/re3d-open",
        "newsgraph eval places annotations/places/sentences.jsonl --details",
    ),
    "eval re3d": ("newsgraph eval re3d ../shared/eval/re3d-open --details",),
    "train attribution": (
        "newsgraph train attribution ../shared/eval/polnear/train --dev ../shared/eval/polnear/dev "
        "--report train.json",
    ),
    "train events": ("newsgraph train events --shared ../shared --card docs/model-cards/events.md",),
}


def example_text(lines: tuple[str, ...]) -> str:
    return "Example:\n\n" + "\n".join(f"$ {line}" for line in lines)


def _flags_without_type(params: list[Any]) -> list[Any]:
    # typer prints a flag as "--all <bool>", as if it took a value; an empty metavar prints nothing.
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
    return params


class Command(TyperCommand):
    def get_params(self, ctx: typer.Context) -> list[Any]:
        return _flags_without_type(super().get_params(ctx))


class Group(TyperGroup):
    def get_params(self, ctx: typer.Context) -> list[Any]:
        return _flags_without_type(super().get_params(ctx))


def finish(app: typer.Typer, path: tuple[str, ...] = ()) -> None:
    """Give every command of ``app`` (and of its sub-apps) its example and the classes above."""
    # typer fills in its own classes at registration; a class of the command's own is left alone.
    if _default(app.info.cls, TyperGroup):
        app.info.cls = Group
    for info in app.registered_commands:
        if _default(info.cls, TyperCommand):
            info.cls = Command
        name = " ".join((*path, info.name or ""))
        if name in EXAMPLES and not info.epilog:
            info.epilog = example_text(EXAMPLES[name])
    for group in app.registered_groups:
        if group.typer_instance is not None:
            if _default(group.cls, TyperGroup):
                group.cls = Group
            finish(group.typer_instance, (*path, group.name or ""))


def _default(cls: Any, typer_class: type) -> bool:
    return cls is None or cls is typer_class or isinstance(cls, DefaultPlaceholder)
