"""``newsgraph eval attribution``: brat parsing, overlap matching, scores, and the command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgraph.contract import Quote, Span
from newsgraph.eval.attribution import (
    GoldAttribution,
    content_matches,
    gold_kind,
    load_corpus,
    overlap,
    parse_ann,
    parse_spans,
    quoted_characters,
    read_text,
    score_document,
)

FIXTURES = Path(__file__).parent / "fixtures" / "attribution"

ANN = """T1\tSource 0 5\tAnna
T2\tCue 6 10\tsaid
T3\tContent 11 30;40 50\tsome words
T4\tAttribution 6 10\tsaid
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1
A1\tFactuality E1 certain
T5\tCue 60 72\tAccording to
T6\tContent 80 95\tmore
T7\tAttribution 60 72\tAccording to
E2\tAttribution:T7 Content:T6 Cue:T5
#1\tAnnotatorNotes T1\tnote
"""


def test_parse_spans_and_ann():
    assert parse_spans("74 105") == ((74, 105),)
    assert parse_spans("212 263;290 326") == ((212, 263), (290, 326))
    with pytest.raises(ValueError):
        parse_spans("12")
    gold = parse_ann(ANN)
    assert gold[0] == GoldAttribution("E1", ((11, 30), (40, 50)), ((0, 5),), ((6, 10),))
    assert gold[1].source == () and gold[1].content == ((80, 95),)


def test_overlap_of_discontinuous_spans_sums_the_parts():
    assert overlap(((0, 10), (20, 30)), ((5, 25),)) == 10
    # half of the shorter side: 10 of 20 characters of the gold parts
    assert content_matches(((5, 25),), ((0, 10), (20, 30)))
    assert content_matches(((0, 4),), ((2, 12),))  # 2 of the shorter 4: exactly half matches
    assert not content_matches(((0, 4),), ((3, 12),))  # 1 of 4 does not
    assert not content_matches(((0, 10),), ((10, 20),))


def _quote(start: int, end: int, speaker: tuple[int, int] | None, parts=()) -> Quote:
    return Quote(id="q", kind="indirect", text="x", start=start, end=end,
                 parts=[Span(start=a, end=b) for a, b in parts],
                 speaker_span=Span(start=speaker[0], end=speaker[1]) if speaker else None)


def test_score_document_content_and_attributed():
    gold = parse_ann(ANN)
    text = " " * 100
    quotes = [
        _quote(11, 50, (0, 3), parts=[(11, 30), (40, 50)]),  # content and source right
        _quote(80, 95, (60, 62)),  # content right, gold has no source but a speaker is predicted
        _quote(81, 94, None),  # second prediction for the same gold: one-to-one keeps only one
    ]
    s = score_document("d", text, quotes, gold)
    assert (s.content.predicted, s.content.gold, s.content.matched) == (3, 2, 2)
    assert s.attributed.matched == 2  # the sourceless gold matches the speakerless prediction
    assert s.attributed.precision == pytest.approx(2 / 3)
    wrong_source = score_document("d", text, [_quote(11, 50, (20, 25))], gold[:1])
    assert wrong_source.content.matched == 1 and wrong_source.attributed.matched == 0
    assert wrong_source.missed and wrong_source.extra == ["x"]


def test_kinds_and_speaker_accuracy():
    text = "“We will go,” Anna said. Bo called it “a bad plan for the town”. Cy said the vote was close."
    direct = (text.index("We will go"), text.index("go,") + 3)
    partial = (text.index("it “"), text.index("town") + 5)
    indirect = (text.index("the vote"), text.index("close") + 5)
    speakers = {"anna": (text.index("Anna"), text.index("Anna") + 4),
                "cy": (text.index("Cy"), text.index("Cy") + 2)}
    gold = (GoldAttribution("E1", (direct,), (speakers["anna"],)),
            GoldAttribution("E2", (partial,), ((text.index("Bo"), text.index("Bo") + 2),)),
            GoldAttribution("E3", (indirect,), (speakers["cy"],)))
    kinds = [gold_kind(text, g.content, quoted_characters(text)) for g in gold]
    assert kinds == ["direct", "partial", "indirect"]
    quotes = [
        Quote(id="q1", kind="direct", text="x", start=direct[0], end=direct[1],
              speaker_span=Span(start=speakers["anna"][0], end=speakers["anna"][1])),
        Quote(id="q2", kind="partial", text="x", start=text.index("a bad"), end=text.index("town") + 4,
              speaker_span=Span(start=speakers["cy"][0], end=speakers["cy"][1])),  # the wrong speaker
        Quote(id="q3", kind="indirect", text="x", start=0, end=2),  # nothing in the gold
    ]
    s = score_document("d", text, quotes, gold)
    assert (s.kinds["direct"].precision, s.kinds["direct"].recall) == (1.0, 1.0)
    assert (s.kinds["partial"].precision, s.kinds["partial"].recall) == (0.0, 0.0)
    assert s.kinds["indirect"].predicted == 1 and s.kinds["indirect"].recall == 0.0
    assert (s.speaker.found, s.speaker.right) == (2, 1)  # two content matches, one with its speaker


def test_load_corpus_takes_the_first_annotator(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "doc_one.txt").write_text("Anna said some words.", encoding="utf-8")
    (tmp_path / "attributions" / "doc_one_beta.ann").write_text("", encoding="utf-8")
    (tmp_path / "attributions" / "doc_one_alpha.ann").write_text(ANN, encoding="utf-8")
    (tmp_path / "text" / "unannotated.txt").write_text("Nothing.", encoding="utf-8")
    docs = load_corpus(tmp_path)
    assert [d.doc_id for d in docs] == ["doc_one"]
    assert docs[0].ann_path.name == "doc_one_alpha.ann" and len(docs[0].attributions) == 2
    with pytest.raises(FileNotFoundError):
        load_corpus(tmp_path / "text")


@pytest.fixture(scope="module")
def cli():
    from newsgraph.cli import app

    return app


def test_command_on_own_fixtures_json(cli):
    result = CliRunner().invoke(cli, ["eval", "attribution", str(FIXTURES), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["documents"] == 5 and data["attributed"]["gold"] == 50
    assert data["attributed"]["f1"] >= 0.8
    assert data["content"]["f1"] >= data["attributed"]["f1"]
    assert set(data["kinds"]) == {"direct", "partial", "indirect"}
    assert sum(k["gold"] for k in data["kinds"].values()) == 50
    assert 0.8 <= data["speaker_accuracy"]["accuracy"] <= 1.0


def test_command_on_held_out_fixtures(cli):
    """Texts written and annotated before the extractor ever saw them (see docs/evaluation-attribution.md)."""
    result = CliRunner().invoke(cli, ["eval", "attribution", str(FIXTURES.parent / "attribution-heldout"),
                                      "--format", "json", "--details"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["documents"] == 10 and data["attributed"]["gold"] == 105
    assert data["attributed"]["f1"] >= 0.85
    assert len(data["per_document"]) == 10 and "missed" in data["per_document"][0]


def test_command_on_shared_brat_sample(cli, shared_dir):
    result = CliRunner().invoke(cli, ["eval", "attribution", str(shared_dir / "eval" / "brat-sample")])
    assert result.exit_code == 0, result.output
    line = next(ln for ln in result.output.splitlines() if ln.startswith("attributed"))
    f1 = float(line.split("F1")[1].split()[0])
    assert f1 >= 0.8
    assert "content-only" in result.output


def test_command_rejects_a_directory_without_the_layout(cli, tmp_path):
    result = CliRunner().invoke(cli, ["eval", "attribution", str(tmp_path)])
    assert result.exit_code == 2


def test_line_ends_are_kept_as_brat_counts_them(tmp_path):
    p = tmp_path / "crlf.txt"
    p.write_bytes(b"Title\r\n\r\nShe said so.")
    text = read_text(p)
    assert text.index("She") == 9
    other_events = "T1\tCue 9 12\tShe\nE1\tMention:T1\n"
    assert parse_ann(other_events) == ()
