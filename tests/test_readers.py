"""Input readers: files, directories, JSONL, HTML, standard input, and every kind of bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from newsgraph.config import Settings
from newsgraph.ingest.readers import ArticleInput, InputProblem, iter_inputs

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TEXT = ("Leaders Meet\n\nROME, May 2, 2024 - The Italian prime minister met the Spanish foreign minister "
        "on Monday.")


def read(paths, settings=None, stdin=None):
    return list(iter_inputs([str(p) for p in paths], settings or Settings(), stdin=stdin))


def test_plain_text_file_gets_its_stem_as_id(tmp_path):
    (tmp_path / "rome-talks.txt").write_text(TEXT, encoding="utf-8")
    [item] = read([tmp_path / "rome-talks.txt"])
    assert isinstance(item, ArticleInput) and item.id == "rome-talks" and item.text == TEXT


def test_jsonl_records_keep_order_and_fields_and_report_bad_lines(tmp_path):
    lines = [json.dumps({"id": "a", "text": TEXT, "published": "2024-05-02", "url": "https://example.org/a"}),
             "{not json",
             json.dumps({"id": "c", "title": "no body"}),
             "",
             json.dumps({"id": "d", "text": "   "}),
             json.dumps({"id": "e", "text": TEXT, "source": "Wire"})]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    items = read([path])
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["ArticleInput", "InputProblem", "InputProblem", "InputProblem", "ArticleInput"]
    assert items[0].published == "2024-05-02" and items[0].url == "https://example.org/a"
    assert items[1].origin == f"{path}:2" and "invalid JSON" in items[1].message
    assert "neither" in items[2].message and items[3].code == "empty"
    assert items[4].id == "e" and items[4].source == "Wire"


def test_examples_jsonl():
    items = read([EXAMPLES / "articles.jsonl"])
    assert len(items) == 5 and all(isinstance(i, ArticleInput) and i.id for i in items)


def test_html_page_with_metadata():
    [item] = read([EXAMPLES / "article.html"])
    assert isinstance(item, ArticleInput)
    assert item.title == "EU Agrees New Sanctions on Russia"
    assert item.published == "2023-06-23" and item.url == "https://example.org/news/eu-sanctions"
    assert item.source == "Newsgraph Examples"
    assert "eleventh package of sanctions" in item.text and "Subscribe" not in item.text


def test_jsonl_record_with_html(tmp_path):
    html = (EXAMPLES / "article.html").read_text(encoding="utf-8")
    path = tmp_path / "pages.jsonl"
    path.write_text(json.dumps({"id": "p1", "html": html}) + "\n"
                    + json.dumps({"id": "p2", "text": "", "html": html}) + "\n", encoding="utf-8")
    items = read([path])
    assert [i.id for i in items] == ["p1", "p2"]
    assert all(i.title == "EU Agrees New Sanctions on Russia" for i in items)


def test_directories_are_read_recursively_in_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b" / "c.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / ".hidden").write_text(TEXT, encoding="utf-8")
    assert [i.id for i in read([tmp_path])] == ["a", "c"]


def test_standard_input():
    [item] = read(["-"], stdin=io.BytesIO(TEXT.encode("utf-8")))
    assert item.origin == "<stdin>" and item.text == TEXT


@pytest.mark.parametrize(("content", "code", "words"), [
    (b"", "empty", "empty"),
    (b"  \n\n ", "empty", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary", "binary"),
    ("Caf\u00e9 talks in Par\u00eds".encode("latin-1"), "encoding", "not UTF-8"),
])
def test_bad_files_name_the_input(tmp_path, content, code, words):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    [problem] = read([path])
    assert isinstance(problem, InputProblem) and problem.code == code
    assert problem.origin == str(path) and words in problem.message


def test_oversized_file(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text(TEXT * 10, encoding="utf-8")
    [problem] = read([path], Settings(max_input_bytes=100))
    assert problem.code == "oversized" and "--max-bytes" in problem.message


def test_html_without_article_body(tmp_path):
    path = tmp_path / "menu.html"
    path.write_text("<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a> "
                    "<a href='/news'>News</a></nav></body></html>", encoding="utf-8")
    [problem] = read([path])
    assert problem.code == "no-article" and "no article body" in problem.message


def test_missing_path(tmp_path):
    [problem] = read([tmp_path / "nope.txt"])
    assert problem.code == "missing"


def test_json_array_file(tmp_path):
    path = tmp_path / "articles.json"
    path.write_text(json.dumps([{"id": "x1", "text": TEXT}, {"id": "x2", "text": TEXT}], indent=2),
                    encoding="utf-8")
    assert [i.id for i in read([path])] == ["x1", "x2"]


def test_empty_directory(tmp_path):
    (tmp_path / "nothing").mkdir()
    [problem] = read([tmp_path / "nothing"])
    assert problem.code == "empty"
