"""The trained attribution model: shipped in the package, used by the pipeline, rebuilt by one command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgraph.config import Settings
from newsgraph.extract.quote_model import AttributionModel, Quotations, bundled_model_dir, cue_candidates
from newsgraph.ingest.readers import ArticleInput

FIXTURES = Path(__file__).parent / "fixtures" / "attribution"


@pytest.fixture(scope="module")
def shipped() -> AttributionModel:
    return AttributionModel.load()


def test_the_shipped_model_loads_with_its_card_data(shipped):
    meta = shipped.cue.meta
    assert meta["component"] == "cue" and shipped.content.meta["component"] == "content"
    for key in ("seed", "date", "data", "version", "threshold", "figures"):
        assert key in meta, key
    assert 0.0 < shipped.cue_threshold < 1.0 and 0.0 < shipped.rule_threshold <= shipped.cue_threshold
    cv = meta["figures"]["cross_validated"]["attribution"]["attributed"]
    assert 0.0 < cv["f1"] <= 1.0


def test_package_data_ships_the_model_files():
    import tomllib

    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    assert "data/**/*" in pyproject["tool"]["setuptools"]["package-data"]["newsgraph"]
    for component in ("cue", "content"):
        assert (bundled_model_dir() / component / "model.npz").is_file()
        assert (bundled_model_dir() / component / "model.json").is_file()


def test_cue_probabilities_tell_reporting_verbs_from_others(extractor, shipped):
    doc = extractor.nlp("The minister said the talks would resume. The minister ate lunch in Geneva.")
    lex = extractor.nlp.get_pipe("newsgraph_quotes").lexicon
    probs = {doc[c.index].text: shipped.cue_probability(c.features)
             for c in cue_candidates(doc, lex, Quotations())}
    assert probs["said"] > shipped.cue_threshold > probs["ate"]


def test_a_cue_the_lexicon_lacks_is_found(extractor):
    text = "The columnist Jane Roe opined that the reform would fail."
    ex = extractor.extract(ArticleInput(text=text, id="t"))
    assert [(q.cue, q.text) for q in ex.quotes] == [("opined", "the reform would fail")]
    assert 0.0 < ex.quotes[0].confidence < 1.0  # the model's probability


@pytest.mark.parametrize("text", [
    "Asked about the vote, the senator fired back: “We will win this seat in November.”",
    "The senator shot back, “We will win this seat in November.”",
    "“We will win this seat in November,” the senator shot back.",
])
def test_a_quotation_next_to_a_cue_the_lexicon_lacks_is_the_cue_speakers(extractor, text):
    ex = extractor.extract(ArticleInput(text=text, id="t"))
    q = next(q for q in ex.quotes if "win this seat" in q.text)
    assert q.kind == "direct" and q.speaker_text == "senator" and q.cue in ("fired", "shot")


def test_rules_only_setting_turns_the_model_off():
    from newsgraph.extract.pipeline import build_pipeline

    nlp = build_pipeline(Settings(attribution_model="rules"))
    assert nlp.get_pipe("newsgraph_quotes").model is None


@pytest.mark.slow
def test_train_command_on_a_tiny_corpus(tmp_path):
    pytest.importorskip("sklearn")
    from newsgraph.cli import app

    out = tmp_path / "model"
    report = tmp_path / "report.json"
    args = ["train", "attribution", str(FIXTURES), "--out", str(out), "--folds", "2", "--seed", "3",
            "--report", str(report)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    figures = json.loads(report.read_text(encoding="utf-8"))
    assert figures["seed"] == 3 and figures["articles"] == 5
    assert {"cross_validated", "resubstitution", "rules_only"} <= set(figures["figures"])
    model = AttributionModel.load(out)
    assert model.cue.meta["seed"] == 3 and model.cue.labels == ("no", "yes")
    # the trained directory drives the pipeline
    from newsgraph.extract.pipeline import Extractor

    ex = Extractor(Settings(attribution_model=str(out))).extract(
        ArticleInput(text="Senator Maria Lopez said on Monday that the bill would pass.", id="t"))
    assert any("bill would pass" in q.text for q in ex.quotes)


@pytest.mark.slow
def test_the_model_ships_in_the_wheel_and_loads_from_an_install(tmp_path):
    """Build the wheel, install it apart from the checkout, and extract with the model it carries."""
    import subprocess
    import sys
    import zipfile

    pytest.importorskip("build")
    repo = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "-o", str(tmp_path / "dist"),
                    str(repo)], check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("newsgraph-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for component in ("cue", "content"):
        assert f"newsgraph/data/models/attribution/{component}/model.npz" in names
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--target",
                    str(target), str(wheel)], check=True, capture_output=True)
    script = (
        "import newsgraph, pathlib\n"
        "from newsgraph.extract.quote_model import AttributionModel, bundled_model_dir\n"
        f"assert pathlib.Path(newsgraph.__file__).is_relative_to({str(target)!r}), newsgraph.__file__\n"
        "model = AttributionModel.load()\n"
        "assert bundled_model_dir().is_relative_to(pathlib.Path(newsgraph.__file__).parent)\n"
        "from newsgraph.config import Settings\n"
        "from newsgraph.extract.pipeline import Extractor\n"
        "from newsgraph.ingest.readers import ArticleInput\n"
        "ex = Extractor(Settings()).extract(ArticleInput(text='The columnist Jane Roe opined that the reform "
        "would fail.', id='t'))\n"
        "print([(q.cue, q.text) for q in ex.quotes])\n"
    )
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True,
                         cwd=tmp_path, env=env)
    assert "('opined', 'the reform would fail')" in out.stdout
