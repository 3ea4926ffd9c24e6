"""``newsgraph extract`` end to end: formats, batches with bad inputs, exit codes, extra dictionaries."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgraph.cli import app

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
GOOD = ("Border Talks Resume\n\nGENEVA, March 3, 2025 - Norwegian Foreign Minister Kari Dahl said on Monday "
        "that the talks would resume. She said both sides had agreed to meet again.")


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


def invoke(runner, *args):
    return runner.invoke(app, ["extract", *map(str, args)])


@pytest.fixture
def batch(tmp_path):
    """One good article among every kind of bad input."""
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 20)
    (tmp_path / "latin1.txt").write_bytes("Die Gespr\u00e4che in M\u00fcnchen".encode("latin-1"))
    (tmp_path / "big.txt").write_text(GOOD * 40, encoding="utf-8")
    (tmp_path / "menu.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>",
                                        encoding="utf-8")
    (tmp_path / "german.txt").write_text(
        "Die Außenminister der beiden Länder haben sich am Montag in Genf getroffen und wollen die Gespräche "
        "über die Grenze im Frühjahr fortsetzen, sagte eine Sprecherin der Regierung.", encoding="utf-8")
    return tmp_path


def test_batch_with_bad_inputs_processes_the_rest(runner, batch):
    result = invoke(runner, batch, "--format", "jsonl", "--max-bytes", "2000")
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [x["article"]["id"] for x in lines] == ["german", "good"]
    for name, words in [("empty.txt", "empty"), ("binary.txt", "binary"), ("latin1.txt", "UTF-8"),
                        ("big.txt", "over the limit"), ("menu.html", "no article body")]:
        line = next((ln for ln in result.stderr.splitlines() if name in ln), "")
        assert words in line, (name, result.stderr)
    german = lines[0]
    assert german["article"]["language"] != "en" and german["actors"] == []
    assert german["warnings"] and german["warnings"][0]["code"] == "language"
    assert "german.txt" in german["warnings"][0]["input"] and "german.txt" in result.stderr
    good = lines[1]
    dahl = next(a for a in good["actors"] if a["name"] == "Kari Dahl")
    assert dahl["country"] == "NOR" and dahl["role"] == "Foreign Minister"
    assert good["article"]["dateline_place"] == "GENEVA" and good["article"]["published"] == "2025-03-03"


def test_nothing_processable_exits_non_zero(runner, batch):
    result = invoke(runner, batch / "empty.txt", batch / "binary.txt", batch / "missing.txt")
    assert result.exit_code == 1
    assert "nothing could be processed" in result.stderr and "missing.txt" in result.stderr


def test_json_format_single_object_and_array(runner):
    one = invoke(runner, EXAMPLES / "ceasefire-talks.txt", "--format", "json")
    assert one.exit_code == 0
    data = json.loads(one.stdout)
    assert data["schema"] == "newsgraph.extraction/1" and data["article"]["id"] == "ceasefire-talks"
    assert data["article"]["dateline_place"] == "DOHA" and data["article"]["published"] == "2025-01-15"
    names = {a["name"] for a in data["actors"]}
    assert {"Antony Blinken", "Hamas", "Qatar"} <= names
    many = invoke(runner, EXAMPLES / "articles.jsonl", EXAMPLES / "article.html", "--format", "json")
    assert many.exit_code == 0
    assert [x["article"]["id"] for x in json.loads(many.stdout)] == [
        "grain-deal", "summit-vilnius", "korea-launch", "kim-putin-cosmodrome", "korean-troops-kursk",
        "article"]


def test_html_input_keeps_page_metadata(runner):
    result = invoke(runner, EXAMPLES / "article.html", "--format", "json")
    art = json.loads(result.stdout)["article"]
    assert art["title"] == "EU Agrees New Sanctions on Russia" and art["published"] == "2023-06-23"
    assert art["url"] == "https://example.org/news/eu-sanctions" and art["source"] == "Newsgraph Examples"


def test_table_format(runner):
    result = invoke(runner, EXAMPLES / "ceasefire-talks.txt", "--format", "table")
    assert result.exit_code == 0 and "Actors" in result.stdout and "Blinken" in result.stdout


def test_extra_actor_dictionary(runner, tmp_path):
    extra = tmp_path / "people.yaml"
    extra.write_text("version: 1\nentries:\n  - {name: Kari Dahl, kind: person, country: NOR, wikidata: Q1,\n"
                     "     surnames: [Dahl],\n"
                     "     offices: [{role: Trade Minister, sector: GOV, start: 2020-01-01}]}\n",
                     encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("Kari Dahl arrived in Oslo on Monday. Dahl met the press.", encoding="utf-8")
    result = invoke(runner, article, "--actors", extra, "--format", "json")
    assert result.exit_code == 0, result.stderr
    dahl = next(a for a in json.loads(result.stdout)["actors"] if a["name"] == "Kari Dahl")
    assert dahl["role"] == "Trade Minister" and dahl["wikidata"] == "Q1" and len(dahl["mentions"]) == 2


def test_standard_input_through_a_real_process():
    proc = subprocess.run([sys.executable, "-m", "newsgraph", "extract", "-", "--format", "jsonl"],
                          input=GOOD.encode("utf-8"), capture_output=True, cwd=REPO, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    [line] = proc.stdout.decode().splitlines()
    assert json.loads(line)["article"]["title"] == "Border Talks Resume"


def test_invalid_actor_dictionary_is_a_clear_error(runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nentries:\n  - {name: Somebody, kind: alien}\n", encoding="utf-8")
    result = invoke(runner, EXAMPLES / "ceasefire-talks.txt", "--actors", bad)
    assert result.exit_code == 2
    assert "bad.yaml" in result.stderr and "kind" in result.stderr and "Traceback" not in result.stderr


def test_petrarch_actor_dictionary_through_the_cli(runner, tmp_path):
    dictionary = tmp_path / "actors.txt"
    dictionary.write_text("# written for this test\nHELGA_VARGAS_\n+MINISTER_VARGAS_\n"
                          "\t[CHLGOV 20200101-20221231]\n\t[CHLELI >20230101]\n", encoding="utf-8")
    article = tmp_path / "chile.jsonl"
    record = {"id": "c1", "published": "2021-05-04",
              "text": "Helga Vargas said on Tuesday that copper exports would rise."}
    article.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = invoke(runner, article, "--actors", dictionary, "--format", "json")
    assert result.exit_code == 0, result.stderr
    vargas = next(a for a in json.loads(result.stdout)["actors"] if a["kind"] == "person")
    assert "Vargas" in vargas["name"] and vargas["country"] == "CHL" and vargas["sector"] == "GOV"
