"""The reporting-cue lexicon: bundled data and user files layered over it."""

from __future__ import annotations

import pytest

from newsgraph.config import Settings
from newsgraph.extract.quote_lexicon import load_lexicon


def test_bundled_lexicon_has_at_least_150_cues_with_frames():
    lex = load_lexicon()
    assert len(lex.verbs) + len(lex.nouns) >= 150
    assert "that-clause" in lex.verb("say").frames and lex.verb("tell").addressee == "dobj"
    assert lex.verb("point", "out") is not None and lex.verb("point") is None
    assert lex.verb("criticize").attitude and "as-complement" in lex.verb("praise").frames
    assert "that" in lex.noun("assurance").frames and lex.noun("assurance").addressee == "to"
    assert "spokesman" in lex.speaker_titles and "plan" in lex.not_sources


def test_user_file_overrides_adds_and_removes(tmp_path):
    user = tmp_path / "mine.yaml"
    user.write_text(
        "schema: newsgraph.reporting/1\n"
        "verbs:\n"
        "  opine: {frames: [that-clause]}\n"
        "  say: {frames: [direct-object]}\n"
        "  echo: null\n"
        "speaker_titles: [-witness, pundit]\n", encoding="utf-8")
    lex = load_lexicon([user])
    assert lex.verb("opine").frames == frozenset({"that-clause"})
    assert lex.verb("say").frames == frozenset({"direct-object"})
    assert lex.verb("echo") is None
    assert "pundit" in lex.speaker_titles and "witness" not in lex.speaker_titles


def test_bad_user_files_are_rejected(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("verbs:\n  opine: {frames: [whatever]}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown frames"):
        load_lexicon([bad])
    other = tmp_path / "other.yaml"
    other.write_text("schema: something/2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="schema"):
        load_lexicon([other])


def test_pipeline_uses_settings_reporting_lexicons(tmp_path):
    from newsgraph.extract.pipeline import build_pipeline

    user = tmp_path / "mine.yaml"
    user.write_text("schema: newsgraph.reporting/1\nverbs:\n  opine: {frames: [that-clause]}\n",
                    encoding="utf-8")
    text = "The columnist Jane Roe opined that the reform would fail."
    # the lexicon's rules alone (the trained model reads cues the lexicon lacks: see test_quotes_model.py)
    plain = build_pipeline(Settings(attribution_model="rules"))(text)
    assert plain._.ng_quotes == []
    nlp = build_pipeline(Settings(reporting_lexicons=(user,), attribution_model="rules"))
    quotes = nlp(text)._.ng_quotes
    assert [(q.cue, q.text) for q in quotes] == [("opined", "the reform would fail")]
