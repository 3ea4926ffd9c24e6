# ruff: noqa: F811  (the fixture imported from test_store_cli is a parameter here)
"""The command line's own text: every command's help (examples, placeholders) and docs/cli.md agree,
and table output off a terminal is not wrapped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from newsgraph.cli import app
from newsgraph.cli.help import EXAMPLES
from test_store_cli import db  # noqa: F401  (the demo store fixture)

REPO = Path(__file__).resolve().parents[1]
runner = CliRunner()
WIDE = {"COLUMNS": "250"}  # so help lines are not wrapped and can be compared whole


def command_paths() -> list[tuple[str, ...]]:
    """Every command a user can run, as its words after ``newsgraph``, groups included."""
    out: list[tuple[str, ...]] = []

    def walk(command, path: tuple[str, ...]) -> None:
        out.append(path)
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return out


def leaf_paths() -> list[tuple[str, ...]]:
    paths = command_paths()
    return [p for p in paths if not any(q[: len(p)] == p and q != p for q in paths)]


def help_text(path: tuple[str, ...]) -> str:
    result = runner.invoke(app, [*path, "--help"], env=WIDE)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p) or "newsgraph")
def test_flags_show_no_value_placeholder(path):
    text = help_text(path)
    assert "<bool>" not in text
    assert re.search(r"--help\s+Show this message", text), text


def test_value_options_keep_their_placeholder():
    text = help_text(("events",))
    assert re.search(r"--limit\s+<int range>", text) and re.search(r"--all\s+Include negated", text)
    assert re.search(r"--progress\s+--no-progress\s+Progress bar", help_text(("ingest",)))


@pytest.mark.parametrize("path", leaf_paths(), ids=" ".join)
def test_every_command_help_has_its_example(path):
    name = " ".join(path)
    assert name in EXAMPLES, f"`newsgraph {name}` has no example in newsgraph/cli/help.py"
    text = help_text(path)
    assert "Example:" in text
    lines = [line.strip() for line in text.splitlines()]
    for example in EXAMPLES[name]:
        assert f"$ {example}" in lines, (example, text)
        assert example.startswith(f"newsgraph {name} ") or example.startswith("newsgraph ")


def _documented_examples() -> dict[str, list[str]]:
    """docs/cli.md: the ``$ ...`` lines of each command section's Example block."""
    doc = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    out: dict[str, list[str]] = {}
    for section in re.split(r"^### ", doc, flags=re.M)[1:]:
        title = re.match(r"`newsgraph ([^`]+)`", section)
        block = re.search(r"\*\*Example\*\*:\s*```console\n(.*?)```", section, flags=re.S)
        if title and block:
            out[title[1]] = [ln[2:] for ln in block[1].splitlines() if ln.startswith("$ ")]
    return out


def test_docs_cli_md_shows_the_same_examples_as_the_help():
    documented = _documented_examples()
    assert documented == {name: list(lines) for name, lines in EXAMPLES.items()}


# -- tables off a terminal -------------------------------------------------------------------------------


def table(*args: str) -> str:
    result = runner.invoke(app, [*args, "--format", "table"])  # CliRunner's stdout is not a terminal
    assert result.exit_code == 0, result.output
    return result.stdout


def rows(text: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip("│").split("│")] for line in text.splitlines()
            if line.startswith("│")]


def test_tables_are_not_wrapped_when_piped(db):
    out = table("events", "--all", "--db", db)
    sentence = ("North Korea has delivered 5,000 artillery shells to Russia in recent weeks, "
                "spokesman Matthew Miller told reporters on Monday.")
    assert any(sentence in line for line in out.splitlines()), out
    body = rows(out)
    assert len(body) == 13  # one line per event, none folded onto a second line
    assert max(len(line) for line in out.splitlines()) > 80


def test_stories_and_changes_tables_have_readable_cells(db):
    stories = table("stories", "--db", db)
    assert "{" not in stories and '"event_id"' not in stories
    header = rows(stories.replace("┃", "│"))[0] if "┃" not in stories else None
    assert header is None or "first report" in header
    assert "North Korea delivers shells to Russia · 2024-03-04 · Wire Service" in stories
    assert "Pyongyang delivered more artillery shells to Moscow" in stories or \
        "North Korea has delivered 5,000 artillery shells" in stories
    changes = table("changes", "--since", "2024-04-01", "--until", "2024-04-30", "--db", db)
    assert "{" not in changes and '"total"' not in changes
    assert "against 2024-03-02 to 2024-03-31" in changes
    cells = [c for row in rows(changes) for c in row]
    assert any(re.fullmatch(r"\d+ \(\d+ cooperation, \d+ conflict\)", c) for c in cells), cells
    assert "none" in cells  # a dyad that appeared had no events before
