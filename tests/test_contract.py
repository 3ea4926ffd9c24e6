"""The extraction contract: the committed JSON Schema is the generated one, and output validates."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from newsgraph.cli import app
from newsgraph.contract import SCHEMA_ID, json_schema

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "src" / "newsgraph" / "schema" / "extraction-1.json"


def test_committed_schema_equals_generated():
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == json_schema(), "run `newsgraph schema -o src/newsgraph/schema/extraction-1.json`"


def test_schema_command_prints_the_schema():
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"] == SCHEMA_ID


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_extraction_validates(extractor, validator):
    from newsgraph.ingest.readers import ArticleInput

    text = ("Trade Talks Resume\n\nGENEVA, March 3, 2025 - Swiss Foreign Minister Anna Keller said on Monday "
            "that the Kremlin had accepted the proposal. “We are ready,” she said.")
    data = extractor.extract(ArticleInput(text=text, id="c1")).to_json_dict()
    errors = sorted(validator.iter_errors(data), key=str)
    assert not errors, errors[0].message
    assert data["schema"] == SCHEMA_ID
    for actor in data["actors"]:
        for m in actor["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"]
    # a broken document is rejected, so the validation above means something
    data["actors"].append({"id": "x", "kind": "alien"})
    assert list(validator.iter_errors(data))


def test_seed_extraction_validates(seed_extraction, validator):
    data = seed_extraction.to_json_dict()
    errors = list(validator.iter_errors(data))
    assert not errors, errors[0].message
