"""Article boundaries: comments, related-stories lists, captions, bylines and boilerplate are no news.

The heuristic is measured on labelled texts written for it (tests/fixtures/boundaries, see its README); the
extractor is checked to take no quote or event from what it finds, and the HTML reader to leave comment
sections, related links and figure captions out of the text.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from newsgraph.contract import (
    Article,
    Coder,
    Event,
    ExcludedSpan,
    Extraction,
    ModelInfo,
    Quantity,
    Quote,
    TextSpan,
)
from newsgraph.extract.boundaries import keep_article_news
from newsgraph.ingest.boundaries import BoundaryRules, find_excluded, is_excluded
from newsgraph.ingest.html import article_from_html
from newsgraph.ingest.readers import ArticleInput

FIXTURES = Path(__file__).parent / "fixtures" / "boundaries"
TAGS = {".": None, "C": "comments", "R": "related", "P": "caption", "Q": "pullquote", "B": "byline",
        "X": "boilerplate"}


@pytest.fixture(scope="module")
def rules() -> BoundaryRules:
    return BoundaryRules.load()


def labelled_cases(path: Path):
    """(name, text, [(line start, gold kind or None)]) for every case of a labelled file."""
    name, lines = None, []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.startswith("=== "):
            if name:
                yield _case(name, lines)
            name, lines = raw[4:], []
        else:
            lines.append((TAGS[raw[:1]], raw[2:]))
    if name:
        yield _case(name, lines)


def _case(name, lines):
    text, gold, pos = "", [], 0
    for kind, line in lines:
        if line.strip():
            gold.append((pos + line.index(line.strip()[0]), kind, line))
        text += line + "\n"
        pos += len(line) + 1
    return name, text, gold


def score(path: Path, rules: BoundaryRules) -> Counter:
    counts: Counter = Counter()
    for _name, text, gold in labelled_cases(path):
        found = find_excluded(text, rules)
        for start, kind, _line in gold:
            got = next((x.kind for x in found if x.start <= start < x.end), None)
            if kind and got:
                counts["tp"] += 1
                counts["kind right"] += kind == got
            elif got:
                counts["fp"] += 1
            elif kind:
                counts["fn"] += 1
            counts["news lines"] += kind is None
    return counts


@pytest.mark.parametrize("name", ["dev", "heldout", "blind"])
def test_labelled_texts_no_news_line_is_cut_and_all_furniture_is_found(name, rules):
    counts = score(FIXTURES / f"{name}.txt", rules)
    assert counts["news lines"] >= 30
    assert counts["fp"] == 0, counts
    assert counts["fn"] == 0, counts
    assert counts["kind right"] == counts["tp"], counts


def test_offsets_are_into_the_whole_text_and_the_text_is_unchanged(rules):
    text = ("Talks resume\r\n\r\nThe two governments resumed talks on Monday in Vienna, officials said.\r\n"
            "Photo: A. Berg/Reuters\r\nThe envoy said the talks would last a week, and both sides agreed.\r\n"
            "The ministry said it expected an agreement soon, though it gave no date for it.\r\n"
            "Comments (3)\r\nGreat news.\r\n")
    before = str(text)
    found = find_excluded(text, rules)
    assert text == before
    assert [(x.kind, text[x.start:x.end]) for x in found] == [
        ("caption", "Photo: A. Berg/Reuters"),
        ("comments", "Comments (3)\r\nGreat news."),
    ]


def test_a_comment_count_under_the_headline_cuts_only_its_line(rules):
    text = ("Council closes library\n5 comments\n\nThe council voted on Tuesday to close the library by "
            "the end of the year.\n\nResidents said they would protest outside the town hall next week.\n")
    [only] = find_excluded(text, rules)
    assert text[only.start:only.end] == "5 comments"
    assert only.kind == "boilerplate"


@pytest.mark.parametrize("line", [
    "Related talks between the two sides collapsed in March, officials said.",
    "By Tuesday, the army had withdrawn from the town.",
    "By Thursday evening the rebels had taken the airport",
    "Photographs released by the ministry showed long queues at the crossing.",
    "Comments by the interior minister had angered the opposition.",
    "Follow-up talks with the unions are planned for June.",
    "Read more about the plan in the ministry's statement, the spokesman said.",
    "Copyright rules were changed in 2019, the minister said.",
    "Share prices rose by 4 percent after the announcement.",
    "Talks resume",
])
def test_news_lines_that_start_like_furniture_are_kept(line, rules):
    text = f"Ministers meet\n\nThe ministers met in Vienna on Monday to discuss the border.\n\n{line}\n"
    assert find_excluded(text, rules) == []


def test_a_related_list_ends_at_the_first_line_of_prose(rules):
    text = ("Ceasefire holds\n\nThe ceasefire held for a third day on Sunday, monitors said.\n\n"
            "Read more:\n- Will the ceasefire last?\n- Who are the rebels?\n\n"
            "The envoy said both sides had pulled back heavy weapons.\n")
    found = find_excluded(text, rules)
    assert [text[x.start:x.end] for x in found] == ["Read more:", "- Will the ceasefire last?",
                                                     "- Who are the rebels?"]
    assert {x.kind for x in found} == {"related"}


def test_rules_are_data(rules, tmp_path):
    import yaml

    data = yaml.safe_load((Path(__import__("newsgraph").__file__).parent / "data" / "lexicons"
                           / "boundaries.yaml").read_text(encoding="utf-8"))
    assert data["version"] == 1
    data["related"]["labels"].append("elsewhere on the site")
    path = tmp_path / "boundaries.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    text = "Talks resume\n\nThe talks resumed on Monday, officials said.\n\nElsewhere on the site\nRain due\n"
    assert find_excluded(text, rules) == []
    found = find_excluded(text, BoundaryRules.load(path))
    assert [(x.kind, text[x.start:x.end]) for x in found] == [("related", "Elsewhere on the site"),
                                                               ("related", "Rain due")]


def test_is_excluded():
    spans = [ExcludedSpan(start=5, end=10, kind="caption")]
    assert [is_excluded(spans, i) for i in (4, 5, 9, 10)] == [False, True, True, False]


def _span(text: str, part: str) -> TextSpan:
    start = text.index(part)
    return TextSpan(start=start, end=start + len(part), text=part)


def test_keep_article_news_drops_quotes_events_and_quantities_found_in_excluded_text():
    text = 'Troops left Halden. "We are done," he said.\n3 comments\nThey shelled 40 homes. "Lies," he said.'
    cut = text.index("3 comments")
    excluded = [ExcludedSpan(start=cut, end=len(text), kind="comments")]
    quotes = [Quote(id=qid, kind="direct", text=part, start=(at := text.index(part)), end=at + len(part))
              for qid, part in (("q1", "We are done,"), ("q2", "Lies,"))]
    ev = dict(type="RETREAT", source=["a1"], target=[])
    events = [
        Event(id="e1", trigger=_span(text, "left"), evidence=_span(text, "Troops left Halden."),
              also_evidence=[_span(text, "They shelled 40 homes.")], **ev),
        Event(id="e2", type="ASSAULT", trigger=_span(text, "shelled"),
              evidence=_span(text, "They shelled 40 homes."), quantities=["n1"]),
        Event(id="e3", trigger=_span(text, "done"), evidence=_span(text, "We are done"), quote="q2", **ev),
    ]
    quantities = [Quantity(id="n1", text="40", start=text.index("40"), end=text.index("40") + 2, value=40)]
    extraction = Extraction(coder=Coder(version="t", model=ModelInfo(name="m", version="1")),
                            article=Article(id="a", text_sha256="0" * 64),
                            quotes=quotes, events=events, quantities=quantities)
    kept = keep_article_news(extraction, excluded)
    assert kept.article.excluded == excluded
    assert [q.id for q in kept.quotes] == ["q1"]
    assert [e.id for e in kept.events] == ["e1"]
    assert kept.events[0].also_evidence == []  # the further statement came from a comment
    assert kept.quantities == []
    assert extraction.events[0].also_evidence  # the extraction given is not changed
    assert keep_article_news(extraction, []) is extraction


# -- HTML: what trafilatura keeps ----------------------------------------------------------------------


def test_html_reader_leaves_out_comments_related_links_captions_and_bylines():
    article = article_from_html((FIXTURES / "semantic-page.html").read_text(encoding="utf-8"))
    text = article.text
    assert "resumed talks with the dock workers' union" in text
    assert "Negotiators from both sides met for six hours" in text
    for furniture in ("comments", "harbourfan", "Russia will invade", "Related stories", "Navy seizes",
                      "Photo: Lena Ortiz", "By Mira Castell", "newsletter"):
        assert furniture not in text


def test_what_trafilatura_keeps_of_a_plain_page_is_found_by_the_text_rules(rules):
    article = article_from_html((FIXTURES / "plain-page.html").read_text(encoding="utf-8"))
    found = {(x.kind, article.text[x.start:x.end].split("\n")[0]) for x in find_excluded(article.text, rules)}
    assert found == {
        ("byline", "By Jonas Reed"),
        ("caption", "Image caption: Lorries queued for hours at the crossing last week (Getty Images)"),
        ("related", "Read more:"),
        ("boilerplate", "Follow Jonas Reed on Twitter: @jreed"),
        ("comments", "Reader comments (2)"),
    }


# -- the extractor --------------------------------------------------------------------------------------

PAGE = """Harbour talks resume in Valdoria
By Mira Castell

SEL, Valdoria, May 2, 2024 – The government of Valdoria resumed talks with the dock workers' union on \
Tuesday after a two-week strike closed the port of Sel.

Dock workers protested outside the ministry on Monday. Photo: Lena Ortiz/Harbour Press

Labour minister Tomas Brenner said the government would meet the union's leaders again on Friday. "We want \
an agreement before the summer," he told reporters in the capital.

Related stories
Navy seizes smuggling boat off the coast
President condemns attack on border post

The union accused the port authority of ignoring safety rules for years.

4 comments
harbourfan: The minister threatened to fire every striker last year, don't trust him.
seldock: Russia will invade Valdoria before this government signs anything. "Valdoria must be punished," the \
Russian ambassador said on Monday.
"""


def test_extractor_takes_no_quote_or_event_from_excluded_text(extractor):
    ex = extractor.extract(ArticleInput(text=PAGE, id="harbour"))
    spans = ex.article.excluded
    assert {s.kind for s in spans} == {"byline", "caption", "related", "comments"}
    comments = next(s for s in spans if s.kind == "comments")
    assert PAGE[comments.start:].startswith("4 comments") and comments.end == len(PAGE.rstrip())
    assert ex.quotes and ex.events  # the news is still read
    for fact in [*(q.start for q in ex.quotes), *(e.trigger.start for e in ex.events),
                 *(a.start for e in ex.events for a in e.also_evidence)]:
        assert not is_excluded(spans, fact)
    assert not any("Photo" in q.text or "punished" in q.text or "border post" in q.text for q in ex.quotes)
    assert not any(e.type == "PROTEST" for e in ex.events)  # the caption's protest
    for e in ex.events:
        assert PAGE[e.evidence.start:e.evidence.end] == e.evidence.text


def test_an_article_without_furniture_has_no_excluded_spans(extractor, seed_extraction):
    assert seed_extraction.article.excluded == []


# -- real news: the event corpus's annotations (annotations/events, texts in ../shared) -------------------


def test_real_news_no_coded_event_is_cut_and_most_not_article_text_is(shared_dir, rules):
    import json

    docs = sorted((Path(__file__).parents[1] / "annotations" / "events" / "docs").glob("*.json"))
    assert len(docs) >= 150
    counts: Counter = Counter()
    for path in docs:
        doc = json.loads(path.read_text(encoding="utf-8"))
        text = (shared_dir / "eval" / doc["doc"]).read_text(encoding="utf-8")
        found = find_excluded(text, rules)
        counts["events"] += len(doc["events"])
        counts["events cut"] += sum(is_excluded(found, e["trigger"]["start"]) for e in doc["events"])
        marked = [n for n in doc["non_events"] if n.get("reason") == "not-article"]
        counts["not-article"] += len(marked)
        counts["not-article found"] += sum(is_excluded(found, n["trigger"]["start"]) for n in marked)
    assert counts["events"] > 2000 and counts["events cut"] == 0, counts
    # What is missed are photo captions with no mark at all ("X delivers a speech onstage.").
    assert counts["not-article found"] >= 0.8 * counts["not-article"], counts
