"""Training the event model, and the evaluation commands of issue 11 (eval plv, eval events)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgraph.cli import app

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

PLV = [
    ("1", "<s>Japan</s> gave <t>Ukraine</t> new armoured vehicles on Monday.", "AID"),
    ("2", "<s>Police in Lagos</s> arrested <t>two opposition activists</t> on Friday.", "COERCE"),
    ("3", "<s>Poland</s> expelled <t>Belarusian diplomats</t> after the incident.", "SANCTION"),
    ("4", "<s>The European Union</s> imposed new sanctions on <t>Iran</t> on Monday.", "SANCTION"),
]


def _plv_file(tmp_path: Path) -> Path:
    path = tmp_path / "plv.tsv"
    lines = ["\tsentence_id\tmarked_sentence\tgold_root"]
    lines += [f"{k}\t{k}\t{marked}\t{root}" for k, marked, root in PLV]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_eval_plv_scores_marked_pairs(tmp_path):
    result = CliRunner().invoke(app, ["eval", "plv", str(_plv_file(tmp_path)), "--format", "json"])
    assert result.exit_code == 0, result.output
    d = json.loads(result.output)
    assert d["pairs"] == 4
    assert d["pair_recall"] >= 0.75, d  # written to be easy
    assert d["precision"] >= 0.75 and d["type_given_dyad"] >= 0.75, d
    assert any(k.startswith("AID->") for k in d["confusion"])


def test_plv_reader_trims_spaces_inside_the_marks(tmp_path):
    from newsgraph.learn.event_data import read_plv

    path = tmp_path / "p.tsv"
    path.write_text("\tsentence_id\tmarked_sentence\tgold_root\n"
                    "1\t1\t<s>Government of National Accord </s>announced a ceasefire in <t>Libya</t>."
                    "\tYIELD\n",
                    encoding="utf-8")
    (pair,) = read_plv(path)
    assert pair.text[pair.source[0]:pair.source[1]] == "Government of National Accord"
    assert pair.text[pair.target[0]:pair.target[1]] == "Libya"
    assert pair.accepts("CONCEDE") and pair.accepts("RETREAT") and not pair.accepts("AID")


def _corpus(tmp_path: Path) -> tuple[Path, Path]:
    """A one-article corpus in the layout of annotations/events, pointing into a shared folder of our own."""
    text = ("Japan gave Ukraine new armoured vehicles on Monday. Poland did not attack Belarus, "
            "officials said. The weather was fine.")
    shared = tmp_path / "shared"
    (shared / "eval" / "polnear" / "train" / "text").mkdir(parents=True)
    doc = "polnear/train/text/x.txt"
    (shared / "eval" / doc).write_text(text, encoding="utf-8")
    ann = tmp_path / "ann"
    (ann / "docs").mkdir(parents=True)
    (ann / "sample.json").write_text(json.dumps({"docs": [{"doc": doc, "split": "dev"}]}), encoding="utf-8")

    def span(s: str, **kw) -> dict:
        start = text.index(s)
        return {"start": start, "end": start + len(s), "text": s, **kw}

    events = [
        {"id": "e1", "type": "AID", "trigger": span("gave"), "evidence": span("Japan gave Ukraine"),
         "source": [span("Japan", name="Japan")], "target": [span("Ukraine", name="Ukraine")],
         "implied": [], "polarity": "positive", "modality": "actual", "claimant": None, "certain": True},
        {"id": "e2", "type": "ASSAULT", "trigger": span("attack"), "evidence": span("Poland did not attack"),
         "source": [span("Poland", name="Poland")], "target": [span("Belarus", name="Belarus")],
         "implied": [], "polarity": "negative", "modality": "actual", "claimant": None, "certain": True},
    ]
    (ann / "docs" / "x.json").write_text(json.dumps({
        "doc": doc, "text_sha256": hashlib.sha256(text.encode()).hexdigest(), "events": events,
        "non_events": []}), encoding="utf-8")
    return ann, shared


def test_eval_events_scores_the_corpus(tmp_path):
    ann, shared = _corpus(tmp_path)
    result = CliRunner().invoke(app, ["eval", "events", str(ann), "--shared", str(shared), "--split", "dev",
                                      "--format", "json", "--details"])
    assert result.exit_code == 0, result.output
    d = json.loads(result.output)
    assert d["articles"] == 1 and d["gold"] == 2
    assert d["lenient"]["recall"] >= 0.5 and d["strict"]["recall"] >= 0.5, d  # the aid to Ukraine
    assert d["inverted_facts"] == 0, d  # the attack that did not happen is not shown as one


def test_eval_events_refuses_a_changed_text(tmp_path):
    ann, shared = _corpus(tmp_path)
    (shared / "eval" / "polnear" / "train" / "text" / "x.txt").write_text("Another text.", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "events", str(ann), "--shared", str(shared)])
    assert result.exit_code == 2 and "not the text that was annotated" in result.output


@pytest.mark.slow
def test_train_events_on_a_tiny_subset(tmp_path):
    if not (SHARED / "eval" / "plv-train.tsv").is_file():
        pytest.skip("../shared/eval (PLV pairs, PLOVER records, PolNeAR texts) is absent; it sits beside the "
                    "repository in CI")
    pytest.importorskip("sklearn", reason="training needs the train extra")
    from newsgraph.config import Settings
    from newsgraph.extract.event_model import EventModel
    from newsgraph.extract.pipeline import Extractor
    from newsgraph.ingest.readers import ArticleInput

    out = tmp_path / "model"
    result = CliRunner().invoke(app, ["train", "events", "--shared", str(SHARED),
                                      "--annotations", str(REPO / "annotations" / "events"),
                                      "--out", str(out), "--limit", "12", "--no-evaluate"])
    assert result.exit_code == 0, result.output
    model = EventModel.load(out)
    assert model.gate is not None and model.roles is not None
    card = (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert card.startswith("# Model card") and "seed 20261203" in card
    extraction = Extractor(Settings(event_model=str(out))).extract(
        ArticleInput(text="Police arrested two protesters in the capital on Monday.", id="t"))
    assert extraction.events is not None  # the freshly trained model runs in the extractor
